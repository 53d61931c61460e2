/**
 * The build action against the same raw `docker buildx build` (same builder, context and flags,
 * push included), and a cold build against a warm rebuild from the registry cache on a builder
 * with no local state.
 */
import { up } from '../test/stack/stack.js';
import { stackEnv, REPO_ROOT } from '../test/stack/state.js';
import { Job } from '../test/support/runner.js';
import { extraBuilder } from '../test/support/stack.js';
import { fmtStats, ms, runProcess, stats, type BenchRow } from './harness.js';
import type { Benchmark } from './cases.js';

const RUNS = 7;

async function time(fn: () => Promise<{ code: number }>): Promise<number> {
  const t = performance.now();
  const { code } = await fn();
  if (code !== 0) throw new Error('a benchmarked build failed');
  return performance.now() - t;
}

/** Alternates raw and action runs so both see the same builder and cache state. */
async function compare(label: string, context: string, extraArgs: Record<string, string>, noCache: boolean): Promise<BenchRow[]> {
  const { state } = await up(() => {});
  const env = { ...process.env, ...stackEnv(state) };
  const tag = `${state.registry.host}/bench/${label}:latest`;
  const buildArgs = Object.entries({ BASE_IMAGE: state.baseImage, ...extraArgs });
  const raw = [
    'buildx',
    'build',
    '--builder',
    state.buildkit.builder,
    '--platform',
    'linux/amd64',
    '--tag',
    tag,
    '--provenance=mode=min',
    '--push',
  ];
  for (const [k, v] of buildArgs) raw.push('--build-arg', `${k}=${v}`);
  if (noCache) raw.push('--no-cache');
  raw.push(context);
  const job = new Job({ workspace: REPO_ROOT, env: stackEnv(state) });
  const inputs = {
    context,
    platforms: 'linux/amd64',
    tags: tag,
    push: 'true',
    cache: 'none',
    'no-cache': String(noCache),
    'build-args': buildArgs.map(([k, v]) => `${k}=${v}`).join('\n'),
    summary: 'false',
  };
  const rawTimes: number[] = [];
  const actionTimes: number[] = [];
  try {
    await time(() => runProcess('docker', raw, env, REPO_ROOT));
    await time(() => job.step('build', inputs));
    for (let i = 0; i < RUNS; i++) {
      rawTimes.push(await time(() => runProcess('docker', raw, env, REPO_ROOT)));
      actionTimes.push(await time(() => job.step('build', inputs)));
    }
  } finally {
    job.cleanup();
  }
  const r = stats(rawTimes);
  const a = stats(actionTimes);
  const ratio = a.median / r.median;
  const extra = a.median - r.median;
  return [
    { name: `build ${label}: raw docker buildx build`, value: fmtStats(r) + `, min ${ms(r.min)}` },
    { name: `build ${label}: build action`, value: fmtStats(a) + `, min ${ms(a.min)}` },
    { name: `build ${label}: extra time`, value: ms(extra), target: '≤ 300 ms', met: extra <= 300 },
    { name: `build ${label}: ratio of medians`, value: ratio.toFixed(3), target: '≤ 1.05', met: ratio <= 1.05 },
  ];
}

export const buildOverhead: Benchmark = {
  name: 'build action vs raw buildx',
  run: async () => [
    // A build with a few seconds of work, rebuilt without cache: what real builds look like.
    ...(await compare('work', 'test/fixtures/contexts/work', {}, true)),
    // The worst case for the ratio: a fully cached build that takes well under a second.
    ...(await compare('cached-hello', 'examples/hello', {}, false)).map((row) =>
      row.name.endsWith('ratio of medians')
        ? { ...row, target: undefined, met: undefined, note: 'a sub-second cached build: only the absolute overhead is meaningful' }
        : row,
    ),
  ],
};

export const coldWarm: Benchmark = {
  name: 'build cold vs warm rebuild',
  run: async () => {
    const { state } = await up(() => {});
    const tag = `${state.registry.host}/bench/coldwarm-${Date.now()}:1`;
    const inputs = {
      context: 'examples/hello',
      platforms: 'linux/amd64,linux/arm64',
      tags: tag,
      push: 'true',
      'build-args': `BASE_IMAGE=${state.baseImage}`,
      summary: 'false',
    };
    const rows: BenchRow[] = [];
    for (const [label, name] of [
      ['cold (fresh builder, empty cache)', 'bench-cold'],
      ['warm (fresh builder, registry cache)', 'bench-warm'],
    ] as const) {
      const builder = await extraBuilder(name);
      const job = new Job({ workspace: REPO_ROOT, env: builder.env });
      try {
        const t = performance.now();
        const step = await job.step('build', inputs);
        if (step.code !== 0) throw new Error(`${label} build failed`);
        rows.push({
          name: `build examples/hello x2 platforms, ${label}`,
          value: `${ms(performance.now() - t)}, cache hits ${step.outputs['cache-hits']}`,
        });
      } finally {
        job.cleanup();
        await builder.stop();
      }
    }
    return rows;
  },
};
