/**
 * The login action's main step, cold start to done, against the local stack: node starts the
 * committed bundle, reads inputs, stores the credential and verifies it with the registry (through
 * the emulator's token service) — as the runner runs it. Peers measured 230–260 ms here.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, up } from '../test/stack/stack.js';
import { REPO_ROOT, stackEnv, type StackState } from '../test/stack/state.js';
import type { Benchmark } from './cases.js';
import { fmtStats, measure, runProcess, type BenchRow } from './harness.js';

const TARGET_MS = 150;

function runnerEnv(state: StackState, dir: string, inputs: Record<string, string>): NodeJS.ProcessEnv {
  const dockerConfig = join(dir, 'docker');
  mkdirSync(join(dockerConfig, 'cli-plugins'), { recursive: true });
  try {
    symlinkSync(state.binaries.buildx, join(dockerConfig, 'cli-plugins', 'docker-buildx'));
  } catch {
    /* already there */
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...stackEnv(state),
    DOCKER_CONFIG: dockerConfig,
    RUNNER_TEMP: dir,
  };
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY']) {
    env[name] = join(dir, name.toLowerCase());
    writeFileSync(env[name], '');
  }
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_RUN_ID: '1',
    GITHUB_WORKSPACE: REPO_ROOT,
  });
  for (const [k, v] of Object.entries({
    'config-scope': 'job',
    logout: 'true',
    endpoint: 'public',
    audience: 'sts.aliyuncs.com',
    'role-duration': '3600',
    ...inputs,
  })) {
    env[`INPUT_${k.toUpperCase()}`] = v;
  }
  return env;
}

async function timeLogin(
  state: StackState,
  name: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<BenchRow> {
  const dir = mkdtempSync(join(tmpdir(), 'acr-ship-bench-login-'));
  try {
    const env = { ...runnerEnv(state, dir, inputs), ...extraEnv };
    const entry = join(REPO_ROOT, 'dist', 'login.js');
    const check = await runProcess(process.execPath, [entry], env, REPO_ROOT);
    if (check.code !== 0)
      throw new Error(`${name}: login failed: ${check.stdout.split('\n').find((l) => l.startsWith('::error')) ?? check.stderr}`);
    const s = await measure(() => runProcess(process.execPath, [entry], env, REPO_ROOT), 15, 2);
    return { name, value: fmtStats(s), target: `≤ ${TARGET_MS} ms median`, met: s.median <= TARGET_MS };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const loginBench: Benchmark = {
  name: 'login step (main, cold start to done)',
  run: async () => {
    const { state, started } = await up((line) => process.stderr.write(`stack: ${line}\n`));
    try {
      const acr = {
        registry: state.registry.host,
        region: state.emulator.region,
        'api-endpoint': state.emulator.url,
        'sts-endpoint': state.emulator.url,
      };
      return [
        await timeLogin(state, 'login: username + password', {
          registry: state.registry.host,
          username: state.registry.username,
          password: state.registry.password,
        }),
        await timeLogin(state, 'login: AccessKey → ACR temporary password', {
          ...acr,
          'access-key-id': state.emulator.accessKey.id,
          'access-key-secret': state.emulator.accessKey.secret,
        }),
        await timeLogin(
          state,
          'login: keyless OIDC → STS → ACR',
          { ...acr, 'role-arn': state.emulator.oidc.roleArn, 'oidc-provider-arn': state.emulator.oidc.providerArn },
          {
            ACTIONS_ID_TOKEN_REQUEST_URL: state.emulator.oidc.requestUrl,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: state.emulator.oidc.requestToken,
          },
        ),
      ];
    } finally {
      if (started) await down(() => {});
    }
  },
};
