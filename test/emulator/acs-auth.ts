/**
 * How the emulator checks Alibaba Cloud request signatures. Written from the documented
 * algorithms on purpose without src/acr/signing: if the client and this checker shared code, a
 * canonicalisation bug would agree with itself and every test would still pass.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** RFC 3986: every byte outside A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex). */
export function rfc3986(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function hmacSha1Base64(key: string, text: string): string {
  return createHmac('sha1', key).update(text, 'utf8').digest('base64');
}

export function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** RPC: METHOD&%2F&pct(sorted k=v pairs joined by &), key = secret + "&". */
export function rpcExpected(method: string, params: Map<string, string>, secret: string): { stringToSign: string; signature: string } {
  const names = [...params.keys()].filter((n) => n !== 'Signature');
  names.sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  const pairs: string[] = [];
  for (const name of names) pairs.push(`${rfc3986(name)}=${rfc3986(params.get(name) ?? '')}`);
  const stringToSign = `${method}&${rfc3986('/')}&${rfc3986(pairs.join('&'))}`;
  return { stringToSign, signature: hmacSha1Base64(`${secret}&`, stringToSign) };
}

/** ROA: verb, Accept, Content-MD5, Content-Type, Date, x-acs-* headers, resource; key = secret. */
export function roaExpected(
  method: string,
  headers: Record<string, string | string[] | undefined>,
  pathname: string,
  query: URLSearchParams,
  secret: string,
): { stringToSign: string; signature: string } {
  const one = (name: string): string => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(',') : (v ?? '');
  };
  let stringToSign = `${method}\n${one('accept')}\n${one('content-md5')}\n${one('content-type')}\n${one('date')}\n`;
  const acs = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .filter((h) => h.startsWith('x-acs-'))
    .sort();
  for (const h of acs) stringToSign += `${h}:${one(h).trim()}\n`;
  const keys = [...new Set(query.keys())].sort();
  stringToSign += keys.length === 0 ? pathname : `${pathname}?${keys.map((k) => (query.get(k) ? `${k}=${query.get(k)}` : k)).join('&')}`;
  return { stringToSign, signature: hmacSha1Base64(secret, stringToSign) };
}
