import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying the body's HMAC; receivers check it to know the request came from us. */
export const SIGNATURE_HEADER = 'x-acr-ship-signature';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`: the scheme GitHub's own webhooks use. */
export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What a receiver does: recompute over the raw bytes it received and compare in constant time. */
export function verifySignature(body: string | Buffer, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
