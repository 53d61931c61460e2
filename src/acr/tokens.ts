import type { Log } from '../base/log.js';
import { ApiError, type Json, type OpenApiClient } from './openapi.js';

/**
 * ACR temporary registry passwords. Personal Edition: cr 2016-06-07 `GET /tokens` (ROA);
 * Enterprise Edition: cr 2018-12-01 `GetAuthorizationToken` (RPC, InstanceId). Both last an hour,
 * or as long as the STS token that asked for them. The password is masked the moment it arrives.
 */
export interface RegistryPassword {
  username: string;
  password: string;
  /** When the registry stops accepting it. */
  expiresAt: Date | undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Milliseconds since the epoch, as a number or numeric string. */
function epochMs(value: unknown): Date | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? new Date(n) : undefined;
}

function malformed(client: OpenApiClient, what: string): ApiError {
  return new ApiError(`${what} answer has no temporary username or password`, 'MalformedResponse', 200, client.host);
}

function accept(
  log: Log,
  username: string | undefined,
  password: string | undefined,
  expiresAt: Date | undefined,
): RegistryPassword | undefined {
  if (password) log.mask(password);
  if (!username || !password) return undefined;
  return { username, password, expiresAt };
}

export async function personalRegistryPassword(client: OpenApiClient, region: string, log: Log): Promise<RegistryPassword> {
  const body = await client.roa('GET', '/tokens', { version: '2016-06-07', region });
  const data = (body.data ?? {}) as Json;
  const result = accept(log, str(data.tempUserName), str(data.authorizationToken), epochMs(data.expireDate));
  if (!result) throw malformed(client, 'GET /tokens');
  return result;
}

export async function enterpriseRegistryPassword(
  client: OpenApiClient,
  region: string,
  instanceId: string,
  log: Log,
): Promise<RegistryPassword> {
  const body = await client.rpc('GetAuthorizationToken', '2018-12-01', { InstanceId: instanceId, RegionId: region });
  const result = accept(log, str(body.TempUsername), str(body.AuthorizationToken), epochMs(body.ExpireTime));
  if (!result) throw malformed(client, 'GetAuthorizationToken');
  return result;
}
