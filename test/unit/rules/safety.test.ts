/**
 * Branch names are attacker-controlled in pull requests: a rule's regex must not let one hang the
 * run. This is a correctness check with a generous bound, not a speed benchmark.
 */
import { describe, expect, it } from 'vitest';
import { load, plan, pullRequest, push, rulesFile } from './helpers.js';

describe('catastrophic patterns', () => {
  // 60 characters that almost match (a+)+b: a backtracking engine needs ~2^59 steps to say no.
  const hostile = 'a'.repeat(59) + '!';
  const config = load(
    rulesFile(`  - {name: evil, type: branch, match: '(a+)+b', versions: [x]}
  - {name: evil-pr, type: pull_request, match: '(a|aa)+b', versions: ['\${branch}']}
`),
  );

  it('(a+)+b against a 60-character hostile branch name finishes well under a second', () => {
    const started = performance.now();
    expect(plan(config, push(`refs/heads/${hostile}`)).builds).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('the same holds for pull-request rules, and a hostile head name only reaches a sanitized tag', () => {
    const started = performance.now();
    expect(plan(config, pullRequest({ base: hostile, head: hostile })).builds).toEqual([]);
    const p = plan(config, pullRequest({ base: `${'a'.repeat(59)}b`, head: `${hostile}$(id)` }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(p.version).toBe(`${'a'.repeat(59)}---id-`);
  });
});
