import { exec, type ExecOptions } from '../../src/base/exec.js';

/** Runs a command for the stack and throws with its output tail when it fails. */
export async function run(file: string, args: readonly string[], options: ExecOptions = {}): Promise<string> {
  const result = await exec(file, args, options);
  if (result.code !== 0) {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n');
    throw new Error(`${file} ${args.join(' ')} failed (exit ${result.code}): ${tail}`);
  }
  return result.stdout;
}

export async function succeeds(file: string, args: readonly string[], options: ExecOptions = {}): Promise<boolean> {
  try {
    return (await exec(file, args, options)).code === 0;
  } catch {
    return false;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns whether it succeeded. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(stepMs);
  }
}
