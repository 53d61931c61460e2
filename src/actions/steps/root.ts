import type { Log } from '../../base/log.js';
import { DockerCli } from '../../docker/cli.js';
import { appendSummary } from '../../github/commands.js';
import { readRunContext, runUrl } from '../../github/context.js';
import { Inputs } from '../../github/inputs.js';
import type { LoginResult } from '../../login/request.js';
import { immutableTags } from '../../pipeline/immutable.js';
import { pipelineRequests, runPipeline, type PipelineBuild } from '../../pipeline/pipeline.js';
import { readLoginRequest } from '../inputs/login.js';
import { readRootRequest } from '../inputs/root.js';
import { logPlan } from '../report/plan.js';
import { dryRunReport, logResults, rootSummary, setRootOutputs, type PhaseTimes } from '../report/root.js';
import { buildPost, rememberBuilder, withInlineSecrets } from './build.js';
import { logoutStep, performLogin } from './login.js';
import { reportFailures } from './redeploy.js';
import { resolveTriggers } from '../../redeploy/config.js';
import { describeFilter } from '../../redeploy/filter.js';
import { displayUrl, type Trigger } from '../../redeploy/trigger.js';
import type { TriggerConfig } from '../../rules/config.js';

const since = (t: number): number => (Date.now() - t) / 1000;

/**
 * The root action: plan → login → build (every planned build) → redeploy, on the same core code
 * as the single actions, reported once for the whole pipeline.
 */
export async function rootMain(log: Log): Promise<void> {
  const env = process.env;
  const inputs = new Inputs(env);
  const run = readRunContext(env);
  const times: PhaseTimes = { plan: 0, login: 0, build: 0, redeploy: 0 };

  let t = Date.now();
  const root = readRootRequest(inputs, run, env, log, { now: new Date(), sourceDateEpoch: env.SOURCE_DATE_EPOCH });
  logPlan(log, root.plan, root.config?.file);
  times.plan = since(t);
  const requests = pipelineRequests({ builds: root.plan.builds, template: root.spec, overrides: root.overrides });
  // Trigger URLs are secrets a fork's run or a per-platform job does not have: they are read only
  // when a build will push with tags and so deploy.
  const deploys = !root.dryRun && requests.some((r) => r.push && !r.pushByDigest);
  const triggers = deploys ? [...resolveTriggers(root.triggerConfigs, env, log), ...root.webhooks] : root.webhooks;
  const spec = {
    builds: root.plan.builds,
    template: root.spec,
    overrides: root.overrides,
    immutable: root.immutable,
    triggers,
    delivery: root.delivery,
    commit: run.pullRequest?.headSha || run.sha,
    runUrl: runUrl(run) ?? '',
  };

  if (root.dryRun) {
    const immutable = root.plan.builds.map((b, i) =>
      requests[i]?.push && !requests[i]?.pushByDigest ? immutableTags(b, root.immutable) : [],
    );
    const shown = { ...root.spec, cache: { ...root.spec.cache, platformScope: root.overrides.platform } };
    const report = dryRunReport(root.plan, requests, shown, triggerLines(root.triggerConfigs, root.webhooks, env, log), immutable);
    log.info(report);
    setRootOutputs(root.plan, [], undefined);
    if (root.summary) appendSummary(report);
    return;
  }

  let login: LoginResult | undefined;
  if (root.wantsLogin) {
    t = Date.now();
    login = await log.group('Login', async () => performLogin(await readLoginRequest(inputs, env, log), log, env));
    times.login = since(t);
  }

  let results: PipelineBuild[] = [];
  if (root.plan.builds.length === 0) {
    log.notice('nothing to build for this ref');
  } else {
    t = Date.now();
    results = await withInlineSecrets(inputs, run.runnerTemp, log, root.spec.request, () =>
      runPipeline(spec, { docker: new DockerCli(env), log, tempDir: run.runnerTemp, cwd: run.workspace, env, onBuilder: rememberBuilder }),
    );
    const total = since(t);
    times.redeploy = results.reduce((sum, r) => sum + r.seconds.redeploy, 0);
    times.build = total - times.redeploy;
  }

  logResults(log, results);
  setRootOutputs(root.plan, results, login);
  if (root.summary) appendSummary(rootSummary(root.plan, results, times));
  reportFailures(
    results.flatMap((r) => r.deliveries),
    root.failOnError,
    log,
  );
}

/** The triggers as a dry run shows them: masked URLs, or the variable a URL would come from. */
function triggerLines(configs: readonly TriggerConfig[], webhooks: readonly Trigger[], env: NodeJS.ProcessEnv, log: Log): string[] {
  const lines = configs.map((c) => {
    const set = Boolean(env[c.urlEnv]?.trim());
    const url = set ? displayUrl(resolveTriggers([c], env, log)[0]?.url ?? '') : `$${c.urlEnv} (not set here)`;
    return `${c.name}: ${c.method} ${url} (${describeFilter(c.filter)})`;
  });
  return [...lines, ...webhooks.map((t) => `${t.name}: ${t.method} ${displayUrl(t.url)} (${describeFilter(t.filter)})`)];
}

/** Post: log out (restoring the Docker config) and remove a builder the run created. */
export async function rootPost(log: Log): Promise<void> {
  await buildPost(log);
  await logoutStep(log);
}
