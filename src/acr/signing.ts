import { createHash, createHmac } from 'node:crypto';

/**
 * Alibaba Cloud OpenAPI request signatures, from the documented algorithms:
 * - RPC (HMAC-SHA1, "signature version 1.0"): sorted, percent-encoded parameters; key = secret + "&".
 * - ROA (HMAC-SHA1): verb, content headers, date, `x-acs-*` headers and the resource; key = secret.
 * - V3 (ACS3-HMAC-SHA256): canonical request hashed, then HMAC-SHA256 with the raw secret.
 * The client signs RPC and ROA (what the cr and STS APIs are proven to accept); V3 is here for
 * endpoints that only take V3.
 */

/** RFC 3986 percent-encoding as the signature wants it: space → %20, `*` → %2A, `~` kept. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function byName<T>([a]: [string, T], [b]: [string, T]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `k=v&…` sorted by name, names and values percent-encoded (the RPC canonical query). */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.entries(params)
    .sort(byName)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
}

export function rpcStringToSign(method: string, params: Record<string, string>): string {
  const signed = Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'Signature'));
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalQuery(signed))}`;
}

export function hmacSha1(key: string, data: string): string {
  return createHmac('sha1', key).update(data, 'utf8').digest('base64');
}

/** The RPC `Signature` parameter for these parameters (every one except Signature is signed). */
export function rpcSignature(method: string, params: Record<string, string>, accessKeySecret: string): string {
  return hmacSha1(`${accessKeySecret}&`, rpcStringToSign(method, params));
}

/** Every `x-acs-*` header, lower-cased, sorted, as `name:value\n`. */
export function roaCanonicalHeaders(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([k, v]): [string, string] => [k.toLowerCase(), v.trim()])
    .filter(([k]) => k.startsWith('x-acs-'))
    .sort(byName)
    .map(([k, v]) => `${k}:${v}\n`)
    .join('');
}

/** The path, plus `?k=v&…` with the query sorted by name (values as sent, not re-encoded). */
export function roaCanonicalResource(path: string, query: Record<string, string> = {}): string {
  const pairs = Object.entries(query)
    .sort(byName)
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`));
  return pairs.length > 0 ? `${path}?${pairs.join('&')}` : path;
}

export function roaStringToSign(method: string, path: string, headers: Record<string, string>, query: Record<string, string> = {}): string {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const fixed = ['accept', 'content-md5', 'content-type', 'date'].map((name) => lower[name] ?? '');
  return [method.toUpperCase(), ...fixed].join('\n') + '\n' + roaCanonicalHeaders(headers) + roaCanonicalResource(path, query);
}

/** The ROA signature; the header is `Authorization: acs <AccessKeyId>:<signature>`. */
export function roaSignature(stringToSign: string, accessKeySecret: string): string {
  return hmacSha1(accessKeySecret, stringToSign);
}

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface V3Request {
  method: string;
  /** `/` for RPC-style APIs, the encoded API path for ROA. */
  path: string;
  query: Record<string, string>;
  /** Must include host and the x-acs-* headers (x-acs-content-sha256 among them). */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body. */
  payloadHash: string;
}

export function v3CanonicalRequest(req: V3Request): { canonical: string; signedHeaders: string } {
  const signed = Object.entries(req.headers)
    .map(([k, v]): [string, string] => [k.toLowerCase(), v.trim()])
    .filter(([k]) => k === 'host' || k === 'content-type' || k.startsWith('x-acs-'))
    .sort(byName);
  const signedHeaders = signed.map(([k]) => k).join(';');
  const canonical = [
    req.method.toUpperCase(),
    req.path,
    canonicalQuery(req.query),
    signed.map(([k, v]) => `${k}:${v}\n`).join(''),
    signedHeaders,
    req.payloadHash,
  ].join('\n');
  return { canonical, signedHeaders };
}

/** The V3 `Authorization` header value. */
export function v3Authorization(req: V3Request, accessKeyId: string, accessKeySecret: string): string {
  const { canonical, signedHeaders } = v3CanonicalRequest(req);
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
  const signature = createHmac('sha256', accessKeySecret).update(stringToSign, 'utf8').digest('hex');
  return `ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
}
