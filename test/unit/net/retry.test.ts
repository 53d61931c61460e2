import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, withRetries } from '../../../src/net/retry.js';

describe('backoffDelay', () => {
  it('doubles from the base with equal jitter and a cap', () => {
    expect(backoffDelay(1, { baseDelayMs: 100, random: () => 0 })).toBe(50);
    expect(backoffDelay(1, { baseDelayMs: 100, random: () => 0.999999 })).toBe(100);
    expect(backoffDelay(3, { baseDelayMs: 100, random: () => 0 })).toBe(200);
    expect(backoffDelay(20, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 })).toBe(500);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('withRetries', () => {
  const noSleep = { sleep: async (): Promise<void> => {}, random: (): number => 0 };

  it('retries retryable failures up to the limit, then throws the last error', async () => {
    const attempts: number[] = [];
    const delays: number[] = [];
    await expect(
      withRetries(
        async (n) => {
          attempts.push(n);
          throw new Error(`fail ${n}`);
        },
        { retries: 2, baseDelayMs: 10, retryable: () => true, onRetry: (i) => delays.push(i.delayMs), ...noSleep },
      ),
    ).rejects.toThrow('fail 3');
    expect(attempts).toEqual([1, 2, 3]);
    expect(delays).toEqual([5, 10]);
  });
  it('stops at once on a failure that is not retryable', async () => {
    let calls = 0;
    await expect(
      withRetries(async () => Promise.reject(new Error(`auth ${++calls}`)), { retries: 5, retryable: () => false, ...noSleep }),
    ).rejects.toThrow('auth 1');
  });
  it('returns the first success', async () => {
    let calls = 0;
    expect(
      await withRetries(async () => (++calls < 3 ? Promise.reject(new Error('x')) : 'ok'), {
        retries: 5,
        retryable: () => true,
        ...noSleep,
      }),
    ).toBe('ok');
  });
  it('honours a server-advised delay and the overall deadline', async () => {
    const delays: number[] = [];
    let now = 0;
    await expect(
      withRetries(async () => Promise.reject(new Error('busy')), {
        retries: 10,
        retryable: () => true,
        retryAfterMs: () => 4000,
        deadline: 9000,
        now: () => now,
        sleep: async (ms) => {
          now += ms;
        },
        onRetry: (i) => delays.push(i.delayMs),
      }),
    ).rejects.toThrow('busy');
    expect(delays).toEqual([4000, 4000]);
  });
});
