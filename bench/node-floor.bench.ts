/** Reference: what starting Node itself costs here (every action's cold start includes it). */
import { fmtStats, measure, runProcess } from './harness.js';
import type { Benchmark } from './cases.js';

export const nodeFloor: Benchmark = {
  name: 'node start floor (node -e 0)',
  run: async () => {
    const s = await measure(() => runProcess(process.execPath, ['-e', '0']), 15, 2);
    return [{ name: 'node start floor (node -e 0)', value: fmtStats(s) }];
  },
};
