/** The benchmark list: each capability adds its cases here. */
import type { BenchRow } from './harness.js';
import { buildOverhead, coldWarm } from './build.bench.js';
import { loginBench } from './login.bench.js';
import { nodeFloor } from './node-floor.bench.js';
import { planCliColdStart, planThousandRules } from './plan.bench.js';
import { redeployColdStart } from './redeploy.bench.js';
import { pipelineOverhead, twoNodes } from './scale.bench.js';

export interface Benchmark {
  name: string;
  run: () => Promise<BenchRow[]>;
}

export const benchmarks: Benchmark[] = [
  nodeFloor,
  loginBench,
  planThousandRules,
  planCliColdStart,
  buildOverhead,
  coldWarm,
  redeployColdStart,
  pipelineOverhead,
  twoNodes,
];
