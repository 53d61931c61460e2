/**
 * Tiny benchmark harness: repeated runs, medians and spread, one table at the end. Targets live
 * here, never in unit tests: a slow machine makes a benchmark miss, not a test fail.
 */
import { spawn } from 'node:child_process';

export interface Stats {
  runs: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

export interface BenchRow {
  name: string;
  value: string;
  target?: string;
  /** undefined when the row has no target. */
  met?: boolean;
  note?: string;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? (sorted[Math.floor(mid)] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return { runs: sorted.length, median, p90: at(0.9), min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}

/** Times `fn` `runs` times after `warmup` untimed runs; milliseconds. */
export async function measure(fn: () => Promise<unknown>, runs = 10, warmup = 1): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

/** Runs a process to exit and resolves with its exit code (output discarded unless asked). */
export function runProcess(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 0)} ms`;
}

export function fmtStats(s: Stats): string {
  return `median ${ms(s.median)} (p90 ${ms(s.p90)}, n=${s.runs})`;
}
