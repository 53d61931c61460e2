/**
 * The login action against the real stack: each credential source logs in (ACR ones through the
 * emulator's APIs), then real `docker buildx` pushes to the token-auth registry with the stored
 * credential. Wrong keys, wrong regions and expired tokens each end in one line; a fork pull request
 * without credentials is skipped. Every log is then scanned for every secret involved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job, type EventSpec } from '../../support/runner.js';
import { registryClient, stack, uniqueRepo } from '../../support/stack.js';
import {
  bareDockerConfig,
  emulatorControl,
  errorLines,
  knownSecrets,
  loginEnv,
  pushHello,
  secretHits,
  LoginSteps,
} from '../../support/login/scenario.js';
import { REPO_ROOT, stackEnv } from '../../stack/state.js';
import { rmSync } from 'node:fs';

const state = stack();
const registry = registryClient(state);
const steps = new LoginSteps();
const logs = steps.logs;
const cleanups: (() => void)[] = [];

/** A job on a fresh runner (no registry credentials), with step debug logging on. */
function newJob(options: { env?: Record<string, string>; event?: EventSpec } = {}): Job {
  const dockerConfig = bareDockerConfig(state);
  const job = new Job({
    workspace: REPO_ROOT,
    env: { ...loginEnv(state, dockerConfig), RUNNER_DEBUG: '1', ...options.env },
    event: options.event,
  });
  cleanups.push(() => {
    job.cleanup();
    rmSync(dockerConfig, { recursive: true, force: true });
  });
  return job;
}

/** Pushes with the job's exported DOCKER_CONFIG and checks the tag arrived. */
async function pushAndCheck(job: Job, prefix: string, hosts = [state.registry.host]): Promise<void> {
  const repo = uniqueRepo(prefix);
  const pushed = await pushHello(
    state,
    { ...stackEnv(state), ...job.exportedEnv() },
    hosts.map((h) => `${h}/${repo}:v1`),
  );
  expect(pushed.code, pushed.stderr.split('\n').slice(-5).join('\n')).toBe(0);
  expect(await registry.tags(repo)).toEqual(['v1']);
}

const acr = {
  registry: state.registry.host,
  region: state.emulator.region,
  'api-endpoint': state.emulator.url,
  'sts-endpoint': state.emulator.url,
};
const ak = { 'access-key-id': state.emulator.accessKey.id, 'access-key-secret': state.emulator.accessKey.secret };
const oidc = { 'role-arn': state.emulator.oidc.roleArn, 'oidc-provider-arn': state.emulator.oidc.providerArn };
const oidcEnv = {
  ACTIONS_ID_TOKEN_REQUEST_URL: state.emulator.oidc.requestUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: state.emulator.oidc.requestToken,
};
let issuedBefore = 0;
beforeAll(async () => {
  issuedBefore = (await emulatorControl(state).issued()).passwords.length;
});

afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});

describe('login: credential sources, each followed by a buildx push', () => {
  it('username + password, two registries in one step', async () => {
    const job = newJob();
    const hosts = [state.registry.host, `localhost:${state.registry.port}`];
    const main = await steps.main(job, {
      registry: hosts.join('\n'),
      username: state.registry.username,
      password: state.registry.password,
    });
    expect(errorLines(main)).toEqual([]);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain("username and password from inputs 'username' and 'password'");
    expect(main.outputs.registry).toBe(hosts.join('\n'));
    expect(main.outputs['logged-in']).toBe('true');
    expect(main.outputs['expires-at']).toBe('');
    await pushAndCheck(job, 'login-password', hosts);
    expect((await steps.post(job, main)).code).toBe(0);
  });

  it('AccessKey, Personal Edition: cr 2016-06-07 GET /tokens', async () => {
    const job = newJob();
    const main = await steps.main(job, {
      ...acr,
      ...ak,
    });
    expect(errorLines(main)).toEqual([]);
    expect(main.stdout).toContain(
      "cr 2016-06-07 GET /tokens in cn-hangzhou, signed with AccessKey from inputs 'access-key-id', 'access-key-secret'",
    );
    expect(main.outputs.username).toBe('cr_temp_user');
    const expires = Date.parse(main.outputs['expires-at'] ?? '');
    expect(expires - Date.now()).toBeGreaterThan(55 * 60_000);
    await pushAndCheck(job, 'login-ak');
    expect((await steps.post(job, main)).code).toBe(0);
  });

  it('AccessKey, Enterprise Edition: cr 2018-12-01 GetAuthorizationToken for the instance', async () => {
    const job = newJob();
    const main = await steps.main(job, {
      ...acr,
      'instance-id': state.emulator.instance.id,
      ...ak,
    });
    expect(errorLines(main)).toEqual([]);
    expect(main.stdout).toContain(`GetAuthorizationToken (instance ${state.emulator.instance.id})`);
    expect(main.outputs.username).toBe('temp_user_cr');
    await pushAndCheck(job, 'login-ee');
    expect((await steps.post(job, main)).code).toBe(0);
  });

  it('STS credentials from ALIBABA_CLOUD_* variables (as configure-aliyun-credentials exports them)', async () => {
    const sts = await emulatorControl(state).mintSts(1800);
    const job = newJob({
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: sts.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: sts.accessKeySecret,
        ALIBABA_CLOUD_SECURITY_TOKEN: sts.securityToken,
      },
    });
    const main = await steps.main(job, acr);
    expect(errorLines(main)).toEqual([]);
    expect(main.stdout).toContain('signed with STS credentials from ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET/_SECURITY_TOKEN');
    // The temporary password lasts no longer than the STS token that asked for it.
    expect(Date.parse(main.outputs['expires-at'] ?? '')).toBeLessThanOrEqual(sts.expiresAt);
    await pushAndCheck(job, 'login-sts');
    expect((await steps.post(job, main)).code).toBe(0);
  });

  it('keyless OIDC: GitHub ID token → STS AssumeRoleWithOIDC → ACR', async () => {
    const job = newJob({ env: oidcEnv });
    const main = await steps.main(job, {
      ...acr,
      ...oidc,
    });
    expect(errorLines(main)).toEqual([]);
    expect(main.stdout).toContain(`keyless OIDC (GitHub ID token → STS AssumeRoleWithOIDC, role ${state.emulator.oidc.roleArn})`);
    expect(main.stdout).toContain(`STS: assumed role ${state.emulator.oidc.roleArn}`);
    await pushAndCheck(job, 'login-oidc');
    expect((await steps.post(job, main)).code).toBe(0);
  });
});

describe('login: refusals end in one line and a failed step', () => {
  it('a wrong AccessKey secret', async () => {
    const main = await steps.main(newJob(), { ...acr, ...ak, 'access-key-secret': `${state.emulator.accessKey.secret}x` });
    expect(main.code).toBe(1);
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      "ACR in cn-hangzhou rejected the AccessKey from inputs 'access-key-id', 'access-key-secret' (SignatureDoesNotMatch",
    );
    expect(errors[0]).toContain("check input 'access-key-secret' and the region");
  });

  it('an unknown AccessKey id', async () => {
    const main = await steps.main(newJob(), { ...acr, ...ak, 'access-key-id': 'LTAI5tNoSuchKey000' });
    expect(main.code).toBe(1);
    expect(errorLines(main)).toHaveLength(1);
    expect(errorLines(main)[0]).toContain('(InvalidAccessKeyId.NotFound');
    expect(errorLines(main)[0]).toContain('check the key and the region');
  });

  it('a registry in another region than the temporary password', async () => {
    const main = await steps.main(newJob(), { ...acr, ...ak, region: state.emulator.otherRegion });
    expect(main.code).toBe(1);
    const errors = errorLines(main);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      `registry ${state.registry.host} refused the temporary password ACR issued for region ${state.emulator.otherRegion}`,
    );
    expect(errors[0]).toContain("check inputs 'registry', 'region' and 'instance-id'");
  });

  it('an ACR API host that does not answer for the region', async () => {
    const main = await steps.main(newJob(), { ...acr, ...ak, 'api-endpoint': 'https://127.0.0.1:9' });
    expect(main.code).toBe(1);
    expect(errorLines(main)).toHaveLength(1);
    expect(errorLines(main)[0]).toContain('cannot reach the ACR API for region cn-hangzhou at 127.0.0.1:9 (ECONNREFUSED');
  }, 60_000);

  it('an expired STS security token', async () => {
    const sts = await emulatorControl(state).mintSts(-60);
    const main = await steps.main(newJob(), {
      ...acr,
      'access-key-id': sts.accessKeyId,
      'access-key-secret': sts.accessKeySecret,
      'security-token': sts.securityToken,
    });
    expect(main.code).toBe(1);
    expect(errorLines(main)).toHaveLength(1);
    expect(errorLines(main)[0]).toContain(
      "::error::the STS security token in input 'security-token' has expired (InvalidSecurityToken.Expired",
    );
    expect(errorLines(main)[0]).toContain('get fresh temporary credentials right before this step');
  });

  it('an expired GitHub ID token', async () => {
    const job = newJob({
      env: { ...oidcEnv, ACTIONS_ID_TOKEN_REQUEST_URL: `${state.emulator.url}/oidc/token?repository=acme/app&expired=1` },
    });
    const main = await steps.main(job, {
      ...acr,
      ...oidc,
    });
    expect(main.code).toBe(1);
    expect(errorLines(main)).toHaveLength(1);
    expect(errorLines(main)[0]).toContain('STS says the GitHub OIDC token has expired (AuthenticationFail.OIDCToken.Expired');
  });

  it("an OIDC subject the role's trust policy does not allow", async () => {
    const job = newJob({ env: { ...oidcEnv, ACTIONS_ID_TOKEN_REQUEST_URL: `${state.emulator.url}/oidc/token?repository=someone/else` } });
    const main = await steps.main(job, {
      ...acr,
      ...oidc,
    });
    expect(main.code).toBe(1);
    expect(errorLines(main)).toHaveLength(1);
    expect(errorLines(main)[0]).toContain(
      `the trust policy of role ${state.emulator.oidc.roleArn} refused the OIDC subject 'repo:someone/else:ref:refs/heads/main' (AuthenticationFail.NoPermission`,
    );
  });

  it('a wrong registry password', async () => {
    const main = await steps.main(newJob(), {
      registry: state.registry.host,
      username: state.registry.username,
      password: 'not-the-password',
    });
    expect(main.code).toBe(1);
    expect(errorLines(main)).toHaveLength(1);
    expect(errorLines(main)[0]).toContain(`registry ${state.registry.host} rejected username '${state.registry.username}'`);
  });

  it('no credentials at all, outside a fork pull request: one line naming the inputs', async () => {
    const main = await steps.main(newJob(), { registry: state.registry.host });
    expect(main.code).toBe(1);
    expect(errorLines(main)).toEqual([
      "::error::no credentials: set inputs 'username' and 'password', or 'access-key-id' and 'access-key-secret' (or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET), or 'role-arn' and 'oidc-provider-arn' for keyless OIDC",
    ]);
  });

  it('a temporary password stops working at the registry once it expires', async () => {
    const job = newJob();
    const main = await steps.main(job, { ...acr, ...ak });
    expect(main.code).toBe(0);
    const control = emulatorControl(state);
    const issued = (await control.issued()).passwords.at(-1);
    expect(issued?.username).toBe(main.outputs.username);
    expect(await control.expire({ password: issued?.password ?? '' })).toBe(1);
    const repo = uniqueRepo('login-expired');
    const pushed = await pushHello(state, { ...stackEnv(state), ...job.exportedEnv() }, [`${state.registry.host}/${repo}:v1`]);
    expect(pushed.code).not.toBe(0);
    expect(await registry.tags(repo)).toEqual([]);
    await steps.post(job, main);
  });
});

describe('login: pull requests from forks', () => {
  const forkEvent: EventSpec = {
    name: 'pull_request',
    ref: 'refs/pull/7/merge',
    sha: '1111111111111111111111111111111111111111',
    payload: {
      number: 7,
      repository: { full_name: 'acme/app', default_branch: 'main' },
      pull_request: {
        number: 7,
        head: { sha: '2222222222222222222222222222222222222222', ref: 'feature', repo: { full_name: 'someone/app' } },
        base: { ref: 'main' },
      },
    },
  };

  it('without credentials: a notice, logged-in=false, exit 0', async () => {
    // As GitHub runs it: the secrets are empty strings, and there is no ID token.
    const job = newJob({ event: forkEvent });
    const main = await steps.main(job, { registry: state.registry.host, username: state.registry.username, password: '' });
    expect(errorLines(main)).toEqual([]);
    expect(main.code).toBe(0);
    expect(main.outputs['logged-in']).toBe('false');
    expect(main.stdout).toMatch(/::notice::skipping login to 127\.0\.0\.1:\d+: this pull request comes from a fork/);
    expect(job.exportedEnv().DOCKER_CONFIG).toBeUndefined();
    expect((await steps.post(job, main)).code).toBe(0);
  });

  it('keyless OIDC without an ID token: skipped the same way', async () => {
    const job = newJob({ event: forkEvent });
    const main = await steps.main(job, {
      ...acr,
      ...oidc,
    });
    expect(main.code).toBe(0);
    expect(main.outputs['logged-in']).toBe('false');
    expect(main.stdout).toContain('id-token: write');
  });
});

describe('login: secrets', () => {
  it('no secret appears in any scenario log outside ::add-mask:: lines', async () => {
    expect(logs.length).toBeGreaterThan(20);
    const secrets = await knownSecrets(state);
    expect(secrets.length).toBeGreaterThan(10);
    expect(secretHits(logs, secrets)).toEqual([]);
    // And the masks were registered: the AccessKey secret and every temporary password.
    const masks = logs.join('\n');
    expect(masks).toContain(`::add-mask::${state.emulator.accessKey.secret}`);
    const issuedHere = (await emulatorControl(state).issued()).passwords.slice(issuedBefore);
    expect(issuedHere.length).toBeGreaterThanOrEqual(5);
    for (const p of issuedHere) expect(masks).toContain(`::add-mask::${p.password}`);
  });
});
