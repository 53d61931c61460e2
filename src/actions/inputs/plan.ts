import { UserError } from '../../base/errors.js';
import { parsePlatform } from '../../docker/platform.js';
import type { RunContext } from '../../github/context.js';
import type { Inputs } from '../../github/inputs.js';
import { loadRulesFile } from '../../rules/config.js';
import { checkImage } from '../../rules/images.js';
import type { PlanRequest } from '../../rules/plan.js';
import type { PlanSubject } from '../../rules/subject.js';

/** The plan's own inputs; the action reads them from `with:`, the CLI from flags. */
export interface PlanInputs {
  /** Rules file relative to the workspace; undefined: .github/acr-ship.yml if it exists. */
  config: string | undefined;
  images: string[];
  platforms: string[];
}

export function readPlanInputs(inputs: Inputs): PlanInputs {
  return {
    config: inputs.optional('config'),
    images: inputs.list('image').map((ref) => checkImage(ref, "input 'image'")),
    platforms: inputs.list('platforms').map((p) => parsePlatform(p, "input 'platforms'")),
  };
}

/** The run as the rules see it. A pull-request event must carry its payload: the base branch,
 * the head commit and the fork flag are only there. */
export function planSubject(run: RunContext): PlanSubject {
  if (run.eventName.startsWith('pull_request') && !run.pullRequest) {
    throw new UserError(
      `a ${run.eventName} event needs its payload to plan: set GITHUB_EVENT_PATH to a file with pull_request.number, base.ref, head.ref, head.sha and head.repo.full_name`,
    );
  }
  const pr = run.pullRequest;
  return {
    event: run.eventName,
    ref: run.ref,
    sha: run.sha,
    repository: run.repository,
    serverUrl: run.serverUrl,
    defaultBranch: run.defaultBranch,
    pullRequest: pr && { number: pr.number, headSha: pr.headSha, headRef: pr.headRef, baseRef: pr.baseRef, fromFork: pr.fromFork },
  };
}

/** Everything planBuilds needs, with the rules file loaded from the workspace. */
export function planRequest(inputs: PlanInputs, run: RunContext, clock: { now: Date; sourceDateEpoch: string | undefined }): PlanRequest {
  return {
    config: loadRulesFile(run.workspace, inputs.config),
    images: inputs.images,
    platforms: inputs.platforms,
    subject: planSubject(run),
    now: clock.now,
    sourceDateEpoch: clock.sourceDateEpoch,
  };
}
