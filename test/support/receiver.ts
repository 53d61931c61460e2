/**
 * A real HTTP receiver on loopback for delivery tests: records every request (raw body bytes
 * included) and answers as the test scripts it — a status, a hang (never answers), or a reset.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface Received {
  method: string;
  /** Path and query, as the request line had them. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when the request was complete. */
  at: number;
}

export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'reset';

export interface Receiver {
  /** http://127.0.0.1:<port> */
  origin: string;
  requests: Received[];
  close(): Promise<void>;
}

export async function startReceiver(reply: (req: Received, index: number) => Reply = () => ({ status: 200 })): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: performance.now(),
      };
      requests.push(received);
      const answer = reply(received, requests.length - 1);
      if (answer === 'hang') return;
      if (answer === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '{"code":"200","message":"","requestId":"test"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers from a script, one entry per request; the last entry repeats. */
export function scripted(...replies: Reply[]): (req: Received, index: number) => Reply {
  return (_req, index) => replies[Math.min(index, replies.length - 1)] ?? { status: 200 };
}

/** A starter for receivers that answer from a script; each is closed after its test. */
export function useReceivers(): (...replies: Reply[]) => Promise<Receiver> {
  const open: Receiver[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  return async (...replies) => {
    const r = await startReceiver(scripted(...(replies.length ? replies : [{ status: 200 }])));
    open.push(r);
    return r;
  };
}
