import { describe, expect, it } from 'vitest';
import { UserErrors } from '../../../src/base/errors.js';
import { describePush, type PushInput } from '../../../src/redeploy/push.js';

const DIGEST = 'sha256:' + 'ab'.repeat(32);
const LABELS = { image: "input 'image'", tags: "input 'tags'", digest: "input 'digest'" };
const at = new Date('2025-01-01T00:00:00Z');

function describeOf(input: Partial<PushInput>): ReturnType<typeof describePush> {
  return describePush({ tags: [], digest: DIGEST, pushedAt: at, ...input }, LABELS);
}

describe('what was pushed', () => {
  it('takes bare tags with the image', () => {
    const { push } = describeOf({ image: 'registry.cn-hangzhou.aliyuncs.com/acme/web', tags: ['v1.2.3', 'latest', 'v1.2.3'] });
    expect(push).toMatchObject({ registry: 'registry.cn-hangzhou.aliyuncs.com', repository: 'acme/web', tags: ['v1.2.3', 'latest'] });
    expect(push.repoType).toBe('PRIVATE');
  });

  it('takes full references, the image from the first, and sets other repositories aside', () => {
    const { push, otherImages } = describeOf({
      tags: ['registry.cn-hangzhou.aliyuncs.com/acme/web:v1', 'ghcr.io/acme/web:v1', 'registry.cn-hangzhou.aliyuncs.com/acme/web:latest'],
    });
    expect(push).toMatchObject({ registry: 'registry.cn-hangzhou.aliyuncs.com', repository: 'acme/web', tags: ['v1', 'latest'] });
    expect(otherImages).toEqual(['ghcr.io/acme/web:v1']);
  });

  it('reports every problem at once, one line each, naming the input', () => {
    let caught: unknown;
    try {
      describeOf({ tags: ['v1', '-bad', 'ghcr.io/acme/web'], digest: 'nope' });
    } catch (err) {
      caught = err;
    }
    expect((caught as UserErrors).errors.map((e) => e.message)).toEqual([
      "input 'tags': '-bad' is not a valid tag: use letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-'",
      "input 'tags': 'ghcr.io/acme/web' names no tag: write ghcr.io/acme/web:<tag>",
      "input 'image' is required when input 'tags' lists bare tags, e.g. registry.cn-hangzhou.aliyuncs.com/acme/web",
      "input 'digest': 'nope' is not a digest: write sha256:<64 hex digits>",
    ]);
  });

  it('needs the image for bare tags, the tags and the digest', () => {
    expect(() => describeOf({ tags: ['v1'] })).toThrow("input 'image' is required when input 'tags' lists bare tags");
    expect(() => describeOf({ image: 'ghcr.io/acme/web' })).toThrow("input 'tags' is required");
    expect(() => describeOf({ image: 'ghcr.io/acme/web', tags: ['v1'], digest: '' })).toThrow("input 'digest' is required");
    expect(() => describeOf({ image: 'ghcr.io/acme/web:v1', tags: ['v1'] })).toThrow("input 'image' names the repository only");
  });
});
