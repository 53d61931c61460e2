/**
 * Proxies in front of the stack's registry, each bounded to the faults a test asks for (on
 * loopback), and a fault-free front under the machine's host name:
 * - a TCP proxy that resets the first N connections (TLS stays end to end);
 * - an HTTP proxy that terminates TLS with the stack's own server certificate (valid for
 *   127.0.0.1 on any port), so it can answer chosen requests with registry errors — a 503 storm,
 *   or a manifest refused the way ACR Personal Edition refuses BuildKit cache manifests.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request } from 'node:https';
import { connect, createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { StackState } from '../stack/state.js';
import { issueServerCert } from '../stack/tls.js';
import { scratchDir } from './scratch.js';

export interface Proxy {
  host: string;
  /** Faults injected so far, in order. */
  injected: string[];
  close(): Promise<void>;
}

/** Where a proxy listens and the host name clients use for it. */
interface Endpoint {
  address: string;
  name: string;
}

const LOOPBACK: Endpoint = { address: '127.0.0.1', name: '127.0.0.1' };

async function listen(server: Server, at: Endpoint = LOOPBACK): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, at.address, resolve));
  return `${at.name}:${(server.address() as AddressInfo).port}`;
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

export async function startHttpFaultProxy(
  state: StackState,
  faults: HttpFaults,
  at: Endpoint & { cert?: string; key?: string } = LOOPBACK,
): Promise<Proxy> {
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
    { cert: readFileSync(at.cert ?? join(state.dir, 'server.pem')), key: readFileSync(at.key ?? join(state.dir, 'server-key.pem')) },
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
  host = await listen(server, at);
  return { host, injected, close: closer(server) };
}

/**
 * The stack's registry under a name that is not a loopback address, with no faults. buildx's own
 * registry client — imagetools, and the index a multi-node build pushes — speaks plain HTTP to
 * loopback hosts unless the builder carries a buildkitd config, which `remote` builders cannot.
 * Through this relay a job reaches the registry as a runner reaches a real one: by host name, over
 * TLS. The name is this machine's host name, with a certificate for it from the stack's CA.
 */
export async function startRegistryFront(state: StackState): Promise<Proxy> {
  const name = hostname().toLowerCase();
  const { address } = await lookup(name, { family: 4 }).catch(() => {
    throw new Error(`this machine's host name '${name}' does not resolve: the registry front needs it (add it to /etc/hosts)`);
  });
  const dir = scratchDir('registry-front-');
  const tls = await issueServerCert(dir, 'front', { caCert: state.registry.caCert, caKey: join(state.dir, 'ca-key.pem') }, [`DNS:${name}`]);
  return startHttpFaultProxy(state, {}, { address, name, ...tls });
}
