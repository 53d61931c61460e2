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
  const refIsTag = run.ref.startsWith('refs/tags/');
  const spec = {
    builds: root.plan.builds,
    template: root.spec,
    overrides: root.overrides,
    immutable: root.immutable,
    refIsTag,
    triggers: root.triggers,
    delivery: root.delivery,
    commit: run.pullRequest?.headSha || run.sha,
    runUrl: runUrl(run) ?? '',
  };

  if (root.dryRun) {
    const requests = pipelineRequests(spec);
    const immutable = root.plan.builds.map((b, i) =>
      requests[i]?.push && !requests[i]?.pushByDigest ? immutableTags(b, root.immutable, refIsTag) : [],
    );
    const shown = { ...root.spec, cache: { ...root.spec.cache, platformScope: root.overrides.platform } };
    const report = dryRunReport(root.plan, requests, shown, root.triggers, immutable);
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

/** Post: log out (restoring the Docker config) and remove a builder the run created. */
export async function rootPost(log: Log): Promise<void> {
  await buildPost(log);
  await logoutStep(log);
}
