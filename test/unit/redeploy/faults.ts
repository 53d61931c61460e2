/**
 * A receiver that fails each request with a fixed probability. The choice is a seeded function of
 * (delivery id, attempt), so a run is reproducible whatever order concurrent requests arrive in,
 * and the outcome for a set of ids can be computed independently of the code under test.
 */
import { startReceiver, type Receiver, type Reply } from '../../support/receiver.js';

export const SEED = 20250601;
export const FAILURE_RATE = 0.3;

/** mulberry32 on an FNV-1a hash of the key: a uniform number in [0, 1) per key. */
export function uniform(key: string): number {
  let h = 0x811c9dc5 ^ SEED;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let t = (h + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const FAULTS: Reply[] = [{ status: 500 }, { status: 503 }, { status: 408 }, { status: 429, headers: { 'retry-after': '0' } }, 'reset'];

export function fails(id: string, attempt: number): boolean {
  return uniform(`${id}#${attempt}`) < FAILURE_RATE;
}

/** Ids whose first `attempts` requests all fail: what must be reported failed. */
export function doomed(ids: Iterable<string>, attempts: number): string[] {
  return [...ids].filter((id) => Array.from({ length: attempts }, (_, i) => i + 1).every((n) => fails(id, n))).sort();
}

/** Per delivery id: requests that arrived, and which one landed. */
export type Seen = Map<string, { requests: number; landedAt?: number }>;

export async function faultyReceiver(): Promise<{ receiver: Receiver; seen: Seen }> {
  const seen: Seen = new Map();
  const receiver = await startReceiver((req) => {
    const id = String(req.headers['x-acr-ship-delivery']);
    const entry = seen.get(id) ?? { requests: 0 };
    seen.set(id, entry);
    entry.requests++;
    if (fails(id, entry.requests)) return FAULTS[Math.floor(uniform(`${id}#${entry.requests}#fault`) * FAULTS.length)] ?? 'reset';
    entry.landedAt ??= entry.requests;
    return { status: 200 };
  });
  return { receiver, seen };
}
