/**
 * Runs an action's committed bundle the way the GitHub runner does: inputs as INPUT_* (with the
 * action.yml defaults filled in), the GITHUB_* context, an event payload file, and fresh
 * GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV / GITHUB_STEP_SUMMARY files; a post step gets the
 * main step's state as STATE_*. A Job keeps RUNNER_TEMP and exported variables across steps.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../stack/state.js';
import { scratchDir } from './scratch.js';

interface ActionYaml {
  inputs?: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; main: string; post?: string };
}

export interface EventSpec {
  name: string;
  ref: string;
  sha: string;
  payload?: Record<string, unknown>;
}

export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  exported: Record<string, string>;
  summary: string;
  /** The action directory and env the step ran with, for its post step. */
  action: string;
  env: Record<string, string>;
}

/** Parses the runner's file-command format: `name=value` or `name<<DELIM … DELIM` blocks. */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
      result[name] = value.join('\n');
    } else if (line.includes('=')) {
      const eq = line.indexOf('=');
      result[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return result;
}

export const DEFAULT_EVENT: EventSpec = {
  name: 'push',
  ref: 'refs/heads/main',
  sha: '3f4c2e1a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e',
  payload: { ref: 'refs/heads/main', repository: { full_name: 'acme/app', default_branch: 'main', name: 'app' } },
};

export class Job {
  readonly runnerTemp: string;
  private readonly exported: Record<string, string> = {};

  constructor(
    readonly options: { workspace: string; env?: Record<string, string>; event?: EventSpec; repository?: string } = {
      workspace: REPO_ROOT,
    },
  ) {
    // Under the scratch root, so it is removed with it even when a test forgets cleanup().
    this.runnerTemp = scratchDir('runner-');
  }

  private baseEnv(): Record<string, string> {
    const event = this.options.event ?? DEFAULT_EVENT;
    const eventPath = join(this.runnerTemp, 'event.json');
    writeFileSync(eventPath, JSON.stringify(event.payload ?? {}));
    const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SYSTEMROOT'];
    const env: Record<string, string> = {};
    for (const key of keep) if (process.env[key] !== undefined) env[key] = process.env[key] as string;
    return {
      ...env,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: event.name,
      GITHUB_REF: event.ref,
      GITHUB_SHA: event.sha,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: this.options.repository ?? 'acme/app',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '1001',
      GITHUB_RUN_NUMBER: '7',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_WORKSPACE: this.options.workspace,
      GITHUB_ACTOR: 'octocat',
      GITHUB_JOB: 'build',
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: this.runnerTemp,
      ...this.options.env,
      ...this.exported,
    };
  }

  /** Runs the main step of the action in `actionDir` ('.' = root action, or 'build', 'login'…). */
  async step(actionDir: string, inputs: Record<string, string> = {}, extraEnv: Record<string, string> = {}): Promise<StepResult> {
    const dir = resolve(REPO_ROOT, actionDir);
    const spec = parse(readFileSync(join(dir, 'action.yml'), 'utf8')) as ActionYaml;
    const declared = spec.inputs ?? {};
    const unknown = Object.keys(inputs).filter((k) => !(k in declared));
    if (unknown.length > 0) throw new Error(`${actionDir}/action.yml declares no input ${unknown.join(', ')}`);
    const env = this.baseEnv();
    for (const [name, def] of Object.entries(declared)) {
      const value = inputs[name] ?? def.default ?? '';
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    }
    Object.assign(env, extraEnv);
    return this.exec(dir, spec.runs.main, env);
  }

  /** Runs the post step of an earlier main step with its saved state. */
  async post(main: StepResult): Promise<StepResult> {
    const spec = parse(readFileSync(join(main.action, 'action.yml'), 'utf8')) as ActionYaml;
    if (!spec.runs.post) throw new Error(`${main.action}/action.yml has no post step`);
    const env = { ...main.env, ...this.exported };
    for (const [name, value] of Object.entries(main.state)) env[`STATE_${name}`] = value;
    return this.exec(main.action, spec.runs.post, env);
  }

  private exec(actionDir: string, script: string, env: Record<string, string>): Promise<StepResult> {
    const files = mkdtempSync(join(this.runnerTemp, 'step-'));
    const paths = {
      GITHUB_OUTPUT: 'output',
      GITHUB_STATE: 'state',
      GITHUB_ENV: 'env',
      GITHUB_STEP_SUMMARY: 'summary',
      GITHUB_PATH: 'path',
    };
    for (const [key, name] of Object.entries(paths)) {
      env[key] = join(files, name);
      writeFileSync(env[key], '');
    }
    const entry = resolve(actionDir, script);
    if (!existsSync(entry)) throw new Error(`${entry} does not exist: run npm run build`);
    return new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [entry], { cwd: this.options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        const read = (name: string): string => readFileSync(join(files, name), 'utf8');
        const exported = parseFileCommands(read('env'));
        Object.assign(this.exported, exported);
        resolvePromise({
          code: code ?? 1,
          stdout,
          stderr,
          outputs: parseFileCommands(read('output')),
          state: parseFileCommands(read('state')),
          exported,
          summary: read('summary'),
          action: actionDir,
          env,
        });
      });
    });
  }

  /** Variables exported so far by the job's steps (GITHUB_ENV). */
  exportedEnv(): Record<string, string> {
    return { ...this.exported };
  }

  cleanup(): void {
    rmSync(this.runnerTemp, { recursive: true, force: true });
  }
}
