/** Each refusal ACR or STS can give becomes one line that names the cause and the input to change. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/acr/openapi.js';
import { RegistryError } from '../../../src/docker/registry.js';
import { explainStsError, explainTokenError, explainVerifyError } from '../../../src/login/explain.js';

const key = {
  accessKey: { id: 'LTAI1', secret: 's' },
  origin: "inputs 'access-key-id', 'access-key-secret'",
  secretName: "input 'access-key-secret'",
  tokenName: "input 'security-token'",
};
const ctx = { region: 'cn-hangzhou', key, apiOverride: false };
const api = (code: string, status = 400, message = 'm'): ApiError =>
  new ApiError(message, code, status, 'cr.cn-hangzhou.aliyuncs.com', 'REQ-1');
const oidc = {
  roleArn: 'acs:ram::1:role/r',
  oidcProviderArn: 'acs:ram::1:oidc-provider/gh',
  audience: 'sts.aliyuncs.com',
  roleSessionName: 's1',
  durationSeconds: 3600,
};

describe('token API refusals', () => {
  it.each([
    ['InvalidAccessKeyId.NotFound', 404, 'check the key and the region'],
    ['InvalidAccessKeyId.Inactive', 400, 'unknown or disabled'],
    ['SignatureDoesNotMatch', 400, "check input 'access-key-secret' and the region"],
    ['InvalidSecurityToken.Expired', 400, "the STS security token in input 'security-token' has expired"],
    ['InvalidSecurityToken.MismatchWithAccessKey', 400, "input 'security-token' must be the token issued together with this AccessKey"],
    ['InvalidTimeStamp.Expired', 400, "this machine's clock is more than 15 minutes off"],
    ['InvalidRegionId', 400, "ACR does not know region 'cn-hangzhou'"],
    ['Forbidden.RAM', 403, 'grant the RAM user or role the cr:GetAuthorizationToken permission'],
    ['InternalError', 500, 'could not issue a temporary registry password (InternalError'],
  ])('%s', (code, status, expected) => {
    const line = explainTokenError(api(code, status), ctx).message;
    expect(line).toContain(expected);
    expect(line).toContain('REQ-1');
    expect(line).not.toContain('\n');
  });

  it('an unknown instance names instance-id and region', () => {
    expect(explainTokenError(api('INSTANCE_NOT_EXIST', 404), { ...ctx, instanceId: 'cri-x' }).message).toContain(
      "ACR Enterprise Edition instance 'cri-x' was not found in cn-hangzhou",
    );
  });

  it('an unreachable API: the region, or the override', () => {
    const down = new ApiError('https://cr.cn-x.aliyuncs.com/tokens: getaddrinfo ENOTFOUND', 'ENOTFOUND', 0, 'cr.cn-x.aliyuncs.com');
    expect(explainTokenError(down, ctx).message).toContain(
      "check input 'region' (is 'cn-hangzhou' a region where you use ACR?) or set 'api-endpoint'",
    );
    expect(explainTokenError(down, { ...ctx, apiOverride: true }).message).toContain("check input 'api-endpoint'");
  });
});

describe('STS refusals', () => {
  it.each([
    ['AuthenticationFail.OIDCToken.Expired', 'This JsonWebToken is expired.', 'STS says the GitHub OIDC token has expired'],
    [
      'AuthenticationFail.OIDCToken.AudienceNotMatch',
      'Invalid audience.',
      "add it as a client ID of acs:ram::1:oidc-provider/gh, or set input 'audience'",
    ],
    [
      'AuthenticationFail.NoPermission',
      'There is no permission',
      "the trust policy of role acs:ram::1:role/r refused the OIDC subject 'repo:a/b:ref:refs/heads/x'",
    ],
    ['AuthenticationFail.NoPermission', 'No such OIDC Provider registered.', "check input 'oidc-provider-arn'"],
    [
      'AuthenticationFail.OIDCToken.InvalidSignature',
      'invalid signature',
      'issuer URL must be https://token.actions.githubusercontent.com',
    ],
    ['EntityNotExist.Role', 'The role not exists.', "check input 'role-arn'"],
    ['InvalidParameter.DurationSeconds', 'too long', "check inputs 'role-session-name' and 'role-duration'"],
  ])('%s: %s', (code, message, expected) => {
    expect(explainStsError(api(code, 401, message), oidc, { sub: 'repo:a/b:ref:refs/heads/x' }).message).toContain(expected);
  });
});

describe('registry refusals', () => {
  const refused = new RegistryError('token service t refused the credentials for r (HTTP 401)', 'auth', 401);
  it('a password source names the username and where the password came from', () => {
    expect(explainVerifyError(refused, 'r', { source: 'password', origin: "input 'registries' entry 2", username: 'me' }).message).toBe(
      "registry r rejected username 'me' with the password from input 'registries' entry 2 (token service t refused the credentials for r (HTTP 401)): check both",
    );
  });
  it('a temporary password names the region or instance it was issued for', () => {
    expect(
      explainVerifyError(refused, 'r', { source: 'oidc', origin: 'x', username: 'cr_temp_user', region: 'cn-shanghai' }).message,
    ).toContain('refused the temporary password ACR issued for region cn-shanghai');
    expect(
      explainVerifyError(refused, 'r', { source: 'access-key', origin: 'x', username: 'u', region: 'cn-hangzhou', instanceId: 'cri-1' })
        .message,
    ).toContain('issued for instance cri-1 in cn-hangzhou');
  });
});
