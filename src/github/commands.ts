import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { ErrorLocation } from '../base/errors.js';
import type { Log } from '../base/log.js';

/*
 * The runner protocol, written out rather than imported: workflow commands on stdout
 * (`::name props::message`) and the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV files. Keeping it
 * small keeps every action's cold start close to Node's own.
 */

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function command(name: string, message: string, properties: Record<string, string | number | undefined> = {}): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name}${props ? ' ' + props : ''}::${escapeData(message)}`;
}

/** `name<<delimiter` blocks, as the runner reads GITHUB_OUTPUT, GITHUB_STATE and GITHUB_ENV. */
export function fileCommand(name: string, value: string): string {
  const delimiter = `ghadelimiter_${randomUUID()}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

function appendTo(envVar: string, name: string, value: string, env: NodeJS.ProcessEnv): void {
  const file = env[envVar];
  if (!file) return;
  appendFileSync(file, fileCommand(name, value), 'utf8');
}

export function setOutput(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  appendTo('GITHUB_OUTPUT', name, value, env);
}

export function saveState(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  appendTo('GITHUB_STATE', name, value, env);
}

export function getState(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return env[`STATE_${name}`] ?? '';
}

/** Sets a variable for later steps (and for this process, so the post step sees it too). */
export function exportVariable(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  env[name] = value;
  appendTo('GITHUB_ENV', name, value, env);
}

export function appendSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown.endsWith('\n') ? markdown : markdown + '\n', 'utf8');
}

export function isDebug(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.RUNNER_DEBUG === '1' || env.ACTIONS_STEP_DEBUG === 'true';
}

function locationProps(location?: ErrorLocation): Record<string, string | number | undefined> {
  return { file: location?.file, line: location?.line, col: location?.column };
}

/** The Log of a running action: workflow commands on stdout. */
export class WorkflowLog implements Log {
  private readonly secrets = new Set<string>();

  constructor(
    private readonly write: (text: string) => void = (text) => process.stdout.write(text + '\n'),
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  info(message: string): void {
    this.write(this.redact(message));
  }
  debug(message: string): void {
    if (isDebug(this.env)) this.write(command('debug', this.redact(message)));
  }
  warning(message: string, location?: ErrorLocation): void {
    this.write(command('warning', this.redact(message), locationProps(location)));
  }
  error(message: string, location?: ErrorLocation): void {
    this.write(command('error', this.redact(message), locationProps(location)));
  }
  notice(message: string): void {
    this.write(command('notice', this.redact(message)));
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.write(command('group', title));
    try {
      return await fn();
    } finally {
      this.write(command('endgroup', ''));
    }
  }
  mask(secret: string): void {
    if (secret.length === 0 || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    // The runner masks what it is told to; each line of a multi-line secret is its own mask.
    for (const line of secret.split(/\r?\n/)) if (line.trim() !== '') this.write(command('add-mask', line));
  }

  /** Belt and braces: the runner masks registered secrets, but local runs and other log
   * consumers do not, so the log redacts them too. */
  private redact(message: string): string {
    let text = message;
    for (const secret of this.secrets) text = text.split(secret).join('***');
    return text;
  }
}
