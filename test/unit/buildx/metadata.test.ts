import { describe, expect, it } from 'vitest';
import { parseMetadata } from '../../../src/buildx/metadata.js';

describe('parseMetadata', () => {
  it('reads digest, image id and build ref', () => {
    const m = parseMetadata(
      JSON.stringify({ 'containerimage.digest': 'sha256:aa', 'containerimage.config.digest': 'sha256:bb', 'buildx.build.ref': 'b/b0/x' }),
    );
    expect(m).toMatchObject({ digest: 'sha256:aa', imageId: 'sha256:bb', ref: 'b/b0/x' });
  });
  it('survives an empty or broken file', () => {
    expect(parseMetadata('').digest).toBeUndefined();
    expect(parseMetadata('[1]').raw).toEqual({});
  });
});
