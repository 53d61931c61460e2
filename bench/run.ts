/**
 * npm run bench [-- name…] — every benchmark, or those whose name contains a given word.
 * Benchmarks needing the local stack bring it up (and leave it as they found it).
 */
import { errorMessage } from '../src/base/errors.js';
import type { BenchRow } from './harness.js';
import { benchmarks } from './cases.js';
import { teardown as removeScratch } from '../test/support/scratch.js';

async function main(filters: string[]): Promise<number> {
  const chosen = benchmarks.filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
  const rows: BenchRow[] = [];
  for (const bench of chosen) {
    process.stderr.write(`bench: ${bench.name}…\n`);
    try {
      rows.push(...(await bench.run()));
    } catch (err) {
      rows.push({ name: bench.name, value: `failed: ${errorMessage(err)}`, met: false });
    }
  }
  const width = Math.max(...rows.map((r) => r.name.length), 10);
  process.stdout.write(`\n${'benchmark'.padEnd(width)}  result\n`);
  for (const row of rows) {
    const verdict = row.met === undefined ? '' : row.met ? '  ✓' : '  ✗ MISSED';
    const target = row.target ? `  [target ${row.target}]` : '';
    process.stdout.write(`${row.name.padEnd(width)}  ${row.value}${target}${verdict}${row.note ? `  — ${row.note}` : ''}\n`);
  }
  return rows.some((r) => r.met === false) ? 1 : 0;
}

main(process.argv.slice(2))
  .catch((err: unknown) => {
    process.stderr.write(`bench failed: ${errorMessage(err)}\n`);
    return 1;
  })
  .then((code) => {
    removeScratch();
    process.exit(code);
  });
