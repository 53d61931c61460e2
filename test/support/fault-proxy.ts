/**
 * Fault-injecting proxies in front of the stack's registry, on loopback, each bounded to the
 * faults a test asks for:
 * - a TCP proxy that resets the first N connections (TLS stays end to end);
 * - an HTTP proxy that terminates TLS with the stack's own server certificate (valid for
 *   127.0.0.1 on any port), so it can answer chosen requests with registry errors — a 503 storm,
 *   or a manifest refused the way ACR Personal Edition refuses BuildKit cache manifests.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request } from 'node:https';
import { connect, createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import type { StackState } from '../stack/state.js';

export interface Proxy {
  host: string;
  /** Faults injected so far, in order. */
  injected: string[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server & { closeAllConnections?: () => void }): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
}

/** Resets the first `resets` TCP connections at once (RST), then relays bytes to the registry. */
export async function startTcpResetProxy(state: StackState, resets: number): Promise<Proxy> {
  const injected: string[] = [];
  let left = resets;
  const sockets = new Set<import('node:net').Socket>();
  const server = createTcpServer((client) => {
    if (left > 0) {
      left--;
      injected.push('reset connection');
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(state.registry.port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const host = await listen(server);
  return {
    host,
    injected,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface HttpFaults {
  /** Answer the first `count` manifest PUTs with this status (a registry having a bad minute). */
  failManifestPuts?: { count: number; status: number };
  /** Answer a manifest PUT with this registry error when the predicate says so. */
  rejectManifest?: { when: (path: string, manifest: Record<string, unknown>) => boolean; status: number; code: string; message: string };
}

/** The ACR Personal Edition refusal of BuildKit cache manifests, as users report it. */
export const REFUSE_CACHE_MANIFESTS: HttpFaults['rejectManifest'] = {
  when: (_path, manifest) => ((manifest.config as { mediaType?: string } | undefined)?.mediaType ?? '').includes('buildkit.cacheconfig'),
  status: 400,
  code: 'DENIED',
  message: 'unknown manifest class for application/vnd.buildkit.cacheconfig.v0',
};

export async function startHttpFaultProxy(state: StackState, faults: HttpFaults): Promise<Proxy> {
  const ca = readFileSync(state.registry.caCert);
  const injected: string[] = [];
  let failPuts = faults.failManifestPuts?.count ?? 0;
  let host = '';

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const upstream = request(
      {
        host: '127.0.0.1',
        port: state.registry.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: state.registry.host },
        ca,
      },
      (up) => {
        const headers = { ...up.headers };
        // Upload locations are absolute URLs on the real registry; keep the client on the proxy.
        if (typeof headers.location === 'string')
          headers.location = headers.location.replace(`https://${state.registry.host}`, `https://${host}`);
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  };

  const answer = (res: ServerResponse, status: number, code: string, message: string): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code, message }] }));
  };

  const server = createHttpsServer(
    { cert: readFileSync(join(state.dir, 'server.pem')), key: readFileSync(join(state.dir, 'server-key.pem')) },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const line = `${req.method} ${req.url}`;
        const manifestPut = req.method === 'PUT' && /\/manifests\//.test(req.url ?? '');
        if (manifestPut && failPuts > 0 && faults.failManifestPuts) {
          failPuts--;
          injected.push(`${faults.failManifestPuts.status} ${line}`);
          answer(res, faults.failManifestPuts.status, 'UNAVAILABLE', 'service unavailable');
          return;
        }
        if (manifestPut && faults.rejectManifest) {
          let manifest: Record<string, unknown> = {};
          try {
            manifest = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
          } catch {
            // not JSON: not ours to judge
          }
          if (faults.rejectManifest.when(req.url ?? '', manifest)) {
            injected.push(`reject ${line}`);
            answer(res, faults.rejectManifest.status, faults.rejectManifest.code, faults.rejectManifest.message);
            return;
          }
        }
        forward(req, res, body);
      });
    },
  );
  host = await listen(server);
  return { host, injected, close: closer(server) };
}
