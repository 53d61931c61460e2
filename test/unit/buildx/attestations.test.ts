import { describe, expect, it } from 'vitest';
import { chooseAttestations } from '../../../src/buildx/attestations.js';

describe('chooseAttestations', () => {
  it('turns provenance and SBOM off when any target is ACR, and says why', () => {
    const c = chooseAttestations(['ghcr.io/a/b:1', 'registry.cn-hangzhou.aliyuncs.com/a/b:1'], {});
    expect(c).toMatchObject({ provenance: 'false', sbom: 'false' });
    expect(c.explanation).toContain('registry.cn-hangzhou.aliyuncs.com is ACR, which rejects attestation manifests');
  });
  it('uses minimal provenance elsewhere', () => {
    expect(chooseAttestations(['ghcr.io/a/b:1'], {})).toMatchObject({ provenance: 'mode=min', sbom: undefined });
  });
  it('lets explicit inputs win, and says so', () => {
    const c = chooseAttestations(['acme-registry.cn-shanghai.cr.aliyuncs.com/a/b:1'], { provenance: 'mode=max' });
    expect(c).toMatchObject({ provenance: 'mode=max', sbom: 'false' });
    expect(c.explanation).toContain('provenance as given');
    expect(chooseAttestations(['ghcr.io/a/b:1'], { sbom: 'true' })).toMatchObject({ provenance: 'mode=min', sbom: 'true' });
  });
});

describe('chooseAttestations when nothing is pushed or the builder cannot attest', () => {
  it("leaves buildx's default for the docker driver, which makes no attestations", () => {
    expect(chooseAttestations(['ghcr.io/a/b:1'], {}, { pushes: true, driver: 'docker' })).toEqual({
      explanation: "attestations: buildx's default (the docker driver makes none)",
    });
  });
  it("leaves buildx's default when nothing is pushed, keeping explicit inputs", () => {
    expect(chooseAttestations(['registry.cn-hangzhou.aliyuncs.com/a/b:1'], { sbom: 'true' }, { pushes: false })).toEqual({
      sbom: 'true',
      explanation: "attestations: buildx's default (nothing is pushed); sbom as given",
    });
  });
});
