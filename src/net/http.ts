import { request as httpRequestRaw, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequestRaw } from 'node:https';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import type { Socket } from 'node:net';

/**
 * One HTTP(S) exchange on node:http — small, no dependency, with a hard per-attempt timeout, a
 * response size cap and HTTP(S)_PROXY / NO_PROXY support (Node's fetch ignores the proxy
 * variables, which matters on self-hosted runners behind a proxy).
 */
export interface HttpRequest {
  method?: string;
  url: string | URL;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Whole exchange, connect to last byte (default 30 s). */
  timeoutMs?: number;
  /** Largest body read into memory (default 16 MiB). */
  maxBytes?: number;
  /** Follow up to this many redirects for GET/HEAD (default 0: redirects are returned). */
  followRedirects?: number;
  signal?: AbortSignal;
  /** Environment for proxy settings (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Extra trusted CA certificates (PEM), e.g. a private registry's /etc/docker/certs.d CA. */
  ca?: string | Buffer;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  url: string;
}

/** A request that got no HTTP answer: the connection failed or timed out. */
export class HttpNetworkError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly url: string,
  ) {
    super(message);
    this.name = 'HttpNetworkError';
  }
}

export function bodyText(res: HttpResponse): string {
  return res.body.toString('utf8');
}

export function bodyJson<T = unknown>(res: HttpResponse): T {
  return JSON.parse(bodyText(res)) as T;
}

/** The URL without query or credentials: safe to print (tokens often ride in the query). */
export function safeUrl(url: string | URL): string {
  try {
    const u = new URL(String(url));
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid URL>';
  }
}

/** A custom CA adds to the usual roots rather than replacing them. */
function withSystemRoots(ca: string | Buffer): (string | Buffer)[] {
  return [...rootCertificates, ca];
}

function noProxy(host: string, env: NodeJS.ProcessEnv): boolean {
  const list = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim().toLowerCase());
  const name = host.toLowerCase();
  return list.some(
    (entry) =>
      entry === '*' || (entry !== '' && (name === entry.replace(/^\./, '') || name.endsWith(entry.startsWith('.') ? entry : `.${entry}`))),
  );
}

function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | undefined {
  if (noProxy(url.hostname, env)) return undefined;
  const value = url.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!value) return undefined;
  try {
    return new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    return undefined;
  }
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(creds).toString('base64')}` };
}

/** Opens a CONNECT tunnel through an HTTP proxy and starts TLS to the target inside it. */
function tunnel(proxy: URL, target: URL, timeoutMs: number, ca?: string | Buffer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const port = target.port || '443';
    const req = httpRequestRaw({
      host: proxy.hostname,
      port: proxy.port || 80,
      method: 'CONNECT',
      path: `${target.hostname}:${port}`,
      headers: { host: `${target.hostname}:${port}`, ...proxyAuth(proxy) },
      timeout: timeoutMs,
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new HttpNetworkError(`proxy ${proxy.host} refused CONNECT (HTTP ${res.statusCode})`, 'EPROXY', safeUrl(target)));
        return;
      }
      resolve(tlsConnect({ socket, servername: target.hostname, ...(ca ? { ca: withSystemRoots(ca) } : {}) }));
    });
    req.once('timeout', () => req.destroy(new HttpNetworkError(`proxy ${proxy.host} timed out`, 'ETIMEDOUT', safeUrl(target))));
    req.once('error', reject);
    req.end();
  });
}

async function once(req: HttpRequest, url: URL): Promise<HttpResponse> {
  const env = req.env ?? process.env;
  const timeoutMs = req.timeoutMs ?? 30_000;
  const maxBytes = req.maxBytes ?? 16 * 1024 * 1024;
  const proxy = proxyFor(url, env);
  const headers: Record<string, string> = { 'user-agent': 'acr-ship', ...req.headers };
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  const options: RequestOptions & { ca?: (string | Buffer)[] } = { method: req.method ?? 'GET', headers, signal: req.signal };
  if (req.ca) options.ca = withSystemRoots(req.ca);
  let send = url.protocol === 'https:' ? httpsRequestRaw : httpRequestRaw;
  let target: string | URL = url;
  if (proxy && url.protocol === 'https:') {
    const socket = await tunnel(proxy, url, timeoutMs, req.ca);
    options.createConnection = () => socket;
  } else if (proxy) {
    // Plain HTTP through a proxy: absolute URL as the request target.
    send = httpRequestRaw;
    options.host = proxy.hostname;
    options.port = proxy.port || 80;
    options.path = url.toString();
    Object.assign(headers, proxyAuth(proxy));
    target = '';
  }
  return new Promise((resolve, reject) => {
    const fail = (code: string, message: string): void => reject(new HttpNetworkError(message, code, safeUrl(url)));
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          r.destroy();
          fail('EMSGSIZE', `response from ${safeUrl(url)} is larger than ${maxBytes} bytes`);
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks), url: url.toString() });
      });
      res.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'ECONNRESET', `${safeUrl(url)}: ${err.message}`));
    };
    const r = target === '' ? send(options, onResponse) : send(target, options, onResponse);
    const timer = setTimeout(() => {
      r.destroy();
      fail('ETIMEDOUT', `${safeUrl(url)} did not answer within ${timeoutMs / 1000}s`);
    }, timeoutMs);
    r.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(err.code ?? 'ECONNRESET', `${safeUrl(url)}: ${err.code === 'ECONNREFUSED' ? 'connection refused' : err.message}`);
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  let url = new URL(String(req.url));
  let redirects = req.followRedirects ?? 0;
  for (;;) {
    const res = await once(req, url);
    const method = (req.method ?? 'GET').toUpperCase();
    if (
      redirects > 0 &&
      (method === 'GET' || method === 'HEAD') &&
      [301, 302, 303, 307, 308].includes(res.status) &&
      res.headers.location
    ) {
      redirects--;
      const next = new URL(res.headers.location, url);
      // Credentials are for the host that asked for them, not for wherever it redirects.
      if (next.host !== url.host && req.headers) {
        req = { ...req, headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.toLowerCase() !== 'authorization')) };
      }
      url = next;
      continue;
    }
    return res;
  }
}
