/** The benchmark list: each capability adds its cases here. */
import type { BenchRow } from './harness.js';
import { nodeFloor } from './node-floor.bench.js';
import { planCliColdStart, planThousandRules } from './plan.bench.js';

export interface Benchmark {
  name: string;
  run: () => Promise<BenchRow[]>;
}

export const benchmarks: Benchmark[] = [nodeFloor, planThousandRules, planCliColdStart];
