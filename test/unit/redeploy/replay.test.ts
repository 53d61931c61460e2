import { describe, expect, it } from 'vitest';
import { parseReplayFile, pickDelivery } from '../../../src/redeploy/replay.js';

const DIGEST = 'sha256:' + '12'.repeat(32);
const PAYLOAD = {
  push_data: { digest: DIGEST, pushed_at: '2025-01-01 08:00:00', tag: 'v1' },
  repository: { name: 'web' },
  acr_ship: { delivery_id: 'from-payload' },
};

describe('replay sources', () => {
  it('reads a deliveries output, keeping ids and methods and leaving out skipped triggers', () => {
    const source = parseReplayFile(
      JSON.stringify([
        { trigger: 'prod', method: 'GET', deliveryId: 'd-1', payload: PAYLOAD },
        { trigger: 'staging', result: 'skipped', payload: null },
      ]),
      'd.json',
    );
    expect(source).toEqual({ kind: 'deliveries', records: [{ trigger: 'prod', method: 'GET', deliveryId: 'd-1', payload: PAYLOAD }] });
  });

  it('reads a single logged payload, with the id it carries', () => {
    expect(parseReplayFile(JSON.stringify(PAYLOAD), 'p.json')).toEqual({
      kind: 'deliveries',
      records: [{ trigger: 'payload', method: 'POST', deliveryId: 'from-payload', payload: PAYLOAD }],
    });
  });

  it("reads buildx's metadata file", () => {
    const text = JSON.stringify({ 'containerimage.digest': DIGEST, 'image.name': 'r.example/a/b:v1, r.example/a/b:latest' });
    expect(parseReplayFile(text, 'm.json')).toEqual({
      kind: 'metadata',
      references: ['r.example/a/b:v1', 'r.example/a/b:latest'],
      digest: DIGEST,
    });
  });

  it('says what it expected, in one line', () => {
    expect(() => parseReplayFile('{not json', 'x.json')).toThrow('--from x.json is not JSON');
    expect(() => parseReplayFile('{"a":1}', 'x.json')).toThrow(
      '--from x.json is neither a deliveries output, a payload, nor buildx metadata',
    );
    expect(() => parseReplayFile('[{"trigger":"t","payload":null}]', 'x.json')).toThrow('holds no sent delivery');
    expect(() => parseReplayFile(JSON.stringify({ 'containerimage.digest': DIGEST }), 'x.json')).toThrow('pass --image and --tags');
  });

  it('picks the one delivery, or the named one', () => {
    const records = [
      { trigger: 'prod', method: 'POST' as const, deliveryId: 'a', payload: PAYLOAD as never },
      { trigger: 'staging', method: 'POST' as const, deliveryId: 'b', payload: PAYLOAD as never },
    ];
    expect(pickDelivery(records, 'staging', 'f').deliveryId).toBe('b');
    expect(pickDelivery(records.slice(0, 1), undefined, 'f').deliveryId).toBe('a');
    expect(() => pickDelivery(records, 'nope', 'f')).toThrow('--trigger nope: f has no delivery of that trigger; it has prod, staging');
  });
});
