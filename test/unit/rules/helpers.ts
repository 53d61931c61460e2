/** Small builders shared by the rules tests. */
import { UserError, UserErrors } from '../../../src/base/errors.js';
import { parseRulesFile, type RulesConfig } from '../../../src/rules/config.js';
import { planBuilds, type Plan, type PlanRequest } from '../../../src/rules/plan.js';
import type { PlanSubject } from '../../../src/rules/subject.js';

export const SHA = 'd4ef3dc3b77a011a5779eec7efdd45a1b2c3d4e5';
export const HEAD_SHA = '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b';
export const IMAGE = 'registry.cn-hangzhou.aliyuncs.com/acme/web';
/** 2020-10-15 16:25 in UTC+8: the time of ACR's documented example. */
export const ACR_TIME = new Date('2020-10-15T16:25:00+08:00');

export function push(ref: string, extra: Partial<PlanSubject> = {}): PlanSubject {
  return {
    event: 'push',
    ref,
    sha: SHA,
    repository: 'acme/web',
    serverUrl: 'https://github.com',
    defaultBranch: 'main',
    pullRequest: undefined,
    ...extra,
  };
}

export function pullRequest(options: { base: string; head: string; number?: number; fromFork?: boolean }): PlanSubject {
  const number = options.number ?? 42;
  return {
    ...push(`refs/pull/${number}/merge`),
    event: 'pull_request',
    sha: '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f',
    pullRequest: { number, headSha: HEAD_SHA, headRef: options.head, baseRef: options.base, fromFork: options.fromFork ?? false },
  };
}

/** ACR's documented build-rule example (Example 2 of its image-build guide), as a rule. */
export const ACR_RULE = `  - name: release
    type: branch
    match: release-(?<imageTag>\\w*)
    context: /
    dockerfile: Dockerfile
    versions: ["\${imageTag}"]
    time: yyyyMMddHHmm
    commit: 30
`;

/** A rules file with the given `rules:` body (YAML, indented by two spaces per rule). */
export function rulesFile(rules: string, header = `version: 1\nimage: ${IMAGE}\n`): string {
  return `${header}rules:\n${rules}`;
}

/** ACR's example as a whole rules file: branch release-v1 at ACR_TIME gives ACR_VERSION. */
export const ACR_EXAMPLE = rulesFile(ACR_RULE);
export const ACR_VERSION = 'v1-202010151625-d4ef3dc3b77a011a5779eec7efdd45';

export function load(text: string): RulesConfig {
  return parseRulesFile(text, '.github/acr-ship.yml');
}

export function plan(config: RulesConfig | undefined, subject: PlanSubject, extra: Partial<PlanRequest> = {}): Plan {
  return planBuilds({ config, images: [], platforms: [], subject, now: ACR_TIME, ...extra });
}

/** The one-line messages of the UserError(s) `fn` throws; fails when it throws nothing else. */
export function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserErrors) return err.errors.map((e) => e.message);
    if (err instanceof UserError) return [err.message];
    throw err;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}

/** The errors of loading `text`. */
export function loadErrors(text: string): string[] {
  return errorsOf(() => load(text));
}

export function tagsOf(p: Plan): string[][] {
  return p.builds.map((b) => b.tags);
}
