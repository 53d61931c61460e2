import { UserError } from '../base/errors.js';
import type { ApiError } from '../acr/openapi.js';
import { RegistryError } from '../docker/registry.js';
import { HttpNetworkError } from '../net/http.js';
import type { AccessKeySource, CredentialSource, OidcSource } from './request.js';

/**
 * Failures turned into one line that says what was refused and what to change. Auth failures are
 * never retried (a second try cannot fix a wrong key), so this is where the user learns why.
 */

function coded(err: ApiError): string {
  return `${err.code}${err.requestId ? `, request ${err.requestId}` : ''}`;
}

function unreachable(err: ApiError, what: string, fix: string): UserError {
  return new UserError(`cannot reach ${what} at ${err.host} (${err.code}: ${err.message}): ${fix}`);
}

/** A failure of cr GetAuthorizationToken (either version) with an AccessKey. */
export function explainTokenError(
  err: ApiError,
  ctx: { region: string; key: AccessKeySource; instanceId?: string; apiOverride: boolean },
): UserError {
  const where = `ACR in ${ctx.region}`;
  const code = err.code;
  if (err.status === 0) {
    return unreachable(
      err,
      `the ACR API for region ${ctx.region}`,
      ctx.apiOverride
        ? "check input 'api-endpoint'"
        : `check input 'region' (is '${ctx.region}' a region where you use ACR?) or set 'api-endpoint'`,
    );
  }
  if (code.startsWith('InvalidAccessKeyId')) {
    return new UserError(
      `${where} rejected the AccessKey from ${ctx.key.origin} (${coded(err)}: ${err.message}): check the key and the region — the key id is unknown or disabled`,
    );
  }
  if (code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature') {
    return new UserError(
      `${where} rejected the AccessKey from ${ctx.key.origin} (${coded(err)}): the secret does not match the key id — check ${ctx.key.secretName} and the region`,
    );
  }
  if (code === 'InvalidSecurityToken.Expired') {
    return new UserError(
      `the STS security token in ${ctx.key.tokenName} has expired (${coded(err)}): get fresh temporary credentials right before this step, or log in keylessly with 'role-arn' and 'oidc-provider-arn'`,
    );
  }
  if (code.startsWith('InvalidSecurityToken') || code === 'MissingSecurityToken') {
    return new UserError(
      `${where} refused the STS credentials from ${ctx.key.origin} (${coded(err)}: ${err.message}): ${ctx.key.tokenName} must be the token issued together with this AccessKey`,
    );
  }
  if (code === 'InvalidRegionId') {
    return new UserError(
      `ACR does not know region '${ctx.region}' (${coded(err)}: ${err.message}): check input 'region' (e.g. cn-hangzhou)`,
    );
  }
  if (code.startsWith('InvalidTimeStamp')) {
    return new UserError(
      `${where} refused the request time (${coded(err)}): this machine's clock is more than 15 minutes off; fix its time sync`,
    );
  }
  if (ctx.instanceId && (err.status === 404 || /instance/i.test(code))) {
    return new UserError(
      `ACR Enterprise Edition instance '${ctx.instanceId}' was not found in ${ctx.region} (${coded(err)}: ${err.message}): check inputs 'instance-id' and 'region'`,
    );
  }
  if (err.status === 403 || /^(Forbidden|NoPermission|ActionUnauthorized)/.test(code)) {
    return new UserError(
      `${where} denied cr:GetAuthorizationToken to the AccessKey from ${ctx.key.origin} (${coded(err)}: ${err.message}): grant the RAM user or role the cr:GetAuthorizationToken permission`,
    );
  }
  return new UserError(`${where} could not issue a temporary registry password (${coded(err)}, HTTP ${err.status}: ${err.message})`);
}

/** A failure of STS AssumeRoleWithOIDC. */
export function explainStsError(err: ApiError, oidc: OidcSource, claims: { sub?: string; aud?: string }): UserError {
  const code = err.code;
  if (err.status === 0) return unreachable(err, 'STS', "check input 'sts-endpoint' and the runner's network");
  if (code === 'AuthenticationFail.OIDCToken.Expired') {
    return new UserError(
      `STS says the GitHub OIDC token has expired (${coded(err)}): the token is requested right before the exchange, so check this machine's clock`,
    );
  }
  if (code === 'AuthenticationFail.OIDCToken.AudienceNotMatch') {
    return new UserError(
      `STS refused the OIDC token's audience '${claims.aud ?? oidc.audience}' (${coded(err)}): add it as a client ID of ${oidc.oidcProviderArn}, or set input 'audience' to one of its client IDs`,
    );
  }
  if (/oidc ?provider/i.test(err.message) || /OIDCProvider/.test(code)) {
    return new UserError(
      `STS does not know OIDC provider ${oidc.oidcProviderArn} (${coded(err)}: ${err.message}): check input 'oidc-provider-arn'`,
    );
  }
  if (code === 'AuthenticationFail.NoPermission' || code.startsWith('NoPermission')) {
    return new UserError(
      `the trust policy of role ${oidc.roleArn} refused the OIDC subject '${claims.sub ?? '?'}' (${coded(err)}: ${err.message}): allow this repository and ref (oidc:sub) and provider ${oidc.oidcProviderArn} in the role's trust policy`,
    );
  }
  if (code.startsWith('AuthenticationFail.OIDCToken')) {
    return new UserError(
      `STS could not verify the GitHub OIDC token with ${oidc.oidcProviderArn} (${coded(err)}: ${err.message}): the provider's issuer URL must be https://token.actions.githubusercontent.com`,
    );
  }
  if (code.startsWith('EntityNotExist.Role') || /role/i.test(code)) {
    return new UserError(`STS could not assume role ${oidc.roleArn} (${coded(err)}: ${err.message}): check input 'role-arn'`);
  }
  if (code.startsWith('InvalidParameter')) {
    return new UserError(`STS refused the request (${coded(err)}: ${err.message}): check inputs 'role-session-name' and 'role-duration'`);
  }
  return new UserError(`STS AssumeRoleWithOIDC failed (${coded(err)}, HTTP ${err.status}: ${err.message})`);
}

export interface VerifyContext {
  source: CredentialSource;
  origin: string;
  username: string;
  region?: string;
  instanceId?: string;
}

/** The registry (or its token service) refused the stored credential, or could not be reached. */
export function explainVerifyError(err: unknown, host: string, ctx: VerifyContext): UserError {
  if (err instanceof UserError) return err;
  if (err instanceof HttpNetworkError)
    return new UserError(`registry ${host} is unreachable (${err.message}): check the registry host and the runner's network`);
  if (err instanceof RegistryError && (err.kind === 'auth' || err.kind === 'denied')) {
    if (ctx.source === 'password') {
      return new UserError(
        `registry ${host} rejected username '${ctx.username}' with the password from ${ctx.origin} (${err.message}): check both`,
      );
    }
    const issuedFor = ctx.instanceId ? `instance ${ctx.instanceId} in ${ctx.region}` : `region ${ctx.region}`;
    return new UserError(
      `registry ${host} refused the temporary password ACR issued for ${issuedFor} (${err.message}): the registry belongs to another region or instance, or the password expired — check inputs 'registry', 'region' and 'instance-id'`,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new UserError(`could not log in to ${host}: ${message}`);
}
