/** The login inputs and ALIBABA_CLOUD_* variables → LoginRequest, secrets masked as they are read. */
import { describe, expect, it } from 'vitest';
import { TextLog } from '../../../src/base/log.js';
import { readLoginRequest } from '../../../src/actions/inputs/login.js';
import { Inputs } from '../../../src/github/inputs.js';

function read(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const all: NodeJS.ProcessEnv = { ...env };
  for (const [k, v] of Object.entries(inputs)) all[`INPUT_${k.toUpperCase()}`] = v;
  const lines: string[] = [];
  const log = new TextLog((l) => lines.push(l));
  return { request: readLoginRequest(new Inputs(all), all, log), log, lines };
}

describe('login inputs', () => {
  it('username and password for several registries (newline and comma lists)', async () => {
    const { request, log, lines } = read({
      registry: 'ghcr.io\nregistry.cn-hangzhou.aliyuncs.com, docker.io',
      username: 'me',
      password: 's3cret-pw',
    });
    const r = await request;
    expect(r.targets).toEqual([
      {
        kind: 'password',
        registries: ['ghcr.io', 'registry.cn-hangzhou.aliyuncs.com', 'docker.io'],
        username: 'me',
        password: 's3cret-pw',
        origin: '',
      },
    ]);
    expect(r.scope).toBe('job');
    expect(r.logout).toBe(true);
    log.info('s3cret-pw');
    expect(lines).toEqual(['***']);
  });

  it('username and password without a registry mean Docker Hub, as docker login does', async () => {
    expect((await read({ username: 'me', password: 'pw' }).request).targets[0]).toMatchObject({ registries: ['docker.io'] });
  });

  it('an empty password (a secret not available) is a missing credential naming the input', async () => {
    const r = await read({ registry: 'ghcr.io', username: 'me' }).request;
    expect(r.targets[0]).toMatchObject({ kind: 'missing', missing: expect.stringContaining("input 'password' is empty") });
  });

  it('AccessKey inputs win over keyless OIDC inputs, which win over ALIBABA_CLOUD_* variables', async () => {
    const oidc = { 'role-arn': 'acs:ram::123:role/push', 'oidc-provider-arn': 'acs:ram::123:oidc-provider/gh' };
    const env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIenv',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-secret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'env-token',
    };
    const all = await read({ region: 'cn-hangzhou', 'access-key-id': 'LTAIin', 'access-key-secret': 'in-secret', ...oidc }, env).request;
    expect(all.cloud.accessKey?.accessKey).toEqual({ id: 'LTAIin', secret: 'in-secret', securityToken: undefined });
    expect(all.cloud.oidc).toMatchObject({ audience: 'sts.aliyuncs.com', durationSeconds: 3600, roleSessionName: 'acr-ship-local-1' });
    expect(all.cloud.environmentAccessKey).toMatchObject({
      accessKey: { id: 'LTAIenv', securityToken: 'env-token' },
      origin: 'ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET/_SECURITY_TOKEN',
    });
    expect(all.targets).toEqual([
      { kind: 'acr', registries: [], region: 'cn-hangzhou', instanceId: undefined, instanceName: undefined, network: 'public', origin: '' },
    ]);
  });

  it('masks the AccessKey secret, STS token and the environment ones', async () => {
    const { request, log, lines } = read(
      { region: 'cn-hangzhou', 'access-key-id': 'LTAIin', 'access-key-secret': 'in-secret', 'security-token': 'in-token' },
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIenv', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-secret' },
    );
    await request;
    log.info('in-secret in-token env-secret');
    expect(lines).toEqual(['*** *** ***']);
  });

  it('a registries YAML list: per-registry passwords and ACR entries using the step credentials', async () => {
    const registries = [
      '- registry: docker.io',
      '  username: hubuser',
      '  password: hub-token',
      '- registry: [ghcr.io, ghcr.io]',
      '  username: octocat',
      '  password: gh-token',
      '- instance-id: cri-abc',
      '  instance-name: acme',
      '  region: cn-shanghai',
      '  endpoint: vpc',
    ].join('\n');
    const { request, log, lines } = read({ registries, 'access-key-id': 'LTAI1', 'access-key-secret': 'ak-secret' });
    const r = await request;
    expect(r.targets).toEqual([
      { kind: 'password', registries: ['docker.io'], username: 'hubuser', password: 'hub-token', origin: "input 'registries' entry 1" },
      {
        kind: 'password',
        registries: ['ghcr.io', 'ghcr.io'],
        username: 'octocat',
        password: 'gh-token',
        origin: "input 'registries' entry 2",
      },
      {
        kind: 'acr',
        registries: [],
        region: 'cn-shanghai',
        instanceId: 'cri-abc',
        instanceName: 'acme',
        network: 'vpc',
        origin: "input 'registries' entry 3",
      },
    ]);
    log.info('hub-token gh-token');
    expect(lines).toEqual(['*** ***']);
  });

  it('registries YAML errors name the entry and key', async () => {
    await expect(read({ registries: '- registry: a\n  passwd: x' }).request).rejects.toThrow(
      "input 'registries' entry 1: unknown key 'passwd'",
    );
    await expect(read({ registries: 'registry: a' }).request).rejects.toThrow("input 'registries' must be a YAML list");
    await expect(read({ registries: '- [' }).request).rejects.toThrow("input 'registries' is not valid YAML");
    await expect(read({ registries: '- registry: a\n  endpoint: intranet' }).request).rejects.toThrow(
      "entry 1 'endpoint' must be public or vpc",
    );
  });

  it('on a fork the registries secrets are empty: entries become missing credentials', async () => {
    const r = await read({ registries: '- registry: docker.io\n  username: hubuser\n  password:\n' }).request;
    expect(r.targets).toEqual([
      {
        kind: 'missing',
        registries: ['docker.io'],
        origin: "input 'registries' entry 1",
        missing: expect.stringContaining("input 'registries' entry 1 'password' is empty"),
      },
    ]);
  });

  it('keyless OIDC input checks', async () => {
    await expect(read({ 'role-arn': 'acs:ram::1:role/x' }).request).rejects.toThrow(
      "input 'oidc-provider-arn' is required for keyless OIDC",
    );
    await expect(read({ 'role-arn': 'arn:aws:iam::1:role/x', 'oidc-provider-arn': 'acs:ram::1:oidc-provider/gh' }).request).rejects.toThrow(
      "input 'role-arn': 'arn:aws:iam::1:role/x' is not a RAM role ARN",
    );
    const base = { 'role-arn': 'acs:ram::1:role/x', 'oidc-provider-arn': 'acs:ram::1:oidc-provider/gh' };
    await expect(read({ ...base, 'role-duration': '600' }).request).rejects.toThrow(
      "input 'role-duration' must be a whole number from 900 to 43200",
    );
    await expect(read({ ...base, 'role-session-name': 'has space' }).request).rejects.toThrow("input 'role-session-name'");
  });

  it('one half of an AccessKey is named as missing', async () => {
    const r = await read({ region: 'cn-hangzhou', 'access-key-id': 'LTAI1' }).request;
    expect(r.targets[0]).toMatchObject({
      kind: 'missing',
      missing: "input 'access-key-secret' is empty: set both 'access-key-id' and 'access-key-secret'",
    });
  });

  it('nothing at all: one target that names every way to log in', async () => {
    const r = await read({}).request;
    expect(r.targets).toEqual([
      {
        kind: 'missing',
        registries: [],
        origin: '',
        missing: expect.stringContaining("set inputs 'username' and 'password', or 'access-key-id'"),
      },
    ]);
  });

  it('endpoint overrides and scope', async () => {
    const r = await read({
      username: 'u',
      password: 'p',
      'api-endpoint': 'https://127.0.0.1:8443',
      'config-scope': 'user',
      logout: 'false',
    }).request;
    expect(r.apiEndpoint?.toString()).toBe('https://127.0.0.1:8443/');
    expect(r.scope).toBe('user');
    expect(r.logout).toBe(false);
    await expect(read({ username: 'u', password: 'p', 'config-scope': 'global' }).request).rejects.toThrow(
      "input 'config-scope' must be one of job, user",
    );
  });
});
