/**
 * Fault soak: 200 deliveries against a receiver that fails each request with probability 0.3.
 * The receiver's choice is a seeded function of (delivery id, attempt), so the run is
 * reproducible whatever order concurrent requests arrive in, and the expected outcome can be
 * computed beforehand.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TextLog } from '../../../src/base/log.js';
import { deliverAll } from '../../../src/redeploy/deliver.js';
import type { PushedImage } from '../../../src/redeploy/push.js';
import type { Trigger } from '../../../src/redeploy/trigger.js';
import { startReceiver, type Receiver, type Reply } from './receiver.js';

const SEED = 20250601;
const DELIVERIES = 200;
const FAILURE_RATE = 0.3;
const RETRIES = 3;
const TOTAL_TIMEOUT_MS = 30_000;

/** mulberry32 on an FNV-1a hash of the key: a uniform number in [0, 1) per key. */
function uniform(key: string): number {
  let h = 0x811c9dc5 ^ SEED;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let t = (h + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const FAULTS: Reply[] = [{ status: 500 }, { status: 503 }, { status: 408 }, { status: 429, headers: { 'retry-after': '0' } }, 'reset'];

function fails(id: string, attempt: number): boolean {
  return uniform(`${id}#${attempt}`) < FAILURE_RATE;
}

const PUSH: PushedImage = {
  registry: 'registry.cn-shanghai.aliyuncs.com',
  repository: 'acme/soak',
  tags: ['v1'],
  digest: 'sha256:' + 'ef'.repeat(32),
  platforms: [],
  commit: '',
  runUrl: '',
  pushedAt: new Date(),
  repoType: 'PRIVATE',
};

describe('fault soak', () => {
  let receiver: Receiver;
  afterAll(() => receiver?.close());

  it('accounts for every one of 200 deliveries, never resends a landed one, and reports the seeded failures', async () => {
    // Per delivery id: how many requests arrived, and after which one it landed.
    const seen = new Map<string, { requests: number; landedAt?: number }>();
    receiver = await startReceiver((req) => {
      const id = String(req.headers['x-acr-ship-delivery']);
      const entry = seen.get(id) ?? { requests: 0 };
      seen.set(id, entry);
      entry.requests++;
      if (fails(id, entry.requests)) return FAULTS[Math.floor(uniform(`${id}#${entry.requests}#fault`) * FAULTS.length)] ?? 'reset';
      entry.landedAt ??= entry.requests;
      return { status: 200 };
    });

    const ids = Array.from({ length: DELIVERIES }, (_, i) => `soak-${String(i).padStart(3, '0')}`);
    const expectedFailed = ids.filter((id) => [1, 2, 3, 4].every((n) => fails(id, n)));
    const triggers: Trigger[] = ids.map((id) => ({
      name: id,
      url: `${receiver.origin}/hook`,
      filter: { type: 'all' },
      method: 'POST',
      headers: {},
    }));

    const started = performance.now();
    const deliveries = await deliverAll(triggers, PUSH, {
      log: new TextLog(() => {}),
      retries: RETRIES,
      timeoutMs: 2000,
      totalTimeoutMs: TOTAL_TIMEOUT_MS,
      baseDelayMs: 5,
      maxDelayMs: 50,
      newId: (t) => t.name,
    });
    const elapsed = performance.now() - started;

    expect(deliveries).toHaveLength(DELIVERIES);
    const failed = deliveries.filter((d) => d.result === 'failed');
    const landed = deliveries.filter((d) => d.result === 'delivered');
    expect(failed.length + landed.length).toBe(DELIVERIES);
    // Failed ones were tried exactly retries + 1 times, and the receiver saw exactly that.
    for (const d of failed) {
      expect(d.attempts).toBe(RETRIES + 1);
      expect(seen.get(d.deliveryId ?? '')).toEqual({ requests: RETRIES + 1 });
    }
    // Landed ones: the attempt that landed was the last request the receiver saw for that id.
    for (const d of landed) {
      const entry = seen.get(d.deliveryId ?? '');
      expect(entry?.landedAt).toBe(d.attempts);
      expect(entry?.requests).toBe(d.attempts);
    }
    expect(failed.map((d) => d.deliveryId).sort()).toEqual(expectedFailed);
    // The seeded count sits where 200 × 0.3⁴ ≈ 1.6 says it should (within three standard deviations).
    const mean = DELIVERIES * FAILURE_RATE ** 4;
    expect(Math.abs(failed.length - mean)).toBeLessThan(3 * Math.sqrt(mean));
    expect(elapsed).toBeLessThan(TOTAL_TIMEOUT_MS);
    console.log(
      `soak: ${landed.length} landed, ${failed.length} failed (expected ${expectedFailed.length}, mean ${mean.toFixed(2)}), ${[...seen.values()].reduce((n, e) => n + e.requests, 0)} requests, ${Math.round(elapsed)} ms`,
    );
  });
});
