import { describe, expect, it } from 'vitest';
import { emptyBuildRequest } from '../../../src/buildx/request.js';
import { explicitBuild, parsePlanJson, selectBuilds, toBuildRequest } from '../../../src/pipeline/builds.js';
import { immutableTags } from '../../../src/pipeline/immutable.js';
import type { PlannedBuild } from '../../../src/rules/plan.js';

const planned: PlannedBuild = {
  rules: ['releases'],
  context: 'app',
  file: 'app/Dockerfile',
  platforms: ['linux/amd64', 'linux/arm64'],
  buildArgs: { JAVA_VERSION: '17', SHARED: 'rule' },
  target: 'runtime',
  tags: ['r.io/acme/web:1.2.3', 'r.io/acme/web:latest'],
  labels: { 'org.opencontainers.image.version': '1.2.3', 'org.opencontainers.image.title': 'web' },
  push: true,
  releaseTags: ['r.io/acme/web:1.2.3'],
};
const base = {
  ...emptyBuildRequest('.'),
  buildArgs: { SHARED: 'input', BASE: 'x' },
  labels: { 'org.opencontainers.image.title': 'mine' },
  noCache: true,
};

describe('toBuildRequest', () => {
  it('takes paths, platforms, target and tags from the plan and everything else from the inputs', () => {
    const req = toBuildRequest(planned, base, { pushByDigest: false, pushAllowed: true });
    expect(req).toMatchObject({
      context: 'app',
      file: 'app/Dockerfile',
      target: 'runtime',
      platforms: planned.platforms,
      tags: planned.tags,
      push: true,
      pushByDigest: false,
      noCache: true,
    });
    // A rule's build args win; the input's labels win over the OCI defaults.
    expect(req.buildArgs).toEqual({ SHARED: 'rule', BASE: 'x', JAVA_VERSION: '17' });
    expect(req.labels).toEqual({ 'org.opencontainers.image.version': '1.2.3', 'org.opencontainers.image.title': 'mine' });
  });
  it('builds one planned platform for a per-platform runner, pushing by digest', () => {
    const req = toBuildRequest(planned, base, { platform: 'linux/arm64/v8', pushByDigest: true, pushAllowed: true });
    expect(req.platforms).toEqual(['linux/arm64']);
    expect(req.pushByDigest).toBe(true);
  });
  it('refuses a platform the plan does not build', () => {
    expect(() => toBuildRequest(planned, base, { platform: 'linux/s390x', pushByDigest: true, pushAllowed: true })).toThrow(
      "input 'platform' is linux/s390x, which the plan does not build (it builds linux/amd64, linux/arm64)",
    );
  });
  it('pushes nothing when push is false or the plan says so', () => {
    expect(toBuildRequest(planned, base, { pushByDigest: true, pushAllowed: false })).toMatchObject({ push: false, pushByDigest: false });
    expect(toBuildRequest({ ...planned, push: false }, base, { pushByDigest: false, pushAllowed: true }).push).toBe(false);
  });
  it('lets context/file/target inputs shape the zero-config build', () => {
    const zero = { ...planned, context: '.', file: 'Dockerfile', target: null };
    expect(toBuildRequest(zero, base, { pushByDigest: false, pushAllowed: true, paths: { context: 'examples/hello' } })).toMatchObject({
      context: 'examples/hello',
      file: 'examples/hello/Dockerfile',
      target: undefined,
    });
    expect(
      toBuildRequest(zero, base, { pushByDigest: false, pushAllowed: true, paths: { file: 'docker/prod.Dockerfile', target: 'app' } }),
    ).toMatchObject({ context: '.', file: 'docker/prod.Dockerfile', target: 'app' });
  });
});

describe('plans handed on between jobs', () => {
  it('reads the plan job output and picks a build', () => {
    const builds = parsePlanJson(JSON.stringify({ builds: [planned, { ...planned, tags: ['r.io/acme/api:1.2.3'] }] }));
    expect(builds).toHaveLength(2);
    expect(selectBuilds(builds, 1)[0]?.tags).toEqual(['r.io/acme/api:1.2.3']);
    expect(selectBuilds(builds, undefined)).toHaveLength(2);
    expect(() => selectBuilds(builds, 2)).toThrow("input 'build-index' is 2, but the plan has 2 build(s)");
  });
  it('names what is wrong with a plan that is not one', () => {
    expect(() => parsePlanJson('nope')).toThrow("input 'plan' is not JSON");
    expect(() => parsePlanJson('{"tags":[]}')).toThrow('has no "builds" list');
    expect(() => parsePlanJson('{"builds":[{"tags":["a"]}]}')).toThrow("input 'plan' build 0 lacks tags, platforms, context, file or push");
  });
});

describe('explicit tags', () => {
  it('make one build from the build inputs', () => {
    const req = { ...emptyBuildRequest('examples/hello'), tags: ['r.io/a/b:1'], platforms: ['linux/amd64'] };
    expect(explicitBuild(req, false, {})).toEqual({
      rules: [],
      context: 'examples/hello',
      file: 'examples/hello/Dockerfile',
      platforms: ['linux/amd64'],
      buildArgs: {},
      target: null,
      tags: ['r.io/a/b:1'],
      labels: {},
      push: false,
      releaseTags: [],
    });
  });
});

describe('immutableTags', () => {
  it("auto: the plan's release tags", () => {
    expect(immutableTags(planned, 'auto')).toEqual(['r.io/acme/web:1.2.3']);
    expect(immutableTags({ ...planned, releaseTags: [] }, 'auto')).toEqual([]);
  });
  it('true guards every tag; false none', () => {
    expect(immutableTags(planned, true)).toEqual(planned.tags);
    expect(immutableTags(planned, false)).toEqual([]);
  });
});
