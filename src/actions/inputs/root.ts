import { ErrorList, UserError } from '../../base/errors.js';
import type { Log } from '../../base/log.js';
import type { ImageBuildSpec } from '../../buildx/image.js';
import { parsePlatform } from '../../buildx/platforms.js';
import type { RunContext } from '../../github/context.js';
import type { Inputs } from '../../github/inputs.js';
import { explicitBuild, parsePlanJson, selectBuilds, type BuildOverrides, type BuildsSource } from '../../pipeline/builds.js';
import type { ImmutableMode } from '../../pipeline/immutable.js';
import { defaultTotalTimeoutMs } from '../../redeploy/deliver.js';
import type { Trigger } from '../../redeploy/trigger.js';
import { loadRulesFile, type RulesConfig, type TriggerConfig } from '../../rules/config.js';
import { planBuilds, type Plan } from '../../rules/plan.js';
import { readBuildStepInputs } from './build.js';
import { webhookTriggers } from './redeploy.js';
import { planSubject, readPlanInputs } from './plan.js';

/** Everything the root action was asked to do, read from its inputs before anything runs. */
export interface RootRequest {
  source: BuildsSource;
  plan: Plan;
  /** The rules file, when there is one (its triggers, its name in the report). */
  config: RulesConfig | undefined;
  spec: ImageBuildSpec;
  overrides: BuildOverrides;
  immutable: ImmutableMode;
  dryRun: boolean;
  summary: boolean;
  /** The `webhooks` input's triggers (already masked and checked). */
  webhooks: Trigger[];
  /** The rules file's triggers: resolved (their variables read) only when a build will deploy. */
  triggerConfigs: TriggerConfig[];
  delivery: { retries: number; timeoutMs: number; totalTimeoutMs: number };
  failOnError: boolean;
  /** Credentials were given (inputs or ALIBABA_CLOUD_* variables): log in first. */
  wantsLogin: boolean;
}

const CREDENTIAL_INPUTS = [
  'registry',
  'username',
  'password',
  'registries',
  'access-key-id',
  'access-key-secret',
  'security-token',
  'role-arn',
  'oidc-provider-arn',
];

/** Which builds to run: a plan handed on, explicit tags, or the rules (or defaults) applied now. */
function chooseBuilds(
  inputs: Inputs,
  run: RunContext,
  spec: ImageBuildSpec,
  config: RulesConfig | undefined,
  clock: { now: Date; sourceDateEpoch?: string },
  fork: boolean,
): { source: BuildsSource; plan: Plan } {
  const index = inputs.optional('build-index') !== undefined ? inputs.integer('build-index', 0, { min: 0, max: 99 }) : undefined;
  const handed = inputs.optional('plan');
  if (handed) {
    const builds = selectBuilds(parsePlanJson(handed), index);
    return {
      source: 'plan',
      plan: {
        builds,
        version: builds[0]?.labels['org.opencontainers.image.version'] ?? '',
        against: 'the plan of an earlier job',
        notes: [],
      },
    };
  }
  if (index !== undefined) throw new UserError("input 'build-index' needs input 'plan' (the builds output of a plan job)");
  if (spec.request.tags.length > 0) {
    // Forks get no secrets: an explicit-tags build from a fork builds without pushing.
    const build = explicitBuild(spec.request, !fork, {});
    return {
      source: 'tags',
      plan: {
        builds: [build],
        version: '',
        against: 'the tags input',
        notes: fork ? ['pull request from a fork: building without pushing'] : [],
      },
    };
  }
  const planInputs = readPlanInputs(inputs);
  // The rules file is already loaded (for its triggers too): plan from it rather than load it twice.
  const plan = planBuilds({
    config,
    images: planInputs.images,
    platforms: planInputs.platforms,
    subject: planSubject(run),
    now: clock.now,
    sourceDateEpoch: clock.sourceDateEpoch,
  });
  return { source: config?.rules ? 'rules' : 'defaults', plan };
}

export function readRootRequest(
  inputs: Inputs,
  run: RunContext,
  env: NodeJS.ProcessEnv,
  log: Log,
  clock: { now: Date; sourceDateEpoch?: string },
): RootRequest {
  const { spec, summary } = readBuildStepInputs(inputs, run, env, { tagsMayComeFromPlan: true });
  const config = loadRulesFile(run.workspace, inputs.optional('config'));
  const fork = Boolean(run.pullRequest?.fromFork) && run.eventName !== 'pull_request_target';
  const { source, plan } = chooseBuilds(inputs, run, spec, config, clock, fork);

  const platform = inputs.optional('platform');
  const given = (name: string): string | undefined => inputs.optional(name);
  const overrides: BuildOverrides = {
    platform: platform ? parsePlatform(platform, "input 'platform'") : undefined,
    pushByDigest: inputs.boolean('push-by-digest', false),
    pushAllowed: inputs.boolean('push', true),
    // A rule names its own Dockerfile directory; the inputs shape only the zero-config build.
    paths: source === 'defaults' ? { context: given('context'), file: given('file'), target: given('target') } : undefined,
  };
  if (overrides.pushByDigest && !overrides.platform && plan.builds.some((b) => b.platforms.length > 1)) {
    log.warning("push-by-digest without 'platform' pushes every platform of the build from this one runner");
  }

  const errors = new ErrorList();
  const webhooks = webhookTriggers(inputs, 'webhook-secret', log, errors);
  errors.throwIfAny();
  const retries = inputs.integer('webhook-retries', 3, { min: 0, max: 20 });
  const timeoutMs = inputs.seconds('webhook-timeout', 10) * 1000;
  return {
    source,
    plan,
    config,
    spec,
    overrides,
    immutable: inputs.booleanOr('immutable-tags', ['auto'], 'auto'),
    dryRun: inputs.boolean('dry-run', false),
    summary,
    webhooks,
    triggerConfigs: config?.triggers ?? [],
    delivery: { retries, timeoutMs, totalTimeoutMs: defaultTotalTimeoutMs(retries, timeoutMs) },
    failOnError: inputs.boolean('webhook-fail-on-error', true),
    wantsLogin: CREDENTIAL_INPUTS.some((name) => inputs.optional(name) !== undefined) || Boolean(env.ALIBABA_CLOUD_ACCESS_KEY_ID),
  };
}
