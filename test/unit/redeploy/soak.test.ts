/**
 * Fault soak: 200 deliveries against a receiver that fails each request with probability 0.3,
 * `retries: 3`. Ids are fixed, so the seeded receiver makes the same choices every run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TextLog } from '../../../src/base/log.js';
import { deliverAll } from '../../../src/redeploy/deliver.js';
import type { PushedImage } from '../../../src/redeploy/push.js';
import type { Trigger } from '../../../src/redeploy/trigger.js';
import { doomed, FAILURE_RATE, faultyReceiver } from './faults.js';
import type { Receiver } from '../../support/receiver.js';

const DELIVERIES = 200;
const RETRIES = 3;
const TOTAL_TIMEOUT_MS = 30_000;

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
  let receiver: Receiver | undefined;
  afterAll(() => receiver?.close());

  it('accounts for every one of 200 deliveries, never resends a landed one, and reports the seeded failures', async () => {
    const faulty = await faultyReceiver();
    receiver = faulty.receiver;
    const { seen } = faulty;
    const ids = Array.from({ length: DELIVERIES }, (_, i) => `soak-${String(i).padStart(3, '0')}`);
    const triggers: Trigger[] = ids.map((id) => ({
      name: id,
      url: `${faulty.receiver.origin}/hook`,
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
    const expected = doomed(ids, RETRIES + 1);
    expect(failed.map((d) => d.deliveryId).sort()).toEqual(expected);
    // The seeded count sits where 200 × 0.3⁴ ≈ 1.6 says it should (within three standard deviations).
    const mean = DELIVERIES * FAILURE_RATE ** (RETRIES + 1);
    expect(Math.abs(failed.length - mean)).toBeLessThan(3 * Math.sqrt(mean));
    expect(elapsed).toBeLessThan(TOTAL_TIMEOUT_MS);
    const requests = [...seen.values()].reduce((n, e) => n + e.requests, 0);
    console.log(
      `soak: ${landed.length} landed, ${failed.length} failed (seeded ${expected.length}, mean ${mean.toFixed(2)}), ${requests} requests, ${Math.round(elapsed)} ms`,
    );
  });
});
