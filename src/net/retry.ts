/**
 * Bounded retries with exponential backoff and jitter, shared by login, build and redeploy.
 * The caller says what is worth retrying; auth failures and bad requests never are.
 */
export interface RetryOptions {
  /** Extra attempts after the first (0 = try once). */
  retries: number;
  /** Delay before the first retry, doubled for each later one (default 500 ms). */
  baseDelayMs?: number;
  /** Cap on one delay (default 30 s). */
  maxDelayMs?: number;
  /** No retry starts after this time (epoch ms): the whole operation stays bounded. */
  deadline?: number;
  /** Whether a failure may succeed if tried again. */
  retryable: (error: unknown) => boolean;
  /** A server-advised delay for this failure (Retry-After), used instead of the backoff. */
  retryAfterMs?: (error: unknown) => number | undefined;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** Jitter source in [0, 1); tests fix it. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Backoff before retry number `attempt` (1-based): equal jitter, so never shorter than half. */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {}): number {
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  const full = Math.min(cap, base * 2 ** (attempt - 1));
  const random = options.random ?? Math.random;
  return Math.round(full / 2 + (random() * full) / 2);
}

/** Retry-After as seconds or an HTTP date, in ms from now; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Runs `fn` until it succeeds, fails for good, or runs out of attempts or time. */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt > options.retries || !options.retryable(error)) throw error;
      const advised = options.retryAfterMs?.(error);
      const delayMs = advised !== undefined ? Math.min(advised, options.maxDelayMs ?? 30_000) : backoffDelay(attempt, options);
      if (options.deadline !== undefined && now() + delayMs >= options.deadline) throw error;
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}
