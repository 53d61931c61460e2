/**
 * Where the login action stores credentials and what its post step leaves behind, on the real
 * stack: `job` scope leaves no directory and points DOCKER_CONFIG back; `user` scope gives the
 * user's config.json and credential-helper store back byte for byte — after a successful login,
 * after one that failed half-way, and never with `logout: false`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { exec } from '../../../src/base/exec.js';
import { Job } from '../../support/runner.js';
import { registryClient, stack, uniqueRepo } from '../../support/stack.js';
import { errorLines, knownSecrets, loginEnv, pushHello, secretHits, LoginSteps } from '../../support/login/scenario.js';
import { REPO_ROOT } from '../../stack/state.js';
import { scratchDir } from '../../support/scratch.js';

const state = stack();
const registry = registryClient(state);
const primary = state.registry.host;
const alias = `localhost:${state.registry.port}`;
const steps = new LoginSteps();
const logs = steps.logs;
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});

interface UserSetup {
  dockerConfig: string;
  configFile: string;
  helperStore: string;
  env: Record<string, string>;
  /** config.json and the helper's store as they were before the job. */
  before: { config: Buffer; store: Buffer };
}

/**
 * A runner user's Docker config with history: an `auths` entry for the registry (a stale
 * password), another registry's entry, a credHelpers entry for the registry's second name backed
 * by docker-credential-acrshipfile, and an unrelated setting — formatted unlike our own writer, so
 * only a byte-exact restore passes.
 */
async function userSetup(): Promise<UserSetup> {
  const dir = scratchDir('user-');
  const dockerConfig = join(dir, 'docker');
  mkdirSync(join(dockerConfig, 'cli-plugins'), { recursive: true });
  symlinkSync(state.binaries.buildx, join(dockerConfig, 'cli-plugins', 'docker-buildx'));
  symlinkSync(join(state.dockerConfig, 'buildx'), join(dockerConfig, 'buildx'));
  const configFile = join(dockerConfig, 'config.json');
  const config = {
    auths: {
      [primary]: { auth: Buffer.from(`${state.registry.username}:stale-password`).toString('base64') },
      'ghcr.io': { auth: Buffer.from('octocat:ghp_unrelated').toString('base64') },
    },
    credHelpers: { [alias]: 'acrshipfile' },
    detachKeys: 'ctrl-e,e',
  };
  writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
  const helperStore = join(dir, 'helper-store.json');
  const env = { ...loginEnv(state, dockerConfig), ACR_SHIP_TEST_HELPER_STORE: helperStore };
  for (const [server, username, secret] of [
    [alias, 'old-user', 'old-secret'],
    ['registry.example.com', 'someone', 'their-secret'],
  ]) {
    const stored = await exec('docker-credential-acrshipfile', ['store'], {
      env,
      input: JSON.stringify({ ServerURL: server, Username: username, Secret: secret }),
    });
    expect(stored.code).toBe(0);
  }
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { dockerConfig, configFile, helperStore, env, before: { config: readFileSync(configFile), store: readFileSync(helperStore) } };
}

function helperEntry(setup: UserSetup, server: string): { Username: string; Secret: string } | undefined {
  return (JSON.parse(readFileSync(setup.helperStore, 'utf8')) as Record<string, { Username: string; Secret: string }>)[server];
}

function authOf(setup: UserSetup, key: string): string {
  const config = JSON.parse(readFileSync(setup.configFile, 'utf8')) as { auths: Record<string, { auth: string }> };
  return Buffer.from(config.auths[key]?.auth ?? '', 'base64').toString();
}

function newJob(setup: UserSetup): Job {
  const job = new Job({ workspace: REPO_ROOT, env: setup.env });
  cleanups.push(() => job.cleanup());
  return job;
}

const both = { registry: `${primary}\n${alias}`, username: state.registry.username, password: state.registry.password };

function sessionDirs(job: Job): string[] {
  return readdirSync(job.runnerTemp).filter((n) => n.startsWith('acr-ship-login-'));
}

describe('config-scope: job (default)', () => {
  let setup: UserSetup;
  beforeEach(async () => {
    setup = await userSetup();
  });

  it('stores in a job directory that keeps buildx working, then leaves no directory behind', async () => {
    const job = newJob(setup);
    const main = await steps.main(job, both);
    expect(errorLines(main)).toEqual([]);
    const jobConfig = main.exported.DOCKER_CONFIG ?? '';
    expect(jobConfig.startsWith(join(job.runnerTemp, 'acr-ship-login-'))).toBe(true);
    // The user's own files are untouched; the helper-backed name went through the helper.
    expect(readFileSync(setup.configFile)).toEqual(setup.before.config);
    expect(helperEntry(setup, alias)).toEqual({ Username: state.registry.username, Secret: state.registry.password });
    // Builders and plugins are linked from the user's directory.
    expect(readdirSync(jobConfig).sort()).toEqual(['buildx', 'cli-plugins', 'config.json']);
    const ls = await exec('docker', ['buildx', 'ls'], { env: { ...process.env, ...setup.env, ...job.exportedEnv() } });
    expect(ls.stdout).toContain(state.buildkit.builder);
    const repo = uniqueRepo('login-job');
    const pushed = await pushHello(state, { ...setup.env, ...job.exportedEnv() }, [`${primary}/${repo}:v1`, `${alias}/${repo}:v1`]);
    expect(pushed.code, pushed.stderr.slice(-500)).toBe(0);
    expect(await registry.tags(repo)).toEqual(['v1']);

    const after = await steps.post(job, main);
    expect(errorLines(after)).toEqual([]);
    expect(after.code).toBe(0);
    expect(existsSync(jobConfig)).toBe(false);
    expect(sessionDirs(job)).toEqual([]);
    expect(after.exported.DOCKER_CONFIG).toBe(setup.dockerConfig);
    expect(readFileSync(setup.helperStore)).toEqual(setup.before.store);
    expect(readFileSync(setup.configFile)).toEqual(setup.before.config);
    // The builder directory the job config linked to is still there.
    expect(existsSync(join(state.dockerConfig, 'buildx'))).toBe(true);
  });

  it('logout: false keeps the job directory and its credentials', async () => {
    const job = newJob(setup);
    const main = await steps.main(job, { ...both, logout: 'false' });
    expect(main.code).toBe(0);
    expect(main.state['login-session']).toBeUndefined();
    const after = await steps.post(job, main);
    expect(after.code).toBe(0);
    const jobConfig = main.exported.DOCKER_CONFIG ?? '';
    expect(JSON.parse(readFileSync(join(jobConfig, 'config.json'), 'utf8')).auths[primary]).toBeDefined();
    expect(helperEntry(setup, alias)?.Secret).toBe(state.registry.password);
  });
});

describe('config-scope: user', () => {
  let setup: UserSetup;
  beforeEach(async () => {
    setup = await userSetup();
  });

  it('edits the user config, and the post step restores config.json and the helper store byte for byte', async () => {
    const job = newJob(setup);
    const main = await steps.main(job, { ...both, 'config-scope': 'user' });
    expect(errorLines(main)).toEqual([]);
    expect(main.exported.DOCKER_CONFIG).toBeUndefined();
    expect(authOf(setup, primary)).toBe(`${state.registry.username}:${state.registry.password}`);
    expect(authOf(setup, 'ghcr.io')).toBe('octocat:ghp_unrelated');
    expect(helperEntry(setup, alias)).toEqual({ Username: state.registry.username, Secret: state.registry.password });
    const repo = uniqueRepo('login-user');
    const pushed = await pushHello(state, setup.env, [`${primary}/${repo}:v1`, `${alias}/${repo}:v1`]);
    expect(pushed.code, pushed.stderr.slice(-500)).toBe(0);

    const after = await steps.post(job, main);
    expect(after.code).toBe(0);
    expect(readFileSync(setup.configFile)).toEqual(setup.before.config);
    expect(readFileSync(setup.helperStore)).toEqual(setup.before.store);
    expect(sessionDirs(job)).toEqual([]);
  });

  it('a login that fails half-way restores everything at once; the post step then has nothing left to do', async () => {
    const job = newJob(setup);
    const registries = `- registry: ${primary}\n  username: ${state.registry.username}\n  password: ${state.registry.password}\n- registry: ${alias}\n  username: ${state.registry.username}\n  password: wrong-password\n`;
    const main = await steps.main(job, { registries, 'config-scope': 'user' });
    expect(main.code).toBe(1);
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      `registry ${alias} rejected username '${state.registry.username}' with the password from input 'registries' entry 2`,
    );
    expect(readFileSync(setup.configFile)).toEqual(setup.before.config);
    expect(readFileSync(setup.helperStore)).toEqual(setup.before.store);
    const after = await steps.post(job, main);
    expect(after.code).toBe(0);
    expect(readFileSync(setup.configFile)).toEqual(setup.before.config);
    expect(sessionDirs(job)).toEqual([]);
  });

  it('logout: false leaves the new credentials in the user config', async () => {
    const job = newJob(setup);
    const main = await steps.main(job, { ...both, 'config-scope': 'user', logout: 'false' });
    expect(main.code).toBe(0);
    expect((await steps.post(job, main)).code).toBe(0);
    expect(authOf(setup, primary)).toBe(`${state.registry.username}:${state.registry.password}`);
    expect(sessionDirs(job)).toEqual([]);
  });
});

describe('scope scenarios: secrets', () => {
  it('no secret in any log outside ::add-mask:: lines', async () => {
    expect(logs.length).toBeGreaterThan(8);
    expect(secretHits(logs, await knownSecrets(state, ['stale-password', 'old-secret', 'wrong-password', 'ghp_unrelated']))).toEqual([]);
  });
});
