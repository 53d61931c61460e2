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
import { fmtStats, measure, ms, runProcess, stats } from './harness.js';

const NOW = '2020-10-15T16:25:00+08:00';

/** 1,000 branch rules, each a regex with named groups and time and commit suffixes; one matches. */
function thousandRules(match: (i: number) => string): string {
  const rules = Array.from(
    { length: 1000 },
    (_, i) =>
      `  - {name: r${i}, type: branch, match: '${match(i)}', versions: ['\${imageTag}', 'r${i}-\${sha:8}'], time: yyyyMMddHHmm, commit: 8}`,
  );
  return `version: 1\nimage: ${IMAGE}\nrules:\n${rules.join('\n')}\n`;
}

/** ACR-style rules start with literal text; the second set makes every rule run its regex. */
const RULE_SETS = [
  {
    label: 'literal prefixes, release-<i>-(?<imageTag>\\w*)',
    match: (i: number) => `release-${i}-(?<imageTag>\\w*)`,
    ref: 'release-500-v1',
  },
  {
    label: 'no literal prefix, (?<team>[a-z]+)/(?<imageTag>\\w*)-<i>',
    match: (i: number) => `(?<team>[a-z]+)/(?<imageTag>\\w*)-${i}`,
    ref: 'web/v1-500',
  },
];

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
    const rows = [];
    for (const set of RULE_SETS) {
      const text = thousandRules(set.match);
      const load = await measure(async () => parseRulesFile(text, 'bench.yml'), 10, 1);
      const request = {
        config: parseRulesFile(text, 'bench.yml'),
        images: [],
        platforms: [],
        subject: { ...subject, ref: `refs/heads/${set.ref}` },
        now: new Date(NOW),
      };
      const first = planBuilds(request);
      if (first.builds.length !== 1 || first.version !== 'v1-202010151625-d4ef3dc3')
        throw new Error(`unexpected plan: ${JSON.stringify(first)}`);
      const s = await measure(async () => planBuilds(request), 50, 5);
      rows.push(
        { name: `plan: 1,000 rules against one ref (${set.label})`, value: fmtStats(s), target: '< 20 ms', met: s.median < 20 },
        { name: `  loading those rules (YAML, checks, RE2 compile)`, value: fmtStats(load), note: 'once per run, before planning' },
      );
    }
    return rows;
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
      // A clean environment is what a runner step gets; this shell's own (minus GITHUB_*, which
      // would change the plan) is timed too, since variables such as NODE_EXTRA_CA_CERTS slow
      // every node start. Node's own start is timed in turn with the CLI, under the same load.
      const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GITHUB_')));
      const cli: number[] = [];
      const floor: number[] = [];
      const cliInherited: number[] = [];
      const time = async (into: number[], argv: string[], environment: NodeJS.ProcessEnv) => {
        const t = performance.now();
        await runProcess(process.execPath, argv, environment, dir);
        into.push(performance.now() - t);
      };
      for (let i = 0; i < 24; i++) {
        const warm = i < 3;
        await time(warm ? [] : cli, args, env);
        await time(warm ? [] : floor, ['-e', '0'], env);
        await time(warm ? [] : cliInherited, args, inherited);
      }
      const s = stats(cli);
      return [
        {
          name: 'plan: CLI cold start to JSON (ACR example, clean env)',
          value: fmtStats(s),
          target: '< 100 ms median',
          met: s.median < 100,
          note: `node -e 0 alongside: ${ms(stats(floor).median)}; docker/metadata-action: ~290 ms, and needs the GitHub API`,
        },
        { name: '  the same with this shell’s environment', value: fmtStats(stats(cliInherited)) },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
