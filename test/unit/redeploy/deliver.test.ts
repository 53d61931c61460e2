/** Deliveries against real HTTP receivers on loopback: retries, ids, signatures, time bounds. */
import { describe, expect, it } from 'vitest';
import { TextLog } from '../../../src/base/log.js';
import { deliverAll, type DeliveryOptions } from '../../../src/redeploy/deliver.js';
import type { PushedImage } from '../../../src/redeploy/push.js';
import { verifySignature } from '../../../src/redeploy/signature.js';
import type { Trigger } from '../../../src/redeploy/trigger.js';
import { useReceivers, type Receiver } from '../../support/receiver.js';

const PUSH: PushedImage = {
  registry: 'registry.cn-hangzhou.aliyuncs.com',
  repository: 'acme/web',
  tags: ['1.2.3', 'latest', 'release-v1.2.3'],
  digest: 'sha256:' + 'cd'.repeat(32),
  platforms: ['linux/amd64'],
  commit: 'abc',
  runUrl: 'https://github.com/acme/app/actions/runs/1',
  pushedAt: new Date('2025-06-01T00:00:00Z'),
  repoType: 'PRIVATE',
};

const receiver = useReceivers();

function trigger(name: string, url: string, extra: Partial<Trigger> = {}): Trigger {
  return { name, url, filter: { type: 'all' }, method: 'POST', headers: {}, ...extra };
}

function options(overrides: Partial<DeliveryOptions> = {}): DeliveryOptions & { lines: string[] } {
  const lines: string[] = [];
  return { log: new TextLog((l) => lines.push(l)), retries: 3, timeoutMs: 2000, baseDelayMs: 10, lines, ...overrides };
}

function header(r: Receiver, i: number, name: string): string | undefined {
  const value = r.requests[i]?.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

describe('delivery', () => {
  it('retries 503, 503 then lands: exactly 3 attempts, one delivery id, identical bodies', async () => {
    const r = await receiver({ status: 503 }, { status: 503 }, { status: 200 });
    const [d] = await deliverAll([trigger('ack', `${r.origin}/hook`)], PUSH, options());
    expect(d).toMatchObject({ result: 'delivered', status: 200, attempts: 3, error: null });
    expect(r.requests).toHaveLength(3);
    const ids = new Set(r.requests.map((_, i) => header(r, i, 'x-acr-ship-delivery')));
    expect([...ids]).toEqual([d?.deliveryId]);
    expect(r.requests.map((_, i) => header(r, i, 'x-acr-ship-attempt'))).toEqual(['1', '2', '3']);
    expect(new Set(r.requests.map((q) => q.body.toString())).size).toBe(1);
  });

  it('gives up on a 404 at once: exactly 1 attempt', async () => {
    const r = await receiver({ status: 404 });
    const [d] = await deliverAll([trigger('gone', `${r.origin}/hook`)], PUSH, options());
    expect(d).toMatchObject({ result: 'failed', status: 404, attempts: 1, error: 'HTTP 404, not retried' });
    expect(r.requests).toHaveLength(1);
  });

  it('abandons a receiver that never answers after timeout × attempts + backoff; the healthy ones still land', async () => {
    const flaky = await receiver({ status: 503 }, { status: 503 }, { status: 200 });
    const gone = await receiver({ status: 404 });
    const silent = await receiver('hang');
    const timeoutMs = 300;
    const retries = 2;
    const baseDelayMs = 20;
    const started = performance.now();
    // The silent one first: run one after another, the others would wait for it.
    const deliveries = await deliverAll(
      [trigger('silent', `${silent.origin}/c`), trigger('gone', `${gone.origin}/b`), trigger('flaky', `${flaky.origin}/a`)],
      PUSH,
      options({ retries, timeoutMs, baseDelayMs }),
    );
    const elapsed = performance.now() - started;
    expect(deliveries.map((d) => [d.trigger, d.result, d.attempts])).toEqual([
      ['silent', 'failed', 3],
      ['gone', 'failed', 1],
      ['flaky', 'delivered', 3],
    ]);
    expect(deliveries[0]?.error).toBe('no answer within 0.3 s after 3 attempts');
    expect(deliveries[0]?.status).toBeNull();
    expect(silent.requests).toHaveLength(3);
    // Abandoned no sooner than its attempts allow and no later than attempts plus the longest backoff.
    const longestBackoff = baseDelayMs + 2 * baseDelayMs;
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs * (retries + 1) - 5);
    expect(elapsed).toBeLessThan(timeoutMs * (retries + 1) + longestBackoff + 1000);
    // Concurrent: the healthy receivers had their deliveries while the silent one was still being tried.
    expect(flaky.requests[2]?.at ?? Infinity).toBeLessThan(silent.requests[2]?.at ?? -Infinity);
    expect(gone.requests[0]?.at ?? Infinity).toBeLessThan(silent.requests[1]?.at ?? -Infinity);
  });

  it('backs off exponentially with jitter, and honours Retry-After instead', async () => {
    const r = await receiver({ status: 500 }, { status: 502 }, { status: 429, headers: { 'retry-after': '7' } }, { status: 200 });
    const delays: number[] = [];
    const [d] = await deliverAll(
      [trigger('t', `${r.origin}/`)],
      PUSH,
      options({
        baseDelayMs: 1000,
        random: () => 0.5,
        sleep: async (ms) => {
          delays.push(ms);
        },
      }),
    );
    expect(d?.result).toBe('delivered');
    // Equal jitter: half the exponential delay plus random × half.
    expect(delays).toEqual([750, 1500, 7000]);
  });

  it('retries network errors, 408 and 429; treats redirects and other 4xx as final', async () => {
    const r = await receiver('reset', { status: 408 }, { status: 429, headers: { 'retry-after': '0' } }, { status: 204 });
    const [ok] = await deliverAll([trigger('t', `${r.origin}/`)], PUSH, options());
    expect(ok).toMatchObject({ result: 'delivered', status: 204, attempts: 4 });

    const moved = await receiver({ status: 302, headers: { location: '/elsewhere' } });
    const denied = await receiver({ status: 401 });
    const [m, u] = await deliverAll([trigger('m', `${moved.origin}/`), trigger('u', `${denied.origin}/`)], PUSH, options());
    expect(m).toMatchObject({
      result: 'failed',
      attempts: 1,
      error: 'HTTP 302 (a redirect: point the trigger at the final URL), not retried',
    });
    expect(u).toMatchObject({ result: 'failed', attempts: 1, status: 401 });
  });

  it('retries a refused connection', async () => {
    const closed = await receiver();
    const url = `${closed.origin}/`;
    await closed.close();
    const [d] = await deliverAll([trigger('t', url)], PUSH, options({ retries: 2 }));
    expect(d).toMatchObject({ result: 'failed', attempts: 3, status: null, error: 'connection refused after 3 attempts' });
  });

  it('sends the documented headers and a signature the receiver can verify over the raw bytes', async () => {
    const r = await receiver();
    await deliverAll(
      [
        trigger('signed', `${r.origin}/hook?token=abc`, {
          secret: 'hmac-secret',
          headers: { 'X-Team': 'web', 'X-Acr-Ship-Signature': 'forged' },
        }),
      ],
      PUSH,
      options(),
    );
    const [req] = r.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/hook?token=abc');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['user-agent']).toMatch(/^acr-ship\/\d+\.\d+\.\d+/);
    expect(req?.headers['x-acr-ship-event']).toBe('push');
    expect(req?.headers['x-team']).toBe('web');
    expect(req?.headers['x-acr-ship-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(verifySignature(req?.body ?? '', 'hmac-secret', header(r, 0, 'x-acr-ship-signature'))).toBe(true);
    expect(verifySignature(req?.body ?? '', 'wrong', header(r, 0, 'x-acr-ship-signature'))).toBe(false);
    const body = JSON.parse(req?.body.toString() ?? '{}');
    expect(body.acr_ship.delivery_id).toBe(req?.headers['x-acr-ship-delivery']);
  });

  it('sends no signature without a secret, and a GET trigger gets no body', async () => {
    const r = await receiver();
    await deliverAll(
      [trigger('plain', `${r.origin}/p`), trigger('ack', `${r.origin}/hook/trigger?token=t0ken-value`, { method: 'GET', secret: 's' })],
      PUSH,
      options(),
    );
    const byPath = Object.fromEntries(r.requests.map((q) => [q.path, q]));
    expect(byPath['/p']?.headers['x-acr-ship-signature']).toBeUndefined();
    const get = byPath['/hook/trigger?token=t0ken-value'];
    expect(get?.method).toBe('GET');
    expect(get?.body.length).toBe(0);
    expect(get?.headers['content-type']).toBeUndefined();
    expect(get?.headers['x-acr-ship-delivery']).toBeDefined();
  });

  it('sends one delivery per trigger with the first passing tag; skips a trigger no tag passes', async () => {
    const r = await receiver();
    const deliveries = await deliverAll(
      [
        trigger('all', `${r.origin}/all`),
        trigger('release', `${r.origin}/release`, { filter: { type: 'regex', expression: 'release-v.*' } }),
        trigger('list', `${r.origin}/list`, { filter: { type: 'tags', tags: ['latest', '1.2.3'] } }),
        trigger('none', `${r.origin}/none`, { filter: { type: 'tags', tags: ['v9'] } }),
      ],
      PUSH,
      options(),
    );
    expect(deliveries.map((d) => [d.trigger, d.result, d.tag])).toEqual([
      ['all', 'delivered', '1.2.3'],
      ['release', 'delivered', 'release-v1.2.3'],
      ['list', 'delivered', '1.2.3'],
      ['none', 'skipped', null],
    ]);
    expect(deliveries[3]?.error).toBe('no pushed tag passes its filter (tags v9)');
    expect(r.requests.map((q) => q.path).sort()).toEqual(['/all', '/list', '/release']);
    const all = JSON.parse(r.requests.find((q) => q.path === '/all')?.body.toString() ?? '{}');
    expect(all.acr_ship.tags).toEqual(['1.2.3', 'latest', 'release-v1.2.3']);
  });

  it('fails every trigger up front on a bad filter, before sending anything', async () => {
    const r = await receiver();
    await expect(
      deliverAll(
        [trigger('ok', `${r.origin}/`), trigger('bad', `${r.origin}/`, { filter: { type: 'regex', expression: '[' } })],
        PUSH,
        options(),
      ),
    ).rejects.toThrow(/^trigger 'bad' filter expression: invalid regular expression/);
    expect(r.requests).toHaveLength(0);
  });

  it('stays inside the bound on the whole step, cutting the attempt that would cross it', async () => {
    const silent = await receiver('hang');
    const started = performance.now();
    const [d] = await deliverAll([trigger('slow', `${silent.origin}/`)], PUSH, options({ timeoutMs: 5000, totalTimeoutMs: 400 }));
    const elapsed = performance.now() - started;
    expect(d).toMatchObject({ result: 'failed', attempts: 1 });
    // The attempt got what was left of the 0.4 s bound.
    expect(d?.error).toMatch(/^no answer within 0\.\d+ s; stopped at the step's time bound$/);
    expect(elapsed).toBeLessThan(5000);
  });

  it('keeps the URL out of the record and the log except scheme, host and path', async () => {
    const r = await receiver({ status: 500 }, { status: 200 });
    const opts = options();
    const url = `${r.origin}/hook?token=SECRET-TOKEN-123`;
    const [d] = await deliverAll([trigger('t', url)], PUSH, opts);
    expect(d?.url).toBe(`${r.origin}/hook`);
    expect(JSON.stringify(d)).not.toContain('SECRET-TOKEN-123');
    expect(opts.lines.join('\n')).not.toContain('SECRET-TOKEN-123');
    expect(opts.lines.join('\n')).toContain(`${r.origin}/hook`);
  });
});
