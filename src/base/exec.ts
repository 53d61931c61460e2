import { spawn } from 'node:child_process';
import { UserError } from './errors.js';

export interface ExecOptions {
  cwd?: string;
  /** Full environment for the child; defaults to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed (how secrets reach helpers: never argv). */
  input?: string;
  /** Called for each complete stdout/stderr line as it arrives (progress streaming). */
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** Keep at most this many trailing characters of each stream in the result (default 1 MiB). */
  captureLimit?: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

const DEFAULT_CAPTURE = 1024 * 1024;

/**
 * Runs a program with an argument array — never through a shell, so branch names, tags and
 * paths cannot be interpreted as shell syntax. Resolves with the exit code; it does not throw
 * on a non-zero exit (callers decide what a failure means).
 */
export function exec(file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const limit = options.captureLimit ?? DEFAULT_CAPTURE;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
      shell: false,
    });
    const out = new StreamCapture(limit, options.onStdoutLine);
    const err = new StreamCapture(limit, options.onStderrLine);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') reject(new UserError(`${file} is not installed or not on PATH`));
      else reject(e);
    });
    child.on('close', (code, signal) => {
      out.end();
      err.end();
      resolve({ code: code ?? (signal ? 128 : 1), stdout: out.text(), stderr: err.text() });
    });
    // A child that exits before reading stdin must not crash us with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** Collects a stream's tail and splits it into lines for a callback. */
class StreamCapture {
  private kept = '';
  private partial = '';

  constructor(
    private readonly limit: number,
    private readonly onLine?: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    this.kept += text;
    if (this.kept.length > this.limit * 2) this.kept = this.kept.slice(-this.limit);
    if (!this.onLine) return;
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.replace(/\r$/, ''));
  }

  end(): void {
    if (this.onLine && this.partial !== '') this.onLine(this.partial);
    this.partial = '';
  }

  text(): string {
    return this.kept.length > this.limit ? this.kept.slice(-this.limit) : this.kept;
  }
}
