import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/base/errors.js';
import { compileTagFilter, describeFilter } from '../../../src/redeploy/filter.js';

const TAGS = ['latest', 'release-v1.2', 'pre-release-v1', 'release-v1.2-rc', 'v2'];

function passing(filter: Parameters<typeof compileTagFilter>[0]): string[] {
  const pass = compileTagFilter(filter, "trigger 'prod'");
  return TAGS.filter(pass);
}

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('tag filters', () => {
  it('all passes every tag', () => {
    expect(passing({ type: 'all' })).toEqual(TAGS);
  });

  it('regex matches the whole tag, as ACR does', () => {
    expect(passing({ type: 'regex', expression: 'release-v.*' })).toEqual(['release-v1.2', 'release-v1.2-rc']);
    expect(passing({ type: 'regex', expression: 'release-v[0-9.]+' })).toEqual(['release-v1.2']);
    expect(passing({ type: 'regex', expression: 'v2|latest' })).toEqual(['latest', 'v2']);
  });

  it('regex answers hostile input (a backtracking engine would never return here)', () => {
    const pass = compileTagFilter({ type: 'regex', expression: '(a+)+b' }, "trigger 'x'");
    expect(pass('a'.repeat(128) + 'c')).toBe(false);
  });

  it('tags passes exact tags only', () => {
    expect(passing({ type: 'tags', tags: ['v2', 'latest', 'v9'] })).toEqual(['latest', 'v2']);
  });

  it('rejects a bad regex in one line naming the trigger', () => {
    const err = errorOf(() => compileTagFilter({ type: 'regex', expression: 'release-(' }, "trigger 'prod'"));
    expect(err.message).toMatch(/^trigger 'prod' filter expression: invalid regular expression 'release-\('/);
    expect(err.message).not.toContain('\n');
    expect(errorOf(() => compileTagFilter({ type: 'regex', expression: '(?=v)v1' }, "trigger 'prod'")).message).toContain('no lookaround');
    expect(errorOf(() => compileTagFilter({ type: 'regex', expression: '' }, "trigger 'prod'")).message).toContain('empty expression');
  });

  it("keeps ACR's limit of 10 tags and needs at least one", () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `v${i}`);
    expect(errorOf(() => compileTagFilter({ type: 'tags', tags: eleven }, "trigger 'prod'")).message).toBe(
      "trigger 'prod': the tags filter lists 11 tags; ACR allows at most 10: use a regex filter instead",
    );
    expect(errorOf(() => compileTagFilter({ type: 'tags', tags: [] }, "trigger 'prod'")).message).toContain('lists no tag');
    expect(() => compileTagFilter({ type: 'tags', tags: eleven.slice(0, 10) }, "trigger 'prod'")).not.toThrow();
  });

  it('describes itself for the summary', () => {
    expect(describeFilter({ type: 'all' })).toBe('all tags');
    expect(describeFilter({ type: 'regex', expression: 'v.*' })).toBe('regex v.*');
    expect(describeFilter({ type: 'tags', tags: ['a', 'b'] })).toBe('tags a, b');
  });
});
