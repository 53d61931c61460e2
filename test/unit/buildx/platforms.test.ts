import { describe, expect, it } from 'vitest';
import { normalizePlatform, parsePlatform, unservedPlatforms } from '../../../src/buildx/platforms.js';

describe('platforms', () => {
  it('normalises as BuildKit compares', () => {
    expect(normalizePlatform('Linux/ARM64/v8')).toBe('linux/arm64');
    expect(normalizePlatform('linux/arm')).toBe('linux/arm/v7');
    expect(normalizePlatform('linux/amd64/v1')).toBe('linux/amd64');
    expect(normalizePlatform('linux/arm/v6')).toBe('linux/arm/v6');
  });
  it('rejects what BuildKit does not know, naming the input', () => {
    expect(parsePlatform(' linux/arm64 ')).toBe('linux/arm64');
    expect(() => parsePlatform('linux/arm65', "input 'platforms'")).toThrow(
      "input 'platforms': 'linux/arm65' is not a platform BuildKit knows",
    );
    expect(() => parsePlatform('amd64')).toThrow(/write os\/arch/);
  });
  it('finds requested platforms nobody serves', () => {
    expect(unservedPlatforms(['linux/amd64', 'linux/arm64', 'linux/s390x'], ['linux/amd64', 'linux/arm64/v8'])).toEqual(['linux/s390x']);
  });
});
