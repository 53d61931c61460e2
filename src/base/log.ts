import type { ErrorLocation } from './errors.js';

/**
 * What core code may say. Core modules never print directly: entry points hand them a Log that
 * speaks the GitHub workflow-command protocol (actions) or plain text (CLI, tests).
 */
export interface Log {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string, location?: ErrorLocation): void;
  error(message: string, location?: ErrorLocation): void;
  notice(message: string): void;
  /** Runs `fn` inside a collapsible group (actions) or under a heading (CLI). */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Registers a secret before anything can print it; every later line has it redacted. */
  mask(secret: string): void;
}

/** Plain-text log for the CLI and tests: stderr, with secrets redacted by the log itself. */
export class TextLog implements Log {
  private readonly secrets = new Set<string>();

  constructor(
    private readonly write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
    private readonly verbose = false,
  ) {}

  info(message: string): void {
    this.emit(message);
  }
  debug(message: string): void {
    if (this.verbose) this.emit(`debug: ${message}`);
  }
  warning(message: string): void {
    this.emit(`warning: ${message}`);
  }
  error(message: string): void {
    this.emit(`error: ${message}`);
  }
  notice(message: string): void {
    this.emit(`notice: ${message}`);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.emit(`== ${title}`);
    return fn();
  }
  mask(secret: string): void {
    if (secret.length > 0) this.secrets.add(secret);
  }

  private emit(message: string): void {
    let text = message;
    for (const secret of this.secrets) text = text.split(secret).join('***');
    for (const line of text.split('\n')) this.write(line);
  }
}

/** A Log that drops everything: for callers that only want the result. */
export const silentLog: Log = {
  info() {},
  debug() {},
  warning() {},
  error() {},
  notice() {},
  group: (_title, fn) => fn(),
  mask() {},
};
