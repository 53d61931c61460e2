/**
 * Transient failures (5xx, 429, refused connections) are retried with backoff, each attempt signed
 * afresh; auth failures are not retried at all. A loopback server plays the flaky endpoint.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../../src/base/log.js';
import { ApiError, OpenApiClient } from '../../../src/acr/openapi.js';
import { freePort } from '../../stack/processes.js';

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function flaky(replies: Reply[]): Promise<{ url: URL; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  server = createServer((req, res) => {
    seen.push(req);
    const reply = replies[Math.min(seen.length - 1, replies.length - 1)] as Reply;
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), seen };
}

const key = { id: 'LTAItest', secret: 'secret' };

describe('OpenAPI client retries', () => {
  it('retries 503 and 500 with backoff, each attempt with a new nonce, then succeeds', async () => {
    const { url, seen } = await flaky([
      { status: 503, body: { Code: 'ServiceUnavailable', Message: 'busy' } },
      { status: 500, body: { Code: 'InternalError', Message: 'oops' } },
      { status: 200, body: { data: { tempUserName: 'u', authorizationToken: 'p', expireDate: 1 } } },
    ]);
    const delays: number[] = [];
    const client = new OpenApiClient(url, key, { log: silentLog, sleep: async (ms) => void delays.push(ms), baseDelayMs: 100 });
    const body = await client.roa('GET', '/tokens', { version: '2016-06-07', region: 'cn-hangzhou' });
    expect(body.data).toBeDefined();
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((r) => r.headers['x-acs-signature-nonce'])).size).toBe(3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
  });

  it('honours Retry-After on 429 and throttling codes', async () => {
    const { url, seen } = await flaky([
      { status: 429, body: { Code: 'Throttling.User', Message: 'slow down' }, headers: { 'retry-after': '2' } },
      { status: 200, body: { RequestId: 'x', Code: 'success', IsSuccess: true } },
    ]);
    const delays: number[] = [];
    const client = new OpenApiClient(url, key, { log: silentLog, sleep: async (ms) => void delays.push(ms) });
    await client.rpc('GetAuthorizationToken', '2018-12-01', { InstanceId: 'cri-x', RegionId: 'cn-hangzhou' });
    expect(seen).toHaveLength(2);
    expect(delays).toEqual([2000]);
  });

  it('never retries an auth failure', async () => {
    const { url, seen } = await flaky([{ status: 400, body: { Code: 'SignatureDoesNotMatch', Message: 'no' } }]);
    const client = new OpenApiClient(url, key, { log: silentLog, sleep: async () => {} });
    await expect(client.roa('GET', '/tokens', { version: '2016-06-07', region: 'cn-hangzhou' })).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
      status: 400,
    });
    expect(seen).toHaveLength(1);
  });

  it('a success body with IsSuccess false is an error with its code', async () => {
    const { url } = await flaky([{ status: 200, body: { Code: 'NOT_ALLOWED', Message: 'nope', IsSuccess: false } }]);
    const client = new OpenApiClient(url, key, { log: silentLog, retries: 0 });
    await expect(client.rpc('GetAuthorizationToken', '2018-12-01', {})).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
  });

  it('retries a refused connection, then reports it with its code', async () => {
    const port = await freePort();
    let attempts = 0;
    const client = new OpenApiClient(new URL(`http://127.0.0.1:${port}`), key, {
      log: { ...silentLog, info: () => void attempts++ },
      sleep: async () => {},
    });
    const err = await client.roa('GET', '/tokens', { version: '2016-06-07', region: 'cn-hangzhou' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', status: 0 });
    expect(attempts).toBe(3);
  });

  it('a proxy page instead of JSON is named as such', async () => {
    server = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const client = new OpenApiClient(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), key, {
      log: silentLog,
      retries: 0,
    });
    await expect(client.rpc('X', '1', {})).rejects.toThrow(/answered HTTP 502 without a JSON body: <html>Bad gateway<\/html>/);
  });
});
