/**
 * Scratch directories for tests, all under one root per test run that the global teardown
 * removes (test workers are killed, not exited, so per-process cleanup would not run).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT_VAR = 'ACR_SHIP_SCRATCH_ROOT' as const;

export function scratchDir(prefix = 'tmp-'): string {
  // Outside vitest (a script reusing a helper) the scratch root is made on first use.
  const root = process.env[ROOT_VAR] ?? (process.env[ROOT_VAR] = mkdtempSync(join(tmpdir(), 'acr-ship-test-')));
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, prefix));
}

/** Vitest global setup (each project runs it): one scratch root for the run, inherited by every worker. */
export function setup(): void {
  process.env[ROOT_VAR] ??= mkdtempSync(join(tmpdir(), 'acr-ship-test-'));
}

export function teardown(): void {
  const root = process.env[ROOT_VAR];
  if (root) rmSync(root, { recursive: true, force: true });
  delete process.env.ACR_SHIP_SCRATCH_ROOT;
}
