import { describe, expect, it } from 'vitest';
import { assembleVersion, MAX_TAG_LENGTH, sanitizeTag } from '../../../src/rules/version.js';
import { isValidTag } from '../../../src/docker/reference.js';

describe('sanitizing tags', () => {
  it.each([
    ['main', 'main'],
    ['feature/login', 'feature-login'],
    ['a b\tc', 'a-b-c'],
    ['..x', 'x'],
    ['-x-', 'x-'],
    ['v1.2.3_rc', 'v1.2.3_rc'],
    ['中文分支', ''],
    ['x😀y', 'x-y'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeTag(input)).toBe(expected);
  });
});

describe('assembling versions', () => {
  it('joins template, time and commit with -, in that order', () => {
    expect(assembleVersion('v1', ['202010151625', 'd4ef3dc3b77a011a5779eec7efdd45'])).toBe(
      'v1-202010151625-d4ef3dc3b77a011a5779eec7efdd45',
    );
    expect(assembleVersion('v1', ['d4ef3d'])).toBe('v1-d4ef3d');
    expect(assembleVersion('v1', [])).toBe('v1');
  });

  it('is undefined when the template part leaves nothing, even with suffixes', () => {
    expect(assembleVersion('', ['20201015'])).toBeUndefined();
    expect(assembleVersion('/./', [])).toBeUndefined();
  });

  it('cuts the template part so the whole stays within 128 characters', () => {
    const v = assembleVersion('b'.repeat(500), ['20201015', 'abcdef']);
    expect(v).toHaveLength(MAX_TAG_LENGTH);
    expect(v?.endsWith('b-20201015-abcdef')).toBe(true);
    expect(isValidTag(v ?? '')).toBe(true);
  });
});
