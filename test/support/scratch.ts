/**
 * Scratch directories for tests, all under one root per test project that its global teardown
 * removes (workers are killed, not exited, so per-process cleanup would not run). Vitest hands the
 * root to its workers with provide/inject; a script reusing the helpers (the demo) makes its own.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

declare module 'vitest' {
  export interface ProvidedContext {
    scratchRoot: string;
  }
}

const inVitestWorker = process.env.VITEST_WORKER_ID !== undefined;
let root: string | undefined = inVitestWorker ? (await import('vitest')).inject('scratchRoot') : undefined;
const made: string[] = [];

function newRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'acr-ship-test-'));
  made.push(dir);
  return dir;
}

export function scratchDir(prefix = 'tmp-'): string {
  root ??= newRoot();
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, prefix));
}

/** Vitest global setup (once per project): the project's scratch root, provided to its workers. */
export function setup(project: { provide: (key: 'scratchRoot', value: string) => void }): void {
  project.provide('scratchRoot', newRoot());
}

/** Removes every root this process made (the global teardown; the demo when it ends). */
export function teardown(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  root = undefined;
}
