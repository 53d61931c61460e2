import { describe, expect, it } from 'vitest';
import { planCache, type CacheRequest } from '../../../src/buildx/cache.js';

const base: CacheRequest = { mode: 'auto', tags: [], cacheFrom: [], cacheTo: [], trusted: true, push: true, localDir: '/cache/web' };
const ACR_PERSONAL = 'registry.cn-hangzhou.aliyuncs.com/acme/web';
const ACR_EE = 'acme-registry.cn-hangzhou.cr.aliyuncs.com/acme/web';
const REGISTRY_ATTRS = 'mode=max,image-manifest=true,oci-mediatypes=true,ignore-error=true';

describe('planCache auto', () => {
  it('gives ACR Personal Edition inline cache, imported from the image tags and latest', () => {
    const plan = planCache({ ...base, tags: [`${ACR_PERSONAL}:v1`] });
    expect(plan.cacheTo).toEqual(['type=inline']);
    expect(plan.cacheFrom).toEqual([`type=registry,ref=${ACR_PERSONAL}:v1`, `type=registry,ref=${ACR_PERSONAL}:latest`]);
    expect(plan.explanation).toContain('ACR Personal Edition rejects registry cache manifests');
  });
  it('gives ACR Enterprise and other registries a registry cache at <image>:buildcache in image-manifest form', () => {
    for (const image of [ACR_EE, 'ghcr.io/acme/web']) {
      const plan = planCache({ ...base, tags: [`${image}:v1`, `${image}:latest`] });
      expect(plan.cacheFrom).toEqual([`type=registry,ref=${image}:buildcache`]);
      expect(plan.cacheTo).toEqual([`type=registry,ref=${image}:buildcache,${REGISTRY_ATTRS}`]);
    }
  });
  it('puts the registry cache on a registry that accepts it when Personal Edition is one of several targets', () => {
    const plan = planCache({ ...base, tags: [`${ACR_PERSONAL}:v1`, 'ghcr.io/acme/web:v1'] });
    expect(plan.cacheTo).toEqual([`type=registry,ref=ghcr.io/acme/web:buildcache,${REGISTRY_ATTRS}`]);
  });
  it('uses the builder cache only when there is no image to name a cache', () => {
    expect(planCache(base)).toMatchObject({ cacheFrom: [], cacheTo: [] });
  });
});

describe('planCache trust and push', () => {
  it('never writes shared caches from untrusted refs, but still reads them', () => {
    for (const mode of ['auto', 'registry', 'gha', 'local'] as const) {
      const plan = planCache({ ...base, mode, trusted: false, tags: ['ghcr.io/acme/web:pr-1'] });
      expect(plan.cacheTo).toEqual([]);
      expect(plan.cacheFrom.length).toBe(1);
      expect(plan.explanation).toContain('read-only: untrusted ref');
    }
  });
  it('writes nothing to the registry when nothing is pushed', () => {
    expect(planCache({ ...base, tags: ['ghcr.io/acme/web:1'], push: false }).cacheTo).toEqual([]);
    expect(planCache({ ...base, tags: [`${ACR_PERSONAL}:1`], push: false }).cacheTo).toEqual([]);
    expect(planCache({ ...base, mode: 'gha', tags: ['ghcr.io/acme/web:1'], push: false }).cacheTo).toHaveLength(1);
  });
});

describe('planCache explicit modes', () => {
  it('registry with a cache-ref, warning when it points at ACR Personal Edition', () => {
    expect(planCache({ ...base, mode: 'registry', tags: ['ghcr.io/a/b:1'], cacheRef: 'ghcr.io/a/cache:main' }).cacheTo).toEqual([
      `type=registry,ref=ghcr.io/a/cache:main,${REGISTRY_ATTRS}`,
    ]);
    expect(planCache({ ...base, mode: 'registry', tags: [`${ACR_PERSONAL}:1`] }).warning).toMatch(
      /ACR Personal Edition rejects BuildKit cache manifests/,
    );
  });
  it('gha scopes include the image name', () => {
    const plan = planCache({ ...base, mode: 'gha', tags: ['ghcr.io/acme/web:1'] });
    expect(plan.cacheFrom).toEqual(['type=gha,scope=ghcr.io-acme-web']);
    expect(plan.cacheTo).toEqual(['type=gha,scope=ghcr.io-acme-web,mode=max,ignore-error=true']);
  });
  it('one runner per platform: each platform keeps its own registry cache and gha scope', () => {
    const registry = planCache({ ...base, tags: ['ghcr.io/acme/web:1'], platformScope: 'linux/arm64' });
    expect(registry.cacheTo).toEqual([`type=registry,ref=ghcr.io/acme/web:buildcache-linux-arm64,${REGISTRY_ATTRS}`]);
    const gha = planCache({ ...base, mode: 'gha', tags: ['ghcr.io/acme/web:1'], platformScope: 'linux/arm/v7' });
    expect(gha.cacheFrom).toEqual(['type=gha,scope=ghcr.io-acme-web-linux-arm-v7']);
  });
  it('local exports beside the directory and rotates it in afterwards', () => {
    const plan = planCache({ ...base, mode: 'local', tags: ['ghcr.io/a/b:1'] });
    expect(plan.cacheFrom).toEqual(['type=local,src=/cache/web']);
    expect(plan.cacheTo).toEqual(['type=local,dest=/cache/web-new,mode=max,ignore-error=true']);
    expect(plan.rotate).toEqual({ exported: '/cache/web-new', current: '/cache/web' });
  });
  it('none means none, and explicit cache-from / cache-to each win on their own', () => {
    expect(planCache({ ...base, mode: 'none', tags: ['ghcr.io/a/b:1'] })).toMatchObject({ cacheFrom: [], cacheTo: [] });
    const plan = planCache({ ...base, tags: ['ghcr.io/a/b:1'], cacheTo: ['type=inline'] });
    expect(plan.cacheFrom).toEqual(['type=registry,ref=ghcr.io/a/b:buildcache']);
    expect(plan.cacheTo).toEqual(['type=inline']);
    expect(plan.explanation).toContain('explicit cache-to used as given');
  });
});
