import { describe, expect, it } from 'vitest';
import { parseDigestLines } from '../../../src/buildx/merge.js';

const d = (c: string): string => `sha256:${c.repeat(64)}`;

describe('parseDigestLines', () => {
  it('reads bare digests and platform=digest lines', () => {
    expect(parseDigestLines([d('a'), `linux/arm64/v8=${d('b')}`])).toEqual([
      { platform: undefined, digest: d('a') },
      { platform: 'linux/arm64', digest: d('b') },
    ]);
  });
  it('names a line that is not a digest', () => {
    expect(() => parseDigestLines(['linux/amd64=sha256:abc'])).toThrow(
      "input 'digests': 'linux/amd64=sha256:abc' is not [platform=]sha256:<64 hex>",
    );
  });
});

describe('parseDigestLines: an empty platform output', () => {
  it('is a missing platform, said as such', () => {
    expect(() => parseDigestLines(['linux/arm64= '])).toThrow(
      "platform linux/arm64 has no digest in input 'digests' (its job failed or was skipped); no tag was written",
    );
  });
});
