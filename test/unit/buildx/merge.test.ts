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
