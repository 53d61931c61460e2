import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { UserError } from '../base/errors.js';

/**
 * What the run is about, from the standard GITHUB_* variables and the event payload file alone
 * (no API call, so it works offline and on GHES). This is the one place that knows how GitHub
 * describes a run; everything below it gets plain values.
 */
export interface PullRequestInfo {
  number: number;
  /** The PR head commit — not GitHub's temporary merge commit in GITHUB_SHA. */
  headSha: string;
  headRef: string;
  baseRef: string;
  /** `owner/name` of the head repository. */
  headRepository: string;
  /** True when the head lives in another repository: no secrets, never push. */
  fromFork: boolean;
}

export interface RunContext {
  eventName: string;
  /** Full ref, e.g. refs/heads/main, refs/tags/v1.2.3, refs/pull/42/merge. */
  ref: string;
  sha: string;
  /** `owner/name`. */
  repository: string;
  serverUrl: string;
  runId: string;
  runAttempt: string;
  workspace: string;
  runnerTemp: string;
  defaultBranch: string | undefined;
  pullRequest: PullRequestInfo | undefined;
  /** The push's commit time from the payload, when the event carries it. */
  headCommitTime: string | undefined;
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function readEventPayload(path: string | undefined): Json {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  try {
    return obj(JSON.parse(text)) ?? {};
  } catch {
    throw new UserError(`GITHUB_EVENT_PATH (${path}) is not valid JSON`);
  }
}

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const payload = readEventPayload(env.GITHUB_EVENT_PATH);
  const repository = env.GITHUB_REPOSITORY ?? str(obj(payload.repository)?.full_name) ?? '';
  const pr = obj(payload.pull_request);
  let pullRequest: PullRequestInfo | undefined;
  if (pr) {
    const head = obj(pr.head) ?? {};
    const base = obj(pr.base) ?? {};
    const headRepository = str(obj(head.repo)?.full_name) ?? repository;
    pullRequest = {
      number: Number(pr.number ?? payload.number ?? 0),
      headSha: str(head.sha) ?? env.GITHUB_SHA ?? '',
      headRef: str(head.ref) ?? env.GITHUB_HEAD_REF ?? '',
      baseRef: str(base.ref) ?? env.GITHUB_BASE_REF ?? '',
      headRepository,
      fromFork: headRepository.toLowerCase() !== repository.toLowerCase(),
    };
  }
  const headCommit = obj(payload.head_commit);
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    repository,
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    runnerTemp: env.RUNNER_TEMP ?? tmpdir(),
    defaultBranch: str(obj(payload.repository)?.default_branch),
    pullRequest,
    headCommitTime: str(headCommit?.timestamp),
  };
}

export function runUrl(ctx: RunContext): string | undefined {
  if (!ctx.repository || !ctx.runId) return undefined;
  return `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}`;
}
