import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunContext, runUrl } from '../../../src/github/context.js';
import { scratchDir } from '../../support/scratch.js';

function eventFile(payload: unknown): string {
  const file = join(scratchDir('ctx-'), 'event.json');
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

describe('readRunContext', () => {
  it('reads a push from the standard variables and payload', () => {
    const ctx = readRunContext({
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: 'abc',
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_RUN_ID: '9',
      GITHUB_EVENT_PATH: eventFile({ repository: { default_branch: 'main' }, head_commit: { timestamp: '2020-10-15T16:25:00+08:00' } }),
    });
    expect(ctx).toMatchObject({
      eventName: 'push',
      ref: 'refs/heads/main',
      sha: 'abc',
      defaultBranch: 'main',
      headCommitTime: '2020-10-15T16:25:00+08:00',
      pullRequest: undefined,
    });
    expect(runUrl(ctx)).toBe('https://github.com/acme/app/actions/runs/9');
  });
  it('takes the PR head commit, not the merge commit, and detects forks', () => {
    const payload = {
      number: 42,
      pull_request: { number: 42, head: { sha: 'head', ref: 'feature/x', repo: { full_name: 'someone/app' } }, base: { ref: 'main' } },
    };
    const ctx = readRunContext({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_SHA: 'merge',
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_EVENT_PATH: eventFile(payload),
    });
    expect(ctx.pullRequest).toEqual({
      number: 42,
      headSha: 'head',
      headRef: 'feature/x',
      baseRef: 'main',
      headRepository: 'someone/app',
      fromFork: true,
    });
  });
  it('treats a PR from the same repository (any case) as not a fork', () => {
    const payload = { pull_request: { number: 1, head: { sha: 'h', ref: 'f', repo: { full_name: 'ACME/app' } }, base: { ref: 'main' } } };
    expect(readRunContext({ GITHUB_REPOSITORY: 'acme/app', GITHUB_EVENT_PATH: eventFile(payload) }).pullRequest?.fromFork).toBe(false);
  });
  it('works without an event file', () => {
    expect(readRunContext({ GITHUB_EVENT_PATH: '/nonexistent/event.json' }).pullRequest).toBeUndefined();
  });
  it('says when the event file is not JSON', () => {
    const file = join(scratchDir('ctx-'), 'event.json');
    writeFileSync(file, '{');
    expect(() => readRunContext({ GITHUB_EVENT_PATH: file })).toThrow(`GITHUB_EVENT_PATH (${file}) is not valid JSON`);
  });
});
