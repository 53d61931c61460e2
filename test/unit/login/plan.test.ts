/**
 * What login() decides before it changes anything: which source applies, which registry host and
 * region, and the one-line errors for inconsistent inputs. None of these cases may create a session.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserErrors } from '../../../src/base/errors.js';
import { TextLog } from '../../../src/base/log.js';
import { login, type LoginDeps } from '../../../src/login/login.js';
import type { AcrTarget, LoginRequest, LoginTarget } from '../../../src/login/request.js';

let root: string;
let lines: string[];
let deps: LoginDeps;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'acr-ship-plan-'));
  lines = [];
  deps = {
    log: new TextLog((l) => lines.push(l)),
    env: process.env,
    userConfigDir: join(root, 'docker'),
    sessionDir: join(root, 'session'),
    forkPullRequest: false,
  };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const key = {
  accessKey: {
    accessKey: { id: 'LTAI1', secret: 's' },
    origin: 'inputs',
    secretName: "input 'access-key-secret'",
    tokenName: "input 'security-token'",
  },
};

function request(targets: LoginTarget[], cloud: LoginRequest['cloud'] = key): LoginRequest {
  return { targets, cloud, scope: 'job', logout: true };
}

function acr(fields: Partial<AcrTarget>): AcrTarget {
  return { kind: 'acr', registries: [], network: 'public', origin: '', ...fields };
}

async function failure(req: LoginRequest): Promise<string> {
  const err = await login(req, deps).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  expect(existsSync(deps.sessionDir)).toBe(false);
  return (err as Error).message;
}

describe('login planning', () => {
  it('a registry host in another region than input region', async () => {
    expect(await failure(request([acr({ registries: ['registry.cn-shanghai.aliyuncs.com'], region: 'cn-hangzhou' })]))).toBe(
      "registry registry.cn-shanghai.aliyuncs.com is in region cn-shanghai but input 'region' is 'cn-hangzhou': make them agree",
    );
  });

  it('an Enterprise Edition host without instance-id, and a Personal Edition host with one', async () => {
    expect(await failure(request([acr({ registries: ['acme-registry.cn-hangzhou.cr.aliyuncs.com'] })]))).toContain(
      "is an Enterprise Edition instance: set input 'instance-id'",
    );
    expect(await failure(request([acr({ registries: ['registry.cn-hangzhou.aliyuncs.com'], instanceId: 'cri-1' })]))).toContain(
      "is the Personal Edition registry; remove input 'instance-id'",
    );
  });

  it('no region anywhere', async () => {
    expect(await failure(request([acr({ registries: ['127.0.0.1:5000'] })]))).toBe(
      "input 'region' is required (registry 127.0.0.1:5000 does not name one), e.g. cn-hangzhou",
    );
  });

  it('an Enterprise instance without a registry host or instance name', async () => {
    expect(await failure(request([acr({ region: 'cn-hangzhou', instanceId: 'cri-1' })]))).toContain(
      "set input 'registry' (or 'instance-name')",
    );
  });

  it('keyless OIDC on a job without an ID token says so (the action adds how to get one)', async () => {
    const oidc = {
      roleArn: 'acs:ram::1:role/r',
      oidcProviderArn: 'acs:ram::1:oidc-provider/p',
      audience: 'sts.aliyuncs.com',
      roleSessionName: 'x1',
      durationSeconds: 3600,
    };
    expect(await failure(request([acr({ region: 'cn-hangzhou' })], { oidc }))).toContain(
      'keyless OIDC needs an OIDC ID token: none is available to this job',
    );
  });

  it('several problems are reported together, one line each', async () => {
    const err = await login(
      request([
        {
          kind: 'missing',
          registries: ['ghcr.io'],
          origin: "input 'registries' entry 1",
          missing: "input 'registries' entry 1 'password' is empty",
        },
        acr({ registries: ['127.0.0.1:5000'], origin: "input 'registries' entry 2" }),
      ]),
      deps,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserErrors);
    expect((err as UserErrors).errors.map((e) => e.message)).toEqual([
      "input 'registries' entry 1: input 'registries' entry 1 'password' is empty",
      "input 'registries' entry 2: input 'region' is required (registry 127.0.0.1:5000 does not name one), e.g. cn-hangzhou",
    ]);
  });

  it('a fork pull request without credentials: skipped with a notice, nothing stored', async () => {
    deps.forkPullRequest = true;
    const result = await login(request([acr({ registries: ['registry.cn-hangzhou.aliyuncs.com'] })], {}), deps);
    expect(result).toEqual({ loggedIn: false, registries: [], skipped: ['registry.cn-hangzhou.aliyuncs.com'], dockerConfig: undefined });
    expect(lines).toEqual([
      expect.stringMatching(/^notice: skipping login to registry\.cn-hangzhou\.aliyuncs\.com: this pull request comes from a fork/),
    ]);
    expect(existsSync(deps.sessionDir)).toBe(false);
  });
});
