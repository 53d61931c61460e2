import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from '../../../src/redeploy/signature.js';

describe('signature', () => {
  it('is sha256=<hex HMAC-SHA256> of the body (a widely published vector)', () => {
    // The widely published HMAC-SHA256 example: key "key", the quick brown fox.
    expect(signBody('The quick brown fox jumps over the lazy dog', 'key')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('covers the exact bytes: any change, even whitespace, breaks it', () => {
    const body = '{"push_data":{"tag":"v1"}}';
    const header = signBody(body, 's3cret');
    expect(verifySignature(Buffer.from(body), 's3cret', header)).toBe(true);
    expect(verifySignature('{"push_data": {"tag":"v1"}}', 's3cret', header)).toBe(false);
    expect(verifySignature(body, 'other', header)).toBe(false);
    expect(verifySignature(body, 's3cret', undefined)).toBe(false);
    expect(verifySignature(body, 's3cret', 'sha256=00')).toBe(false);
  });

  it('agrees with a receiver computing it independently', () => {
    const body = Buffer.from(JSON.stringify({ a: 'ü', b: [1, 2] }));
    const independent = 'sha256=' + createHmac('sha256', 'k').update(body).digest('hex');
    expect(signBody(body, 'k')).toBe(independent);
  });
});
