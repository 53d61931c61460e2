/**
 * Just enough JWT for the emulator: RS256 signing, JWKS, and verification against a JWKS document
 * (the path STS takes with a provider's published keys). Written for the emulator alone.
 */
import { createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

export interface Jwk {
  kty: string;
  kid: string;
  alg: string;
  use: string;
  n: string;
  e: string;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function signRs256(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...header }));
  const body = b64url(JSON.stringify(claims));
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key);
  return `${head}.${body}.${b64url(signature)}`;
}

export function publicJwk(key: KeyObject, kid: string): Jwk {
  const jwk = createPublicKey(key).export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' };
}

export type JwtProblem = 'format' | 'algorithm' | 'signature';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** Verifies an RS256 JWT against the keys of a JWKS; returns the problem instead of throwing. */
export function verifyWithJwks(token: string, jwks: { keys: Jwk[] }): DecodedJwt | { problem: JwtProblem; detail: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { problem: 'format', detail: "The number of Jwt field should be divided into 3 parts with '.' ." };
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { problem: 'format', detail: 'The Jwt content is invalid that cannot be recognized.' };
  }
  if (header.alg !== 'RS256')
    return { problem: 'algorithm', detail: `The algorithm ${String(header.alg)} that be specified in Jwt header is unknown.` };
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) return { problem: 'signature', detail: 'OIDC token validate failed: no key matches the kid.' };
  const key = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
  const ok = createVerify('RSA-SHA256')
    .update(`${parts[0]}.${parts[1]}`)
    .verify(key, Buffer.from(parts[2] ?? '', 'base64url'));
  if (!ok) return { problem: 'signature', detail: 'OIDC token validate failed: invalid signature.' };
  return { header, claims };
}
