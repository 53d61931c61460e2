import type { Log } from '../../base/log.js';
import { appendSummary, setOutput } from '../../github/commands.js';
import type { Plan } from '../../rules/plan.js';

/** The CLI's JSON: `{"builds":[…]}`. */
export function planJson(plan: Plan): string {
  return JSON.stringify({ builds: plan.builds });
}

/**
 * A job matrix for per-platform runners: one entry per build and platform (a build without
 * platforms gives one entry with platform '', the builder's default), for
 * `strategy: { matrix: ${{ fromJSON(needs.plan.outputs.matrix) }} }`.
 */
export function planMatrix(plan: Plan): { include: { build: number; platform: string }[] } {
  return {
    include: plan.builds.flatMap((b, build) => (b.platforms.length > 0 ? b.platforms : ['']).map((platform) => ({ build, platform }))),
  };
}

/**
 * Outputs: `builds` (the JSON), `matrix` and `matched`; for the first build `tags`, `labels` and `version`,
 * and its other settings under the names of the build action's inputs, so one build chains
 * straight into `build` (`with: { context: ${{ steps.plan.outputs.context }}, … }`).
 */
export function setPlanOutputs(plan: Plan): void {
  const first = plan.builds[0];
  const lines = (values: Record<string, string>) =>
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n');
  setOutput('builds', planJson(plan));
  setOutput('matrix', JSON.stringify(planMatrix(plan)));
  setOutput('matched', String(plan.builds.length > 0));
  setOutput('tags', (first?.tags ?? []).join('\n'));
  setOutput('labels', lines(first?.labels ?? {}));
  setOutput('version', plan.version);
  setOutput('context', first?.context ?? '');
  setOutput('file', first?.file ?? '');
  setOutput('platforms', (first?.platforms ?? []).join(','));
  setOutput('build-args', lines(first?.buildArgs ?? {}));
  setOutput('target', first?.target ?? '');
  setOutput('push', String(first?.push ?? false));
}

/** What the step says in the log: where the rules came from, what matched, every build. */
export function logPlan(log: Log, plan: Plan, rulesFile: string | undefined): void {
  log.info(rulesFile ? `rules: ${rulesFile}` : 'rules: none found, using the zero-config defaults');
  for (const note of plan.notes) log.notice(note);
  plan.builds.forEach((b, i) => {
    log.info(
      `build ${i + 1} (rules: ${b.rules.join(', ')}): context ${b.context}, file ${b.file}, platforms ${b.platforms.join(', ') || 'builder default'}, push ${b.push ? 'yes' : 'no'}`,
    );
    for (const tag of b.tags) log.info(`  ${tag}`);
  });
}

/**
 * Branch names are attacker-controlled in pull requests and land in the job summary: anything
 * beyond plain characters becomes an HTML entity, so it can neither format nor link.
 */
function text(value: string): string {
  return value.replace(/[^A-Za-z0-9 /_.:,'-]/gu, (c) => `&#${c.codePointAt(0)};`);
}

function code(values: readonly string[]): string {
  return values.map((v) => `<code>${text(v)}</code>`).join('<br>') || '—';
}

export function planSummary(plan: Plan): string {
  const head = plan.against ? `For ${text(plan.against)}` : 'Nothing to match';
  const lines = ['### acr-ship plan', ''];
  if (plan.builds.length === 0) {
    lines.push(`${head}: no rule applies, nothing to build.`, '');
    for (const note of plan.notes) lines.push(`- ${text(note)}`);
    return lines.join('\n') + '\n';
  }
  lines.push(`${head}: ${plan.builds.length} build${plan.builds.length === 1 ? '' : 's'}.`, '');
  lines.push('| Rules | Tags | Context | Dockerfile | Platforms | Build args | Push |', '|---|---|---|---|---|---|---|');
  for (const b of plan.builds) {
    const args = Object.entries(b.buildArgs).map(([k, v]) => `${k}=${v}`);
    const cells = [
      text(b.rules.join(', ')),
      code(b.tags),
      code([b.context]),
      code([b.file]) + (b.target ? ` (target ${code([b.target])})` : ''),
      text(b.platforms.join(', ') || 'builder default'),
      code(args),
      b.push ? 'yes' : 'no',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  for (const note of plan.notes) lines.push('', `- ${text(note)}`);
  return lines.join('\n') + '\n';
}

export function writePlanSummary(plan: Plan): void {
  appendSummary(planSummary(plan));
}
