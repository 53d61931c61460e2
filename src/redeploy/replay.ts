import { UserError } from '../base/errors.js';
import type { AcrPayload } from './payload.js';

/**
 * What `redeploy --from FILE` can resend: a saved `deliveries` output (the exact payloads, with
 * their delivery ids, so a receiver that deduplicates by id ignores what it already has), a
 * single payload as a receiver logged it, or buildx's metadata file (a fresh payload is built).
 */
export type ReplaySource = { kind: 'deliveries'; records: SavedDelivery[] } | { kind: 'metadata'; references: string[]; digest: string };

export interface SavedDelivery {
  trigger: string;
  method: 'POST' | 'GET';
  deliveryId: string | undefined;
  payload: AcrPayload;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isPayload(value: unknown): value is AcrPayload {
  return (
    isObject(value) &&
    isObject(value.push_data) &&
    typeof value.push_data.tag === 'string' &&
    typeof value.push_data.digest === 'string' &&
    isObject(value.repository)
  );
}

function payloadId(payload: AcrPayload): string | undefined {
  const id = (payload as { acr_ship?: { delivery_id?: unknown } }).acr_ship?.delivery_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export function parseReplayFile(text: string, file: string): ReplaySource {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UserError(`--from ${file} is not JSON: give a saved deliveries output, a payload, or buildx's metadata file`);
  }
  if (Array.isArray(data)) {
    const records: SavedDelivery[] = [];
    for (const item of data) {
      if (!isObject(item) || !isPayload(item.payload)) continue;
      records.push({
        trigger: typeof item.trigger === 'string' ? item.trigger : `delivery-${records.length + 1}`,
        method: item.method === 'GET' ? 'GET' : 'POST',
        deliveryId: typeof item.deliveryId === 'string' ? item.deliveryId : payloadId(item.payload),
        payload: item.payload,
      });
    }
    if (records.length === 0) throw new UserError(`--from ${file} holds no sent delivery (skipped triggers have no payload to replay)`);
    return { kind: 'deliveries', records };
  }
  if (isPayload(data))
    return { kind: 'deliveries', records: [{ trigger: 'payload', method: 'POST', deliveryId: payloadId(data), payload: data }] };
  if (isObject(data) && typeof data['containerimage.digest'] === 'string') {
    const names = typeof data['image.name'] === 'string' ? data['image.name'] : '';
    const references = names
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (references.length === 0)
      throw new UserError(`--from ${file}: the metadata names no image (image.name is empty): pass --image and --tags`);
    return { kind: 'metadata', references, digest: data['containerimage.digest'] };
  }
  throw new UserError(`--from ${file} is neither a deliveries output, a payload, nor buildx metadata (containerimage.digest)`);
}

/** The saved delivery to replay: the only one, or the one named by --trigger. */
export function pickDelivery(records: readonly SavedDelivery[], trigger: string | undefined, file: string): SavedDelivery {
  if (trigger !== undefined) {
    const found = records.find((r) => r.trigger === trigger);
    if (!found)
      throw new UserError(
        `--trigger ${trigger}: ${file} has no delivery of that trigger; it has ${records.map((r) => r.trigger).join(', ')}`,
      );
    return found;
  }
  const [only] = records;
  if (records.length > 1 || !only) {
    throw new UserError(
      `${file} holds ${records.length} deliveries: choose one with --trigger (${records.map((r) => r.trigger).join(', ')})`,
    );
  }
  return only;
}
