import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../../src/base/pattern.js';

describe('compilePattern', () => {
  it('matches the whole input and returns JS-style named groups', () => {
    const p = compilePattern('release-(?<imageTag>\\w*)', 'rule');
    expect(p.groupNames).toEqual(['imageTag']);
    expect(p.matchWhole('release-v1')).toEqual({ imageTag: 'v1' });
    expect(p.matchWhole('xrelease-v1')).toBeUndefined();
    expect(p.test('xrelease-v1')).toBe(true);
  });
  it('lists several groups in pattern order', () => {
    expect(compilePattern('release-(?<major>\\d*)-(?<minor>\\d*)-(?<version>\\d*)', 'r').matchWhole('release-11-2-10')).toEqual({
      major: '11',
      minor: '2',
      version: '10',
    });
  });
  it('rejects lookaround with a message naming what and why', () => {
    expect(() => compilePattern('(?=a)b', "rule 'x' match")).toThrow(
      /rule 'x' match: invalid regular expression '\(\?=a\)b'.*no lookaround/,
    );
  });
  it('treats over-long input as no match', () => {
    expect(compilePattern('a*', 'r').matchWhole('a'.repeat(5000))).toBeUndefined();
  });
  it('runs a catastrophic-backtracking pattern in linear time', () => {
    const p = compilePattern('(a+)+b', 'r');
    const start = performance.now();
    expect(p.matchWhole('a'.repeat(60))).toBeUndefined();
    // A backtracking engine needs ~2^60 steps here; a generous bound proves it is not one.
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
