import { randomUUID } from 'node:crypto';
import { ErrorList } from '../base/errors.js';
import type { Log } from '../base/log.js';
import { USER_AGENT } from '../base/version.js';
import { HttpNetworkError, httpRequest } from '../net/http.js';
import { parseRetryAfter, withRetries } from '../net/retry.js';
import { compileTagFilter, describeFilter } from './filter.js';
import { buildPayload, type AcrPayload } from './payload.js';
import type { PushedImage } from './push.js';
import { SIGNATURE_HEADER, signBody } from './signature.js';
import { displayUrl, type Trigger } from './trigger.js';

export type DeliveryResult = 'delivered' | 'failed' | 'skipped';

/**
 * The record of one trigger's delivery: the `deliveries` output, the summary row, and what
 * `redeploy --from` replays. Every key is always present (null when it does not apply), so
 * consumers can rely on the shape. It holds no secret: the URL is shown as scheme, host and path.
 */
export interface Delivery {
  trigger: string;
  url: string;
  method: 'POST' | 'GET';
  result: DeliveryResult;
  /** The last HTTP status received; null if no attempt got an answer. */
  status: number | null;
  attempts: number;
  durationMs: number;
  deliveryId: string | null;
  /** push_data.tag: the first pushed tag the filter passed. */
  tag: string | null;
  /** Why it failed or was skipped, one line. */
  error: string | null;
  /** The exact body sent (also for GET triggers, which send none: it is what a replay would POST). */
  payload: AcrPayload | null;
}

/** One delivery ready to send: used for a build's triggers and for replays alike. */
export interface PreparedDelivery {
  trigger: Trigger;
  deliveryId: string;
  payload: AcrPayload;
}

export interface DeliveryOptions {
  log: Log;
  /** Extra attempts after the first. */
  retries: number;
  /** Per attempt, connect to last byte. */
  timeoutMs: number;
  /** Bound on all deliveries together; default (retries + 1) × timeout + 60 s of backoff room. */
  totalTimeoutMs?: number;
  /** First backoff, doubled per retry, with jitter (default 1 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Deliveries in flight at once (default 16). */
  concurrency?: number;
  newId?: (trigger: Trigger) => string;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Proxy variables for the HTTP client (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** A receiver's answer is capped: we only need its status. */
const MAX_ANSWER_BYTES = 1024 * 1024;
const BACKOFF_ROOM_MS = 60_000;

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter: string | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Raised instead of starting an attempt once the step's time bound has passed. */
class TimeBoundError extends Error {}

/** Network errors, timeouts, 5xx, 408 and 429 may pass if tried again; other answers will not. */
function isRetryable(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.status >= 500 || error.status === 408 || error.status === 429;
  return error instanceof HttpNetworkError && error.code !== 'EMSGSIZE';
}

/** One line about a failed attempt, without the URL (the record shows it, masked). */
function reason(error: unknown, timeoutMs: number): string {
  if (error instanceof HttpStatusError) {
    if (error.status >= 300 && error.status < 400) return `HTTP ${error.status} (a redirect: point the trigger at the final URL)`;
    return `HTTP ${error.status}`;
  }
  if (error instanceof HttpNetworkError) {
    const known: Record<string, string> = {
      ETIMEDOUT: `no answer within ${seconds(timeoutMs)}`,
      ECONNREFUSED: 'connection refused',
      ECONNRESET: 'connection reset',
      ENOTFOUND: 'host not found',
      EAI_AGAIN: 'host name lookup failed',
      EMSGSIZE: `answer larger than ${MAX_ANSWER_BYTES} bytes`,
    };
    return known[error.code] ?? `network error ${error.code}`;
  }
  if (error instanceof TimeBoundError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** 10 s, 1.2 s, 0.25 s: precise enough for sub-second timeouts, short for long ones. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;
}

/** Our headers win over a trigger's own: the receiver relies on them meaning what we say. */
function requestHeaders(trigger: Trigger, deliveryId: string, body: Buffer | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  for (const [name, value] of Object.entries(trigger.headers)) headers[name.toLowerCase()] = value;
  if (body) headers['content-type'] = 'application/json';
  headers['x-acr-ship-event'] = 'push';
  headers['x-acr-ship-delivery'] = deliveryId;
  if (body && trigger.secret) headers[SIGNATURE_HEADER] = signBody(body, trigger.secret);
  return headers;
}

/** The default bound on all deliveries of a step. */
export function defaultTotalTimeoutMs(retries: number, timeoutMs: number): number {
  return (retries + 1) * timeoutMs + BACKOFF_ROOM_MS;
}

/** Sends one prepared delivery with retries, never past `deadline`; never throws. */
async function send(prepared: PreparedDelivery, options: DeliveryOptions, deadline: number): Promise<Delivery> {
  const { trigger, deliveryId, payload } = prepared;
  const { log } = options;
  const now = options.now ?? Date.now;
  const started = now();
  // The exact bytes we sign are the bytes we send, on every attempt.
  const body = trigger.method === 'POST' ? Buffer.from(JSON.stringify(payload)) : undefined;
  const headers = requestHeaders(trigger, deliveryId, body);
  let attempts = 0;
  let status: number | null = null;
  // The last attempt's own limit: near the time bound it is shorter than options.timeoutMs.
  let attemptTimeoutMs = options.timeoutMs;
  const record = (result: DeliveryResult, error: string | null): Delivery => ({
    trigger: trigger.name,
    url: displayUrl(trigger.url),
    method: trigger.method,
    result,
    status,
    attempts,
    durationMs: Math.round(now() - started),
    deliveryId,
    tag: payload.push_data.tag,
    error,
    payload,
  });

  log.info(`${trigger.name}: ${trigger.method} ${displayUrl(trigger.url)} for tag ${payload.push_data.tag} (delivery ${deliveryId})`);
  try {
    await withRetries(
      async (attempt) => {
        const left = deadline - now();
        if (left <= 0) throw new TimeBoundError(`not attempted: the step's time bound was reached`);
        attempts = attempt;
        attemptTimeoutMs = Math.min(options.timeoutMs, left);
        const res = await httpRequest({
          method: trigger.method,
          url: trigger.url,
          headers: { ...headers, 'x-acr-ship-attempt': String(attempt) },
          body,
          timeoutMs: attemptTimeoutMs,
          maxBytes: MAX_ANSWER_BYTES,
          env: options.env,
        });
        status = res.status;
        if (res.status < 200 || res.status >= 300) throw new HttpStatusError(res.status, res.headers['retry-after']);
      },
      {
        retries: options.retries,
        baseDelayMs: options.baseDelayMs ?? 1000,
        maxDelayMs: options.maxDelayMs,
        deadline,
        retryable: isRetryable,
        retryAfterMs: (error) => (error instanceof HttpStatusError ? parseRetryAfter(error.retryAfter, now()) : undefined),
        onRetry: ({ attempt, delayMs, error }) =>
          log.info(`${trigger.name}: ${reason(error, attemptTimeoutMs)}; retry ${attempt} of ${options.retries} in ${seconds(delayMs)}`),
        random: options.random,
        sleep: options.sleep,
        now,
      },
    );
  } catch (error) {
    let why = reason(error, attemptTimeoutMs);
    if (attempts > 1) why += ` after ${attempts} attempts`;
    else if (error instanceof HttpStatusError && !isRetryable(error)) why += ', not retried';
    if (isRetryable(error) && attempts <= options.retries) why += `; stopped at the step's time bound`;
    log.info(`${trigger.name}: failed: ${why}`);
    return record('failed', why);
  }
  const delivered = record('delivered', null);
  log.info(
    `${trigger.name}: delivered (HTTP ${status}) in ${seconds(delivered.durationMs)}${attempts > 1 ? `, ${attempts} attempts` : ''}`,
  );
  return delivered;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the items' order. */
async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Sends prepared deliveries (skipped records pass through) concurrently, all within one time
 * bound. Never throws for a failed delivery: every outcome is in the returned records.
 */
export async function sendDeliveries(items: readonly (PreparedDelivery | Delivery)[], options: DeliveryOptions): Promise<Delivery[]> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.totalTimeoutMs ?? defaultTotalTimeoutMs(options.retries, options.timeoutMs));
  return mapConcurrent(items, options.concurrency ?? 16, async (item) => (isPrepared(item) ? send(item, options, deadline) : item));
}

function isPrepared(item: PreparedDelivery | Delivery): item is PreparedDelivery {
  return typeof item.trigger === 'object';
}

/**
 * One delivery per trigger for a build that pushed: the payload's tag is the first pushed tag
 * the trigger's filter passes; a trigger that passes none is skipped and reported. Bad filters
 * fail up front, before anything is sent.
 */
export async function deliverAll(triggers: readonly Trigger[], push: PushedImage, options: DeliveryOptions): Promise<Delivery[]> {
  const errors = new ErrorList();
  const filters = triggers.map((trigger) => errors.attempt(() => compileTagFilter(trigger.filter, `trigger '${trigger.name}'`)));
  errors.throwIfAny();

  const newId = options.newId ?? (() => randomUUID());
  const items = triggers.map((trigger, i): PreparedDelivery | Delivery => {
    const passing = push.tags.filter((tag) => filters[i]?.(tag));
    if (passing.length === 0) {
      const why = `no pushed tag passes its filter (${describeFilter(trigger.filter)})`;
      options.log.info(`${trigger.name}: skipped: ${why}`);
      return skipped(trigger, why);
    }
    const deliveryId = newId(trigger);
    return { trigger, deliveryId, payload: buildPayload(push, passing, deliveryId) };
  });
  return sendDeliveries(items, options);
}

function skipped(trigger: Trigger, why: string): Delivery {
  return {
    trigger: trigger.name,
    url: displayUrl(trigger.url),
    method: trigger.method,
    result: 'skipped',
    status: null,
    attempts: 0,
    durationMs: 0,
    deliveryId: null,
    tag: null,
    error: why,
    payload: null,
  };
}
