import type { Log } from '../base/log.js';
import { ApiError, type Json, type OpenApiClient } from './openapi.js';
import type { AccessKey } from './openapi.js';

/**
 * STS 2015-04-01 `AssumeRoleWithOIDC`: an OIDC ID token (here GitHub's) for a RAM role's
 * temporary AccessKey. The call is anonymous — the token is the credential — so the client has
 * no AccessKey. Every returned secret is masked before this function returns.
 */
export interface OidcRoleRequest {
  roleArn: string;
  oidcProviderArn: string;
  oidcToken: string;
  roleSessionName: string;
  durationSeconds: number;
}

export interface StsCredentials extends AccessKey {
  securityToken: string;
  expiresAt: Date | undefined;
}

export async function assumeRoleWithOidc(client: OpenApiClient, req: OidcRoleRequest, log: Log): Promise<StsCredentials> {
  const body = await client.rpc('AssumeRoleWithOIDC', '2015-04-01', {
    RoleArn: req.roleArn,
    OIDCProviderArn: req.oidcProviderArn,
    OIDCToken: req.oidcToken,
    RoleSessionName: req.roleSessionName,
    DurationSeconds: String(req.durationSeconds),
  });
  const c = (body.Credentials ?? {}) as Json;
  const id = typeof c.AccessKeyId === 'string' ? c.AccessKeyId : '';
  const secret = typeof c.AccessKeySecret === 'string' ? c.AccessKeySecret : '';
  const token = typeof c.SecurityToken === 'string' ? c.SecurityToken : '';
  for (const value of [id, secret, token]) log.mask(value);
  if (!id || !secret || !token) throw new ApiError('AssumeRoleWithOIDC answer has no Credentials', 'MalformedResponse', 200, client.host);
  const expires = typeof c.Expiration === 'string' ? new Date(c.Expiration) : undefined;
  return { id, secret, securityToken: token, expiresAt: expires && !Number.isNaN(expires.getTime()) ? expires : undefined };
}
