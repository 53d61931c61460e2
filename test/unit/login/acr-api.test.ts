/**
 * The ACR and STS clients (src/acr) against the emulator's independent checks, in process over
 * loopback HTTP: what is accepted, and that every refusal comes back with the service's own code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextLog } from '../../../src/base/log.js';
import { ApiError, OpenApiClient, type AccessKey } from '../../../src/acr/openapi.js';
import { assumeRoleWithOidc } from '../../../src/acr/sts.js';
import { enterpriseRegistryPassword, personalRegistryPassword } from '../../../src/acr/tokens.js';
import { requestIdToken } from '../../../src/github/oidc.js';
import { startTestEmulator, type TestEmulator } from '../../support/login/emulator.js';

function recordingLog(): { log: TextLog; lines: string[] } {
  const lines: string[] = [];
  return { log: new TextLog((l) => lines.push(l), true), lines };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('ACR token APIs against the emulator', () => {
  let t: TestEmulator;
  let endpoint: URL;
  const client = (key: AccessKey, extra: Partial<ConstructorParameters<typeof OpenApiClient>[2]> = {}): OpenApiClient =>
    new OpenApiClient(endpoint, key, { log: recordingLog().log, retries: 0, ...extra });

  beforeAll(async () => {
    t = await startTestEmulator();
    endpoint = new URL(t.emulator.url);
  });
  afterAll(() => t.close());

  it('personal edition: GET /tokens with a valid AccessKey gives a temporary password, masked at once', async () => {
    const { log, lines } = recordingLog();
    const pw = await personalRegistryPassword(client(t.accessKey), 'cn-hangzhou', log);
    expect(pw.username).toBe('cr_temp_user');
    expect(t.emulator.state.passwords.get(pw.password)?.region).toBe('cn-hangzhou');
    expect(pw.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    log.info(`leak ${pw.password}`);
    expect(lines.at(-1)).toBe('leak ***');
  });

  it('enterprise edition: GetAuthorizationToken for the instance', async () => {
    const pw = await enterpriseRegistryPassword(client(t.accessKey), 'cn-hangzhou', t.instance.id, recordingLog().log);
    expect(pw.username).toBe('temp_user_cr');
    expect(t.emulator.state.passwords.get(pw.password)?.instanceId).toBe(t.instance.id);
  });

  it('an unknown AccessKey id: InvalidAccessKeyId.NotFound', async () => {
    const err = await apiError(
      personalRegistryPassword(client({ id: 'LTAInope', secret: t.accessKey.secret }), 'cn-hangzhou', recordingLog().log),
    );
    expect(err.code).toBe('InvalidAccessKeyId.NotFound');
    expect(err.status).toBe(404);
    expect(err.transient).toBe(false);
  });

  it('a wrong secret: SignatureDoesNotMatch, for ROA and RPC alike', async () => {
    const wrong = { id: t.accessKey.id, secret: `${t.accessKey.secret}x` };
    expect((await apiError(personalRegistryPassword(client(wrong), 'cn-hangzhou', recordingLog().log))).code).toBe('SignatureDoesNotMatch');
    expect((await apiError(enterpriseRegistryPassword(client(wrong), 'cn-hangzhou', t.instance.id, recordingLog().log))).code).toBe(
      'SignatureDoesNotMatch',
    );
  });

  it('a clock 20 minutes off: InvalidTimeStamp.Expired', async () => {
    const slow = client(t.accessKey, { now: () => new Date(Date.now() - 20 * 60_000) });
    expect((await apiError(personalRegistryPassword(slow, 'cn-hangzhou', recordingLog().log))).code).toBe('InvalidTimeStamp.Expired');
    expect((await apiError(enterpriseRegistryPassword(slow, 'cn-hangzhou', t.instance.id, recordingLog().log))).code).toBe(
      'InvalidTimeStamp.Expired',
    );
  });

  it('a nonce used twice: SignatureNonceUsed the second time', async () => {
    const fixed = client(t.accessKey, { nonce: () => 'same-nonce-every-time' });
    await personalRegistryPassword(fixed, 'cn-hangzhou', recordingLog().log);
    expect((await apiError(personalRegistryPassword(fixed, 'cn-hangzhou', recordingLog().log))).code).toBe('SignatureNonceUsed');
  });

  it('an instance that is not in the region: INSTANCE_NOT_EXIST', async () => {
    const err = await apiError(enterpriseRegistryPassword(client(t.accessKey), 'cn-shanghai', t.instance.id, recordingLog().log));
    expect(err.code).toBe('INSTANCE_NOT_EXIST');
    expect(err.status).toBe(404);
  });

  it('STS credentials: accepted with their token; the password lives no longer than the STS token', async () => {
    const sts = await t.control.mintSts(1200);
    const pw = await personalRegistryPassword(
      client({ id: sts.accessKeyId, secret: sts.accessKeySecret, securityToken: sts.securityToken }),
      'cn-hangzhou',
      recordingLog().log,
    );
    expect(pw.expiresAt?.getTime()).toBe(sts.expiresAt);
  });

  it('STS credentials without their token, with another token, or expired: refused', async () => {
    const sts = await t.control.mintSts(1200);
    const key = { id: sts.accessKeyId, secret: sts.accessKeySecret };
    expect((await apiError(personalRegistryPassword(client(key), 'cn-hangzhou', recordingLog().log))).code).toBe('MissingSecurityToken');
    expect(
      (await apiError(personalRegistryPassword(client({ ...key, securityToken: 'CAISother' }), 'cn-hangzhou', recordingLog().log))).code,
    ).toBe('InvalidSecurityToken.MismatchWithAccessKey');
    const old = await t.control.mintSts(-60);
    const err = await apiError(
      enterpriseRegistryPassword(
        client({ id: old.accessKeyId, secret: old.accessKeySecret, securityToken: old.securityToken }),
        'cn-hangzhou',
        t.instance.id,
        recordingLog().log,
      ),
    );
    expect(err.code).toBe('InvalidSecurityToken.Expired');
  });
});

describe('keyless OIDC against the emulator: GitHub ID token → STS → ACR', () => {
  let t: TestEmulator;
  let env: NodeJS.ProcessEnv;
  const role = 'acs:ram::1234567890123456:role/acr-push';
  const provider = 'acs:ram::1234567890123456:oidc-provider/github';

  beforeAll(async () => {
    t = await startTestEmulator();
    env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${t.emulator.url}/oidc/token?repository=acme/app`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: t.config.oidc.requestToken,
    };
  });
  afterAll(() => t.close());

  const sts = (token: string, overrides: Partial<Parameters<typeof assumeRoleWithOidc>[1]> = {}, log = recordingLog().log) =>
    assumeRoleWithOidc(
      new OpenApiClient(new URL(t.emulator.url), undefined, { log, retries: 0 }),
      { roleArn: role, oidcProviderArn: provider, oidcToken: token, roleSessionName: 'acr-ship-test', durationSeconds: 3600, ...overrides },
      log,
    );

  it('exchanges the ID token for STS credentials that ACR accepts', async () => {
    const { log, lines } = recordingLog();
    const token = await requestIdToken('sts.aliyuncs.com', log, env);
    expect(token.split('.')).toHaveLength(3);
    const creds = await sts(token, {}, log);
    expect(creds.id).toMatch(/^STS\./);
    const pw = await personalRegistryPassword(new OpenApiClient(new URL(t.emulator.url), creds, { log, retries: 0 }), 'cn-hangzhou', log);
    expect(pw.username).toBe('cr_temp_user');
    log.info(`${token} ${creds.secret} ${creds.securityToken}`);
    expect(lines.at(-1)).toBe('*** *** ***');
  });

  it('refuses an audience the provider does not list', async () => {
    const token = await requestIdToken('github-actions', recordingLog().log, env);
    expect((await apiError(sts(token))).code).toBe('AuthenticationFail.OIDCToken.AudienceNotMatch');
  });

  it('refuses an expired ID token', async () => {
    const token = await requestIdToken('sts.aliyuncs.com', recordingLog().log, {
      ...env,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${t.emulator.url}/oidc/token?expired=1`,
    });
    expect((await apiError(sts(token))).code).toBe('AuthenticationFail.OIDCToken.Expired');
  });

  it("refuses a subject the role's trust policy does not allow", async () => {
    const token = await requestIdToken('sts.aliyuncs.com', recordingLog().log, {
      ...env,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${t.emulator.url}/oidc/token?repository=evil/fork`,
    });
    const err = await apiError(sts(token));
    expect(err.code).toBe('AuthenticationFail.NoPermission');
    expect(err.status).toBe(401);
  });

  it('refuses a token whose signature does not verify against the JWKS', async () => {
    const token = await requestIdToken('sts.aliyuncs.com', recordingLog().log, env);
    const [head, body] = token.split('.');
    const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as Record<string, unknown>;
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: 'repo:acme/app:ref:refs/heads/evil' })).toString('base64url')}.${token.split('.')[2]}`;
    expect((await apiError(sts(forged))).code).toBe('AuthenticationFail.OIDCToken.InvalidSignature');
    expect((await apiError(sts('not-a-jwt'))).code).toBe('AuthenticationFail.OIDCToken.Invalid');
  });

  it('refuses an unknown role and a duration beyond the role maximum', async () => {
    const token = await requestIdToken('sts.aliyuncs.com', recordingLog().log, env);
    expect((await apiError(sts(token, { roleArn: 'acs:ram::1234567890123456:role/nope' }))).code).toBe('EntityNotExist.Role');
    expect((await apiError(sts(token, { durationSeconds: 7200 }))).code).toBe('InvalidParameter.DurationSeconds');
  });

  it('the ID token endpoint wants the runner request token', async () => {
    await expect(
      requestIdToken('sts.aliyuncs.com', recordingLog().log, { ...env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong' }),
    ).rejects.toThrow(/GitHub refused an OIDC token .*HTTP 401/);
    await expect(requestIdToken('sts.aliyuncs.com', recordingLog().log, {})).rejects.toThrow(/id-token: write/);
  });
});
