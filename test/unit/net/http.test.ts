import { readFileSync } from 'node:fs';
import { createServer, request as rawRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyJson, bodyText, httpRequest, HttpNetworkError, safeUrl } from '../../../src/net/http.js';
import { makeTls } from '../../stack/tls.js';
import { scratchDir } from '../../support/scratch.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function httpServer(handler: Handler): Server {
  return createServer(handler);
}

/** A real CONNECT/forward proxy, counting what it carried. */
function proxyServer(seen: string[]): Server {
  const server = createServer((req, res) => {
    seen.push(`GET ${req.url} ${req.headers['proxy-authorization'] ?? ''}`);
    const target = new URL(req.url ?? '');
    const upstream = rawRequest(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });
  return server;
}

describe('httpRequest', () => {
  const servers: Server[] = [];
  let base = '';
  beforeAll(async () => {
    const s = httpServer((req, res) => {
      if (req.url === '/json') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, auth: req.headers.authorization ?? null }));
      } else if (req.url === '/echo') {
        let body = '';
        req
          .on('data', (d: Buffer) => (body += d.toString()))
          .on('end', () => res.end(`${req.method} ${body} ${req.headers['content-length']}`));
      } else if (req.url?.startsWith('/slow')) {
        setTimeout(() => res.end('late'), 2000);
      } else if (req.url === '/big') {
        res.end('x'.repeat(10_000));
      } else if (req.url === '/redirect-here') {
        res.writeHead(302, { location: '/json' }).end();
      } else if (req.url?.startsWith('/redirect-away')) {
        res.writeHead(307, { location: new URL(req.url, 'http://x').searchParams.get('to') ?? '' }).end();
      } else {
        res.writeHead(404).end('nope');
      }
    });
    servers.push(s);
    base = `http://${await listen(s)}`;
  });
  afterAll(() => servers.forEach((s) => s.close()));

  it('returns status, headers and body', async () => {
    const res = await httpRequest({ url: `${base}/json`, headers: { authorization: 'Bearer t' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(bodyJson(res)).toEqual({ ok: true, auth: 'Bearer t' });
  });
  it('sends a body with its length', async () => {
    expect(bodyText(await httpRequest({ url: `${base}/echo`, method: 'POST', body: 'héllo' }))).toBe('POST héllo 6');
  });
  it('returns non-2xx answers instead of throwing', async () => {
    expect((await httpRequest({ url: `${base}/missing` })).status).toBe(404);
  });
  it('gives up after the timeout with a network error naming the URL without its query', async () => {
    const started = Date.now();
    const err = await httpRequest({ url: `${base}/slow?token=secret`, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpNetworkError);
    expect((err as HttpNetworkError).code).toBe('ETIMEDOUT');
    expect((err as Error).message).toBe(`${base}/slow did not answer within 0.2s`);
    expect(Date.now() - started).toBeLessThan(1500);
  });
  it('reports a refused connection as a network error', async () => {
    const s = httpServer(() => {});
    const host = await listen(s);
    await new Promise((r) => s.close(r));
    const err = await httpRequest({ url: `http://${host}/` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', message: `http://${host}/: connection refused` });
  });
  it('caps the body it reads', async () => {
    await expect(httpRequest({ url: `${base}/big`, maxBytes: 1000 })).rejects.toMatchObject({ code: 'EMSGSIZE' });
  });
  it('follows redirects only when asked, and drops credentials when the host changes', async () => {
    expect((await httpRequest({ url: `${base}/redirect-here` })).status).toBe(302);
    const same = await httpRequest({ url: `${base}/redirect-here`, followRedirects: 2, headers: { authorization: 'Basic a' } });
    expect(bodyJson(same)).toEqual({ ok: true, auth: 'Basic a' });
    const otherHost = base.replace('127.0.0.1', 'localhost');
    const away = await httpRequest({
      url: `${base}/redirect-away?to=${encodeURIComponent(otherHost + '/json')}`,
      followRedirects: 2,
      headers: { authorization: 'Basic a' },
    });
    expect(bodyJson(away)).toEqual({ ok: true, auth: null });
  });
  it('prints URLs without query or credentials', () => {
    expect(safeUrl('https://user:pw@cs.console.aliyun.com/hook/trigger?token=abc')).toBe('https://cs.console.aliyun.com/hook/trigger');
  });
});

describe('httpRequest through a proxy (HTTP(S)_PROXY, NO_PROXY)', () => {
  const seen: string[] = [];
  const servers: Server[] = [];
  let proxy = '';
  let plain = '';
  let secureHost = '';
  let ca: Buffer;
  beforeAll(async () => {
    const tls = await makeTls(scratchDir('tls-'));
    ca = readFileSync(tls.caCert);
    const secure = createHttpsServer({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, (_req, res) => res.end('secure hello'));
    const target = httpServer((req, res) => res.end(`plain ${req.url}`));
    const p = proxyServer(seen);
    servers.push(secure, target, p);
    secureHost = await listen(secure);
    plain = await listen(target);
    proxy = await listen(p);
  });
  afterAll(() => servers.forEach((s) => s.close()));

  it('tunnels HTTPS with CONNECT and verifies the target certificate', async () => {
    const env = { HTTPS_PROXY: `http://${proxy}` };
    const res = await httpRequest({ url: `https://${secureHost}/x`, env, ca });
    expect(bodyText(res)).toBe('secure hello');
    expect(seen).toContain(`CONNECT ${secureHost}`);
    await expect(httpRequest({ url: `https://${secureHost}/x`, env })).rejects.toThrow(/certificate/);
  });
  it('forwards plain HTTP with proxy credentials from the proxy URL', async () => {
    const res = await httpRequest({ url: `http://${plain}/p?q=1`, env: { http_proxy: `http://us%40er:pw@${proxy}` } });
    expect(bodyText(res)).toBe('plain /p?q=1');
    expect(seen).toContain(`GET http://${plain}/p?q=1 Basic ${Buffer.from('us@er:pw').toString('base64')}`);
  });
  it('goes direct for hosts in NO_PROXY', async () => {
    const before = seen.length;
    await httpRequest({ url: `http://${plain}/direct`, env: { HTTP_PROXY: `http://${proxy}`, NO_PROXY: 'example.com,127.0.0.1' } });
    expect(seen.length).toBe(before);
  });
});
