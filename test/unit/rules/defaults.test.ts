import { describe, expect, it } from 'vitest';
import { semverVersions } from '../../../src/rules/defaults.js';
import { HEAD_SHA, IMAGE, SHA, errorsOf, load, plan, pullRequest, push, tagsOf } from './helpers.js';

/** No rules file: the `image` (and `platforms`) inputs alone. */
const zero = (subject: Parameters<typeof plan>[1], images = [IMAGE]) => plan(undefined, subject, { images, platforms: ['linux/amd64'] });

describe('zero-config defaults', () => {
  it('default branch → latest and sha-<7>', () => {
    const p = zero(push('refs/heads/main'));
    expect(tagsOf(p)).toEqual([[`${IMAGE}:latest`, `${IMAGE}:sha-d4ef3dc`]]);
    expect(p.builds[0]).toMatchObject({ rules: ['default'], context: '.', file: 'Dockerfile', platforms: ['linux/amd64'], push: true });
    expect(p.version).toBe('latest');
  });

  it('another branch → its sanitized name', () => {
    expect(tagsOf(zero(push('refs/heads/feature/login#5')))).toEqual([[`${IMAGE}:feature-login-5`]]);
  });

  it('a branch is not the default one when the payload does not say which is', () => {
    expect(tagsOf(zero(push('refs/heads/main', { defaultBranch: undefined })))).toEqual([[`${IMAGE}:main`]]);
  });

  it('tag vX.Y.Z → X.Y.Z, X.Y, X and latest', () => {
    expect(tagsOf(zero(push('refs/tags/v1.2.3')))).toEqual([[`${IMAGE}:1.2.3`, `${IMAGE}:1.2`, `${IMAGE}:1`, `${IMAGE}:latest`]]);
    expect(tagsOf(zero(push('refs/tags/2.0.10')))).toEqual([[`${IMAGE}:2.0.10`, `${IMAGE}:2.0`, `${IMAGE}:2`, `${IMAGE}:latest`]]);
  });

  it('a prerelease gets only its full version: latest never moves to an RC', () => {
    expect(tagsOf(zero(push('refs/tags/v2.0.0-rc.1')))).toEqual([[`${IMAGE}:2.0.0-rc.1`]]);
  });

  it('build metadata is ignored, as semver says', () => {
    expect(semverVersions('v1.2.3+build.5')).toEqual(['1.2.3', '1.2', '1', 'latest']);
  });

  it('another tag → its sanitized name', () => {
    expect(tagsOf(zero(push('refs/tags/release/2024')))).toEqual([[`${IMAGE}:release-2024`]]);
    expect(semverVersions('v1.2')).toBeUndefined();
    expect(semverVersions('v01.2.3')).toBeUndefined();
  });

  it('pull request → pr-<n>, built but never pushed, labelled with the head commit', () => {
    const p = zero(pullRequest({ base: 'main', head: 'feature', number: 7 }));
    expect(p.builds.map((b) => [b.tags, b.push])).toEqual([[[`${IMAGE}:pr-7`], false]]);
    expect(p.builds[0]?.labels['org.opencontainers.image.revision']).toBe(HEAD_SHA);
    expect(p.notes).toEqual([]);
  });

  it('tags every image given', () => {
    expect(tagsOf(zero(push('refs/heads/dev'), [IMAGE, 'ghcr.io/acme/web']))).toEqual([[`${IMAGE}:dev`, 'ghcr.io/acme/web:dev']]);
  });

  it('apply with a rules file that has no rules: section, using its images and platforms', () => {
    const config = load(`images: [ghcr.io/acme/web]\nplatforms: [linux/arm64]\ntriggers:\n  - {name: t, url-env: URL}\n`);
    const p = plan(config, push('refs/heads/main'), { images: [IMAGE], platforms: ['linux/amd64'] });
    expect(tagsOf(p)).toEqual([['ghcr.io/acme/web:latest', `ghcr.io/acme/web:sha-${SHA.slice(0, 7)}`]]);
    expect(p.builds[0]?.platforms).toEqual(['linux/arm64']);
  });

  it('need an image', () => {
    expect(errorsOf(() => zero(push('refs/heads/main'), []))).toEqual([
      "no image to tag: set 'image:' in the rules file or the 'image' input, e.g. registry.cn-hangzhou.aliyuncs.com/acme/web",
    ]);
  });

  it('need the commit SHA on the default branch', () => {
    expect(errorsOf(() => zero(push('refs/heads/main', { sha: '' })))[0]).toContain('sha-<7> needs the commit SHA');
  });

  it('refuse a name that leaves no tag', () => {
    expect(errorsOf(() => zero(push('refs/heads/中文')))).toEqual(["branch '中文' gives an empty tag; name it with letters or digits"]);
  });
});
