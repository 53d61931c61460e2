/**
 * The root action as a whole against the raw buildx build it runs, and a two-node builder against
 * one node for the same two-platform build.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { up } from '../test/stack/stack.js';
import { REPO_ROOT, stackEnv } from '../test/stack/state.js';
import { startRegistryFront } from '../test/support/fault-proxy.js';
import { Job, type EventSpec } from '../test/support/runner.js';
import { scratchDir } from '../test/support/scratch.js';
import { extraBuilder } from '../test/support/stack.js';
import type { Benchmark } from './cases.js';
import { fmtStats, ms, runProcess, stats, type BenchRow } from './harness.js';

const PUSH_MAIN: EventSpec = {
  name: 'push',
  ref: 'refs/heads/main',
  sha: '5f2c1a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a',
  payload: { ref: 'refs/heads/main', repository: { full_name: 'acme/app', default_branch: 'main', name: 'app' } },
};

/** A webhook receiver answering 200 at once: the redeploy phase costs its real round trip. */
async function receiver(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=bench`,
    count: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The `docker buildx build` argv the action logged, with our own metadata file. */
function loggedBuildArgv(stdout: string, metadataFile: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith('docker buildx build '));
  if (!line) throw new Error('the root action logged no docker buildx build line');
  const argv = line.split(' ').slice(1);
  // Split on spaces: only sound when no argument has one (labels and build args here do not).
  if (argv.some((a) => a === '')) throw new Error(`cannot split the logged command: ${line}`);
  argv[argv.indexOf('--metadata-file') + 1] = metadataFile;
  return argv;
}

/** The work fixture's rounds (64 MiB gzipped each): arm64 does them under QEMU. */
const ROUNDS = 8;
const NODE_RUNS = 5;

interface PipelineCase {
  label: string;
  rules: string;
  inputs: Record<string, string>;
  runs: number;
  /** The ratio target applies (a build with real work). */
  ratio: boolean;
}

/**
 * The whole root pipeline (plan from a rules file, build + push, read back, one webhook to a
 * local receiver) against the exact `docker buildx build` it runs, on the same builder,
 * alternating so both see the same cache. SOURCE_DATE_EPOCH pins the image times and the plan's
 * created label, so every run of either side pushes the same image: equal work on both sides.
 */
async function comparePipeline(c: PipelineCase): Promise<BenchRow[]> {
  const { state } = await up(() => {});
  const hook = await receiver();
  const env = { ...stackEnv(state), SOURCE_DATE_EPOCH: '1700000000', E2E_DEPLOY_TRIGGER: hook.url };
  const job = new Job({ workspace: REPO_ROOT, env, event: PUSH_MAIN });
  const inputs = {
    config: c.rules,
    image: `${state.registry.host}/bench/pipeline-${c.label.split(' ')[0]}`,
    'build-args': `BASE_IMAGE=${state.baseImage}`,
    summary: 'false',
    ...c.inputs,
  };
  const metadata = join(scratchDir('bench-raw-'), 'metadata.json');
  const rawEnv = { ...process.env, ...env };
  const action = async (): Promise<{ ms: number; stdout: string }> => {
    const t = performance.now();
    const step = await job.step('.', inputs);
    const elapsed = performance.now() - t;
    if (step.code !== 0) throw new Error(`the root action failed: ${step.stdout.split('\n').find((l) => l.startsWith('::error'))}`);
    return { ms: elapsed, stdout: step.stdout };
  };
  const raw = async (argv: string[]): Promise<number> => {
    const t = performance.now();
    const result = await runProcess('docker', argv, rawEnv, REPO_ROOT);
    if (result.code !== 0) throw new Error(`raw buildx failed: ${result.stderr.trim().split('\n').pop()}`);
    return performance.now() - t;
  };
  try {
    // Warm-up: the first action run fills the cache and gives the command to replay.
    const argv = loggedBuildArgv((await action()).stdout, metadata);
    await raw(argv);
    const rawTimes: number[] = [];
    const actionTimes: number[] = [];
    for (let i = 0; i < c.runs; i++) {
      rawTimes.push(await raw(argv));
      actionTimes.push((await action()).ms);
    }
    if (hook.count() !== c.runs + 1) throw new Error(`expected ${c.runs + 1} webhook deliveries, got ${hook.count()}`);
    const r = stats(rawTimes);
    const a = stats(actionTimes);
    const extra = a.median - r.median;
    const ratio = a.median / r.median;
    const name = `pipeline ${c.label}`;
    return [
      { name: `${name}: raw docker buildx build`, value: `${fmtStats(r)}, min ${ms(r.min)}` },
      { name: `${name}: root action`, value: `${fmtStats(a)}, min ${ms(a.min)}` },
      { name: `${name}: extra time`, value: ms(extra), target: '≤ 300 ms', met: extra <= 300 },
      c.ratio
        ? { name: `${name}: ratio of medians`, value: ratio.toFixed(3), target: '≤ 1.05', met: ratio <= 1.05 }
        : {
            name: `${name}: ratio of medians`,
            value: ratio.toFixed(3),
            note: 'a build that is all cache hits: the fixed cost is most of it, only the absolute overhead is meaningful',
          },
    ];
  } finally {
    job.cleanup();
    await hook.close();
  }
}

export const pipelineOverhead: Benchmark = {
  name: 'root pipeline vs raw buildx',
  run: async () => [
    // The case asked for: two platforms, warm cache, push (every step a cache hit).
    ...(await comparePipeline({
      label: 'hello x2 warm',
      rules: 'test/fixtures/rules/pipeline.yml',
      inputs: {},
      runs: 15,
      ratio: false,
    })),
    // The same fixed cost against a build with real work, where the ratio means something.
    ...(await comparePipeline({
      label: 'work x1 no-cache',
      rules: 'test/fixtures/rules/bench-work.yml',
      inputs: { 'no-cache': 'true' },
      runs: 9,
      ratio: true,
    })),
  ],
};

/**
 * A two-platform build with real work (test/fixtures/contexts/work, no cache) on two buildkitd
 * nodes, one per platform, against one node building both — alternating, fresh nodes kept for
 * all runs. On this machine both nodes share the same CPU cores and arm64 runs under QEMU on
 * either, so this measures the cost of splitting, not the gain of a native arm64 machine.
 */
export const twoNodes: Benchmark = {
  name: 'two-node vs one-node builder',
  run: async () => {
    const { state } = await up(() => {});
    // buildx writes a multi-node index itself and speaks plain HTTP to loopback registries.
    const front = await startRegistryFront(state);
    const a = await extraBuilder('bench-node-a', { registries: [front.host] });
    const b = await extraBuilder('bench-node-b', { registries: [front.host] });
    const job = new Job({ workspace: REPO_ROOT, env: a.env, event: PUSH_MAIN });
    const build = async (endpoints: string, label: string): Promise<number> => {
      const t = performance.now();
      const main = await job.step('.', {
        context: 'test/fixtures/contexts/work',
        platforms: 'linux/amd64,linux/arm64',
        tags: `${front.host}/bench/two-nodes:${label}`,
        'no-cache': 'true',
        cache: 'none',
        'build-args': `BASE_IMAGE=${state.baseImage}\nROUNDS=${ROUNDS}`,
        'builder-endpoints': endpoints,
        summary: 'false',
      });
      const elapsed = performance.now() - t;
      await job.post(main);
      if (main.code !== 0) throw new Error(`${label} build failed: ${main.stdout.split('\n').find((l) => l.startsWith('::error'))}`);
      return elapsed;
    };
    const twoNode = `${a.address} linux/amd64\n${b.address} linux/arm64`;
    const oneNode = `${a.address} linux/amd64,linux/arm64`;
    const two: number[] = [];
    const one: number[] = [];
    try {
      // Warm-up: base image pulled on both nodes.
      await build(twoNode, 'warmup');
      for (let i = 0; i < NODE_RUNS; i++) {
        two.push(await build(twoNode, 'two'));
        one.push(await build(oneNode, 'one'));
      }
    } finally {
      job.cleanup();
      await a.stop();
      await b.stop();
      await front.close();
    }
    const t = stats(two);
    const o = stats(one);
    return [
      { name: `build work (ROUNDS=${ROUNDS}) x2 platforms, no cache: one node`, value: `${fmtStats(o)}, min ${ms(o.min)}` },
      { name: `build work (ROUNDS=${ROUNDS}) x2 platforms, no cache: two nodes`, value: `${fmtStats(t)}, min ${ms(t.min)}` },
      {
        name: 'two nodes / one node (medians)',
        value: (t.median / o.median).toFixed(3),
        note: 'same 2 cores, arm64 under QEMU on both: shows the cost of splitting, not native speed-up',
      },
    ];
  },
};
