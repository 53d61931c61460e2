import type { Log } from '../../base/log.js';
import { chooseAttestations } from '../../buildx/attestations.js';
import { planCache } from '../../buildx/cache.js';
import type { BuildRequest } from '../../buildx/request.js';
import type { ImageBuildSpec } from '../../buildx/image.js';
import { setOutput } from '../../github/commands.js';
import type { LoginResult } from '../../login/request.js';
import type { PipelineBuild } from '../../pipeline/pipeline.js';
import type { Plan } from '../../rules/plan.js';
import { buildLogTable, buildSummary } from './build.js';
import { planSummary } from './plan.js';
import { redeploySummary, tally } from './redeploy.js';

/** Seconds spent in each phase of the pipeline, for the summary. */
export interface PhaseTimes {
  plan: number;
  login: number;
  build: number;
  redeploy: number;
}

/** One object per build: what shipped, where, how big, from cache, and who was told. */
export function buildsJson(results: readonly PipelineBuild[]): string {
  return JSON.stringify(
    results.map((r) => ({
      rules: r.planned.rules,
      tags: r.request.tags,
      digest: r.build.result.digest ?? null,
      pushed: r.request.push,
      pushedByDigest: Boolean(r.request.pushByDigest) && r.immutable.existing.length === 0,
      platforms: r.pushed
        ? r.pushed.platforms.map((p) => ({ platform: p.platform, digest: p.digest, layers: p.layers, size: p.compressedSize }))
        : r.request.platforms.map((platform) => ({ platform })),
      cacheHits: `${r.build.result.steps.cached}/${r.build.result.steps.total}`,
      deliveries: r.deliveries.map((d) => ({
        trigger: d.trigger,
        result: d.result,
        status: d.status,
        attempts: d.attempts,
        deliveryId: d.deliveryId,
      })),
    })),
  );
}

export function setRootOutputs(plan: Plan, results: readonly PipelineBuild[], login: LoginResult | undefined): void {
  const first = results[0];
  setOutput('builds', buildsJson(results));
  setOutput('digest', first?.build.result.digest ?? '');
  setOutput('tags', (first?.request.tags ?? []).join('\n'));
  setOutput('version', plan.version);
  setOutput('matched', String(plan.builds.length > 0));
  setOutput('logged-in', String(login?.loggedIn ?? false));
}

function seconds(value: number): string {
  return `${value.toFixed(1)} s`;
}

/** The whole pipeline on one page: what was planned and why, what shipped, who was told, how long. */
export function rootSummary(plan: Plan, results: readonly PipelineBuild[], times: PhaseTimes): string {
  const parts = ['## acr-ship', '', planSummary(plan)];
  for (const r of results) {
    parts.push(buildSummary(r.build, r.pushed));
    if (r.deliveries.length > 0) parts.push(redeploySummary(r.deliveries, undefined));
  }
  parts.push(
    '### Time',
    '',
    `plan ${seconds(times.plan)} · login ${seconds(times.login)} · build and push ${seconds(times.build)} · redeploy ${seconds(times.redeploy)}`,
    '',
  );
  return parts.join('\n');
}

/** The pipeline's log lines after the builds: each build's report and its deliveries. */
export function logResults(log: Log, results: readonly PipelineBuild[]): void {
  for (const r of results) {
    log.info(buildLogTable(r.build, r.pushed));
    if (r.deliveries.length > 0) log.info(`redeploy: ${tally(r.deliveries)}`);
  }
}

/** What a dry run shows for each build: the request, cache and attestations as they would be. */
export function dryRunReport(
  plan: Plan,
  requests: readonly BuildRequest[],
  spec: ImageBuildSpec,
  triggers: readonly string[],
  immutable: readonly string[][],
): string {
  const lines = ['### acr-ship dry run: nothing was built, pushed or sent', ''];
  requests.forEach((req, i) => {
    const cache = planCache({ ...spec.cache, tags: req.tags, cacheFrom: req.cacheFrom, cacheTo: req.cacheTo, push: req.push });
    const attestations = chooseAttestations(req.tags, { provenance: req.provenance, sbom: req.sbom }, { pushes: req.push });
    lines.push(
      `#### Build ${i + 1}: rules ${plan.builds[i]?.rules.join(', ') || '(inputs)'}`,
      '',
      `- context \`${req.context}\`, Dockerfile \`${req.file ?? 'Dockerfile'}\`${req.target ? `, target \`${req.target}\`` : ''}`,
      `- platforms: ${req.platforms.join(', ') || 'builder default'}`,
      `- push: ${req.push ? (req.pushByDigest ? 'by digest only' : 'yes') : 'no'}`,
      ...req.tags.map((t) => `- tag \`${t}\`${immutable[i]?.includes(t) ? ' (release tag: will not be overwritten)' : ''}`),
      `- ${cache.explanation}${cache.warning ? ` — ${cache.warning}` : ''}`,
      `- ${attestations.explanation}`,
      '',
    );
  });
  lines.push(triggers.length > 0 ? '#### Redeploy triggers' : 'No redeploy triggers.', '');
  for (const t of triggers) lines.push(`- ${t}`);
  return lines.join('\n') + '\n';
}
