/**
 * Helpers for login scenarios on the stack: a runner Docker config WITHOUT registry credentials
 * (but with the buildx plugin and the stack builder), a buildx push with whatever DOCKER_CONFIG a
 * job exported, and the secret scan over every log a scenario produced.
 */
import { mkdirSync, symlinkSync } from 'node:fs';

import { join } from 'node:path';
import { exec, type ExecResult } from '../../../src/base/exec.js';
import { EmulatorControl } from '../../emulator/control.js';
import { readFileSync } from 'node:fs';
import { REPO_ROOT, stackEnv, type StackState } from '../../stack/state.js';
import type { Job, StepResult } from '../runner.js';
import { scratchDir } from '../scratch.js';

/** A DOCKER_CONFIG like a fresh runner's: plugins and builders, no credentials. */
export function bareDockerConfig(state: StackState): string {
  const dir = scratchDir('runner-docker-');
  mkdirSync(join(dir, 'cli-plugins'));
  symlinkSync(state.binaries.buildx, join(dir, 'cli-plugins', 'docker-buildx'));
  // The stack's builder (and which one is current) lives here.
  symlinkSync(join(state.dockerConfig, 'buildx'), join(dir, 'buildx'));
  return dir;
}

/** Runner environment for login scenarios: the stack's trust settings, a credential-free Docker config. */
export function loginEnv(state: StackState, dockerConfig: string): Record<string, string> {
  return {
    ...stackEnv(state),
    DOCKER_CONFIG: dockerConfig,
    PATH: `${join(REPO_ROOT, 'test', 'fixtures', 'bin')}:${process.env.PATH ?? ''}`,
  };
}

/** `docker buildx build --push` of examples/hello for linux/amd64 with the job's exported environment. */
export function pushHello(state: StackState, env: Record<string, string>, tags: string[]): Promise<ExecResult> {
  const args = [
    'buildx',
    'build',
    '--builder',
    state.buildkit.builder,
    '--platform',
    'linux/amd64',
    '--provenance=false',
    '--push',
    '--progress',
    'plain',
  ];
  args.push('--build-arg', `BASE_IMAGE=${state.baseImage}`);
  for (const tag of tags) args.push('--tag', tag);
  args.push(join(REPO_ROOT, 'examples', 'hello'));
  return exec('docker', args, { env: { ...process.env, ...env } });
}

export function emulatorControl(state: StackState): EmulatorControl {
  return new EmulatorControl(state.emulator.url, state.emulator.controlToken, readFileSync(state.registry.caCert));
}

export function errorLines(step: StepResult): string[] {
  return step.stdout.split('\n').filter((l) => l.startsWith('::error'));
}

/**
 * Every secret a login scenario could have leaked: fixed passwords, AccessKey secrets, and all that
 * the emulator issued (temporary passwords, STS keys and tokens, OIDC ID tokens), plus the base64
 * `user:password` forms config.json uses.
 */
export async function knownSecrets(state: StackState, extra: string[] = []): Promise<string[]> {
  const issued = await emulatorControl(state).issued();
  const plain = [
    state.registry.password,
    state.emulator.accessKey.secret,
    state.emulator.oidc.requestToken,
    state.emulator.controlToken,
    ...state.emulator.accounts.map((a) => a.password),
    ...issued.passwords.map((p) => p.password),
    ...issued.sts.flatMap((s) => [s.accessKeySecret, s.securityToken]),
    ...issued.idTokens,
    ...extra,
  ];
  const encoded = [
    ...state.emulator.accounts.map((a) => Buffer.from(`${a.username}:${a.password}`).toString('base64')),
    ...issued.passwords.map((p) => Buffer.from(`${p.username}:${p.password}`).toString('base64')),
  ];
  return [...new Set([...plain, ...encoded])].filter((s) => s.length >= 8);
}

/** Lines (outside `::add-mask::` commands) of the logs that contain a secret. */
export function secretHits(logs: string[], secrets: string[]): string[] {
  const hits: string[] = [];
  for (const log of logs) {
    for (const line of log.split('\n')) {
      if (line.startsWith('::add-mask::')) continue;
      for (const secret of secrets)
        if (line.includes(secret)) hits.push(`${line.slice(0, 80)}… contains a secret of ${secret.length} characters`);
    }
  }
  return hits;
}

/** Runs the login action's main and post steps, keeping every log for the secret scan. */
export class LoginSteps {
  readonly logs: string[] = [];

  async main(job: Job, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<StepResult> {
    return this.keep(await job.step('login', inputs, env));
  }

  async post(job: Job, main: StepResult): Promise<StepResult> {
    return this.keep(await job.post(main));
  }

  private keep(result: StepResult): StepResult {
    this.logs.push(result.stdout, result.stderr);
    return result;
  }
}
