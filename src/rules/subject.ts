import type { RULE_TYPES } from './schema.js';

/**
 * What a plan is made for, as plain values (the action and the CLI fill it from the GITHUB_*
 * variables and the event payload; tests write it by hand).
 */
export interface PlanPullRequest {
  number: number;
  /** The PR head commit — not GitHub's temporary merge commit. */
  headSha: string;
  headRef: string;
  baseRef: string;
  /** The head lives in another repository: build only, never push. */
  fromFork: boolean;
}

export interface PlanSubject {
  /** GITHUB_EVENT_NAME: push, pull_request, workflow_dispatch, schedule… */
  event: string;
  /** Full ref: refs/heads/main, refs/tags/v1.2.3, refs/pull/42/merge. */
  ref: string;
  /** The commit built (for pull requests the merge commit; the head commit is in pullRequest). */
  sha: string;
  /** `owner/name`. */
  repository: string;
  /** https://github.com or a GHES address. */
  serverUrl: string;
  /** From the event payload; undefined when unknown. */
  defaultBranch: string | undefined;
  pullRequest: PlanPullRequest | undefined;
}

export type RuleType = (typeof RULE_TYPES)[number];

/** The name rules are matched against, with the variables every rule of that type may use. */
export interface MatchTarget {
  type: RuleType;
  /** Branch name, tag name, or (pull requests) the base branch. */
  name: string;
  /** The commit the image is made from: for pull requests, the head commit. */
  sha: string;
  /** Built-in template variables. */
  values: Record<string, string>;
  /** False for pull requests from forks. */
  mayPush: boolean;
  /** How to say what was matched, e.g. `branch 'main'`. */
  description: string;
}

/** Built-in template variables by rule type; a template using another is a config error. */
export const BUILTIN_VARIABLES: Record<RuleType, readonly string[]> = {
  branch: ['branch', 'sha'],
  tag: ['tag', 'sha'],
  pull_request: ['branch', 'base', 'pr', 'sha'],
};

/** Control characters cannot be in git refs, but --ref can say anything: keep messages one line. */
export function shownName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return `'${name.replace(/[\u0000-\u001f\u007f]/gu, '?')}'`;
}

/**
 * Pull-request events match `pull_request` rules against the base branch. Every other event —
 * push, and also workflow_dispatch and schedule (so regex rules can be run by hand, which ACR
 * cannot) — is a push of its ref. Undefined when the ref is neither a branch nor a tag.
 */
export function matchTarget(subject: PlanSubject): MatchTarget | undefined {
  const pr = subject.pullRequest;
  if (subject.event.startsWith('pull_request') && pr) {
    return {
      type: 'pull_request',
      name: pr.baseRef,
      sha: pr.headSha,
      values: { branch: pr.headRef, base: pr.baseRef, pr: String(pr.number), sha: pr.headSha },
      mayPush: !pr.fromFork,
      description: `pull request #${pr.number} (${shownName(pr.headRef)} into ${shownName(pr.baseRef)})`,
    };
  }
  for (const [prefix, type] of [
    ['refs/heads/', 'branch'],
    ['refs/tags/', 'tag'],
  ] as const) {
    if (!subject.ref.startsWith(prefix) || subject.ref.length === prefix.length) continue;
    const name = subject.ref.slice(prefix.length);
    return {
      type,
      name,
      sha: subject.sha,
      values: { [type]: name, sha: subject.sha },
      mayPush: true,
      description: `${type} ${shownName(name)}`,
    };
  }
  return undefined;
}
