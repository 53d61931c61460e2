/**
 * Build rules: planning 1,000 rules against one ref (in process, the rules file already loaded),
 * and the CLI's cold start from `node dist/cli.js plan` to its JSON. docker/metadata-action takes
 * ~290 ms for the same job here and fails without network.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRulesFile } from '../src/rules/config.js';
import { planBuilds } from '../src/rules/plan.js';
import { REPO_ROOT } from '../test/stack/state.js';
import { ACR_EXAMPLE, ACR_VERSION, IMAGE, SHA } from '../test/unit/rules/helpers.js';
import type { Benchmark } from './cases.js';
import { fmtStats, measure, runProcess } from './harness.js';

const NOW = '2020-10-15T16:25:00+08:00';

/** 1,000 branch rules, each a regex with a named group, time and commit suffixes; one matches. */
function thousandRules(): string {
  const rules = Array.from(
    { length: 1000 },
    (_, i) =>
      `  - {name: r${i}, type: branch, match: 'release-${i}-(?<imageTag>\\w*)', versions: ['\${imageTag}', 'r${i}-\${sha:8}'], time: yyyyMMddHHmm, commit: 8}`,
  );
  return `version: 1\nimage: ${IMAGE}\nrules:\n${rules.join('\n')}\n`;
}

const subject = {
  event: 'push',
  ref: 'refs/heads/release-500-v1',
  sha: SHA,
  repository: 'acme/web',
  serverUrl: 'https://github.com',
  defaultBranch: 'main',
  pullRequest: undefined,
};

export const planThousandRules: Benchmark = {
  name: 'plan: 1,000 rules against one ref',
  run: async () => {
    const text = thousandRules();
    const load = await measure(async () => parseRulesFile(text, 'bench.yml'), 10, 1);
    const config = parseRulesFile(text, 'bench.yml');
    const request = { config, images: [], platforms: [], subject, now: new Date(NOW) };
    const first = planBuilds(request);
    if (first.builds.length !== 1 || first.version !== 'v1-202010151625-d4ef3dc3')
      throw new Error(`unexpected plan: ${JSON.stringify(first)}`);
    const s = await measure(async () => planBuilds(request), 50, 5);
    return [
      { name: 'plan: 1,000 rules against one ref', value: fmtStats(s), target: '< 20 ms', met: s.median < 20 },
      { name: 'plan: loading those 1,000 rules (YAML, checks, RE2 compile)', value: fmtStats(load), note: 'once per run, before planning' },
    ];
  },
};

export const planCliColdStart: Benchmark = {
  name: 'plan: CLI cold start to JSON',
  run: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acr-ship-bench-'));
    try {
      const config = join(dir, 'acr-ship.yml');
      writeFileSync(config, ACR_EXAMPLE);
      const args = [
        join(REPO_ROOT, 'dist', 'cli.js'),
        'plan',
        '--config',
        config,
        '--ref',
        'refs/heads/release-v1',
        '--sha',
        SHA,
        '--now',
        NOW,
      ];
      const env = { PATH: process.env.PATH ?? '' };
      const check = await runProcess(process.execPath, args, env, dir);
      if (check.code !== 0 || !check.stdout.includes(ACR_VERSION)) {
        throw new Error(`plan CLI failed: ${check.stderr || check.stdout}`);
      }
      const s = await measure(() => runProcess(process.execPath, args, env, dir), 21, 3);
      return [
        {
          name: 'plan: CLI cold start to JSON (ACR example)',
          value: fmtStats(s),
          target: '< 100 ms median',
          met: s.median < 100,
          note: 'docker/metadata-action: ~290 ms, and needs the GitHub API',
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
