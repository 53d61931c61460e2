/**
 * node dist/cli.js plan [--config PATH] [--now ISO-8601] [--event NAME] [--ref REF] [--sha SHA]
 *                       [--image REPO]… [--platforms LIST]
 * Prints `{"builds":[…]}` on stdout — the plan action's `builds` output — from the same GITHUB_*
 * variables the action reads; flags override them. Errors go to stderr, one line each.
 */
import { parseArgs } from 'node:util';
import { errorMessage, UserError } from '../base/errors.js';
import { parseList } from '../base/lists.js';
import { parsePlatform } from '../docker/platform.js';
import { readRunContext } from '../github/context.js';
import { planRequest, type PlanInputs } from '../actions/inputs/plan.js';
import { planJson } from '../actions/report/plan.js';
import { checkImage } from '../rules/images.js';
import { planBuilds } from '../rules/plan.js';

const USAGE = `usage: node dist/cli.js plan [options]
  --config PATH      rules file (default .github/acr-ship.yml; none: zero-config defaults)
  --now ISO-8601     fix the clock, e.g. 2020-10-15T16:25:00+08:00
  --event NAME       event name (default GITHUB_EVENT_NAME, else push)
  --ref REF          full ref, e.g. refs/heads/main, refs/tags/v1.2.3 (default GITHUB_REF)
  --sha SHA          commit (default GITHUB_SHA; for pull requests the head commit)
  --image REPO       image repository where the rules file names none (repeatable)
  --platforms LIST   platforms for the zero-config defaults, e.g. linux/amd64,linux/arm64
Pull-request events read the event payload from GITHUB_EVENT_PATH.`;

// ISO-8601 with an explicit zone: a bare local time would plan differently on every machine.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

function parseNow(text: string): Date {
  const date = new Date(text);
  if (!ISO_TIME.test(text) || Number.isNaN(date.getTime())) {
    throw new UserError(
      `--now: '${text}' is not an ISO-8601 time with a zone; write e.g. 2020-10-15T16:25:00+08:00 or 2020-10-15T08:25:00Z`,
    );
  }
  return date;
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        now: { type: 'string' },
        event: { type: 'string' },
        ref: { type: 'string' },
        sha: { type: 'string' },
        image: { type: 'string', multiple: true },
        platforms: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    throw new UserError(`plan: ${errorMessage(err)}; see node dist/cli.js plan --help`);
  }
}

export async function run(argv: string[]): Promise<number> {
  const flags = parseFlags(argv);
  if (flags.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const now = flags.now !== undefined ? parseNow(flags.now) : new Date();
  const env = process.env;
  const runContext = readRunContext(env);
  if (flags.event !== undefined) {
    if (!/^[a-z_]+$/.test(flags.event)) throw new UserError(`--event: '${flags.event}' is not an event name, e.g. push or pull_request`);
    runContext.eventName = flags.event;
  }
  runContext.eventName ||= 'push';
  if (flags.ref !== undefined) {
    if (!flags.ref.startsWith('refs/'))
      throw new UserError(`--ref: give a full ref, e.g. refs/heads/${flags.ref} or refs/tags/${flags.ref}`);
    runContext.ref = flags.ref;
  }
  if (!runContext.ref && !runContext.eventName.startsWith('pull_request')) {
    throw new UserError('no ref to plan for: pass --ref refs/heads/<branch> (or refs/tags/<tag>), or set GITHUB_REF');
  }
  if (flags.sha !== undefined) {
    if (!/^[0-9a-fA-F]{4,64}$/.test(flags.sha)) throw new UserError(`--sha: '${flags.sha}' is not a commit SHA (4 to 64 hex digits)`);
    runContext.sha = flags.sha.toLowerCase();
    // An explicit commit is the one to tag, for pull requests too.
    if (runContext.pullRequest) runContext.pullRequest.headSha = runContext.sha;
  }
  const inputs: PlanInputs = {
    config: flags.config,
    images: (flags.image ?? []).flatMap((i) => parseList(i)).map((ref) => checkImage(ref, '--image')),
    platforms: parseList(flags.platforms ?? '').map((p) => parsePlatform(p, '--platforms')),
  };
  const plan = planBuilds(planRequest(inputs, runContext, { now, sourceDateEpoch: env.SOURCE_DATE_EPOCH }));
  for (const note of plan.notes) process.stderr.write(`note: ${note}\n`);
  process.stdout.write(planJson(plan) + '\n');
  return 0;
}
