import { describe, expect, it } from 'vitest';
import { readMergeInputs } from '../../../src/actions/inputs/merge.js';
import { mergeSummary } from '../../../src/actions/report/merge.js';
import { Inputs } from '../../../src/github/inputs.js';

const d = (c: string): string => `sha256:${c.repeat(64)}`;
const build = (over: Record<string, unknown> = {}) => ({
  rules: ['main'],
  context: '.',
  file: 'Dockerfile',
  platforms: ['linux/amd64', 'linux/arm64'],
  buildArgs: {},
  target: null,
  tags: ['r.io/acme/web:latest', 'r.io/acme/web:main-1234567'],
  labels: {},
  push: true,
  ...over,
});
const plan = (...builds: object[]): string => JSON.stringify({ builds });

function read(inputs: Record<string, string>) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return readMergeInputs(new Inputs(env));
}

describe('merge inputs', () => {
  it('takes tags and platforms from the chosen build of the plan', () => {
    const digests = `linux/amd64=${d('a')}\nlinux/arm64=${d('b')}`;
    expect(read({ plan: plan(build()), digests }).request).toEqual({
      tags: ['r.io/acme/web:latest', 'r.io/acme/web:main-1234567'],
      platforms: ['linux/amd64', 'linux/arm64'],
      digests: [
        { platform: 'linux/amd64', digest: d('a') },
        { platform: 'linux/arm64', digest: d('b') },
      ],
    });
    const second = read({ plan: plan(build(), build({ tags: ['r.io/acme/api:1'], platforms: [] })), 'build-index': '1', digests: d('c') });
    expect(second.request).toMatchObject({ tags: ['r.io/acme/api:1'], platforms: [] });
  });

  it('lets explicit tags and platforms replace the plan’s', () => {
    const req = read({ plan: plan(build()), tags: 'q.io/x/web:1', platforms: 'linux/arm64', digests: d('a') }).request;
    expect(req).toMatchObject({ tags: ['q.io/x/web:1'], platforms: ['linux/arm64'] });
  });

  it('the plan’s release tags are the ones that must not move (latest may); replaced tags drop them', () => {
    const release = build({ tags: ['r.io/acme/web:1.2.3', 'r.io/acme/web:latest'], releaseTags: ['r.io/acme/web:1.2.3'] });
    expect(read({ plan: plan(release), digests: d('a') }).releaseTags).toEqual(['r.io/acme/web:1.2.3']);
    expect(read({ plan: plan(build()), digests: d('a') }).releaseTags).toEqual([]);
    expect(read({ plan: plan(release), tags: 'q.io/x/web:1', digests: d('a') }).releaseTags).toEqual([]);
  });

  it('has nothing to merge for a build the plan does not push (a fork’s pull request)', () => {
    expect(read({ plan: plan(build({ push: false })), digests: '' }).request).toBeUndefined();
  });

  it('names the input and the fix when something is wrong', () => {
    expect(() => read({ digests: d('a') })).toThrow("input 'plan' or 'tags' is required");
    expect(() => read({ plan: plan(build()), 'build-index': '2', digests: d('a') })).toThrow(
      "input 'build-index' is 2, but the plan has 1 build(s)",
    );
    expect(() => read({ tags: 'r.io/Acme/web:1', digests: d('a') })).toThrow(
      "input 'tags': 'r.io/Acme/web:1' is not a valid image reference",
    );
    expect(() => read({ plan: plan(build()), digests: `linux/arm64=` })).toThrow(
      "platform linux/arm64 has no digest in input 'digests' (its job failed or was skipped); no tag was written",
    );
    expect(() => read({ plan: '{"builds":', digests: d('a') })).toThrow("input 'plan' is not JSON");
  });

  it('reports the tags, the index and each platform as read back', () => {
    const summary = mergeSummary({
      digest: d('f'),
      tags: ['r.io/acme/web:latest'],
      platforms: [
        { platform: 'linux/amd64', digest: d('a'), layers: 2, compressedSize: 2048 },
        { platform: 'linux/arm64', digest: d('b'), layers: 2, compressedSize: 4096 },
      ],
      sources: [
        { platform: 'linux/amd64', digest: d('a') },
        { platform: 'linux/arm64', digest: d('c') },
      ],
    });
    expect(summary).toContain('| Tags written | r.io/acme/web:latest |');
    expect(summary).toContain(`| Index | ${d('f')} |`);
    expect(summary).toContain(`| linux/amd64 | ${d('a')} | same | 2 | 2.00 KiB |`);
    expect(summary).toContain(`| linux/arm64 | ${d('b')} | ${d('c')} | 2 | 4.00 KiB |`);
  });
});
