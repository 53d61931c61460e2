import { describe, expect, it } from 'vitest';
import { IMAGE, load, plan, push, rulesFile } from './helpers.js';

/** Release tags: versions that name exactly one git tag, which immutable-tags: auto protects. */
describe('planBuilds: release tags', () => {
  const semver = load(
    rulesFile(`  - name: releases
    type: tag
    match: v(?<major>\\d+)\\.(?<minor>\\d+)\\.(?<patch>\\d+)
    versions: ['\${major}.\${minor}.\${patch}', '\${major}.\${minor}', latest]
  - {name: main, type: branch, match: main, versions: [latest, 'main-\${sha:7}']}
`),
  );

  it('a version made from every group of a tag rule is a release; one that drops a group rolls', () => {
    const [build] = plan(semver, push('refs/tags/v1.2.3')).builds;
    expect(build?.tags).toEqual([`${IMAGE}:1.2.3`, `${IMAGE}:1.2`, `${IMAGE}:latest`]);
    expect(build?.releaseTags).toEqual([`${IMAGE}:1.2.3`]);
  });

  it('${tag}, the commit or a time suffix also pin a version to one tag', () => {
    const config = load(
      rulesFile(`  - {name: whole, type: tag, match: 'v.*', versions: ['\${tag}', stable]}
  - {name: commit, type: tag, match: 'v.*', versions: [build], commit: 8, platforms: [linux/arm64]}
`),
    );
    const builds = plan(config, push('refs/tags/v9')).builds;
    expect(builds.map((b) => b.releaseTags)).toEqual([[`${IMAGE}:v9`], [`${IMAGE}:build-d4ef3dc3`]]);
  });

  it('branch builds have none: their tags are meant to move', () => {
    expect(plan(semver, push('refs/heads/main')).builds[0]?.releaseTags).toEqual([]);
  });

  it('the zero-config defaults protect the full version only', () => {
    const [release] = plan(undefined, push('refs/tags/v1.2.3'), { images: [IMAGE] }).builds;
    expect(release?.tags).toContain(`${IMAGE}:1.2`);
    expect(release?.releaseTags).toEqual([`${IMAGE}:1.2.3`]);
    const [rc] = plan(undefined, push('refs/tags/v2.0.0-rc.1'), { images: [IMAGE] }).builds;
    expect(rc?.releaseTags).toEqual([`${IMAGE}:2.0.0-rc.1`]);
  });
});
