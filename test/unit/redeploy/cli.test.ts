/** `node dist/cli.js redeploy`: send from a terminal and replay a missed delivery, byte for byte. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exec } from '../../../src/base/exec.js';
import { REPO_ROOT } from '../../stack/state.js';
import type { Delivery } from '../../../src/redeploy/deliver.js';
import { verifySignature } from '../../../src/redeploy/signature.js';
import { useReceivers } from '../../support/receiver.js';

const DIGEST = 'sha256:' + '9f'.repeat(32);
const IMAGE = 'registry.cn-beijing.aliyuncs.com/acme/api';
const dir = mkdtempSync(join(tmpdir(), 'acr-ship-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const receiver = useReceivers();

function cli(args: string[], env: Record<string, string> = {}): ReturnType<typeof exec> {
  return exec(process.execPath, [join(REPO_ROOT, 'dist/cli.js'), 'redeploy', ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
}

describe('redeploy CLI', () => {
  it('sends a build and prints the deliveries; a replay of them resends the same bytes and delivery id', async () => {
    const first = await receiver();
    const sent = await cli([
      '--webhook',
      `${first.origin}/hook?token=cli-token-123456`,
      '--image',
      IMAGE,
      '--tags',
      'v3,latest',
      '--digest',
      DIGEST,
    ]);
    expect(sent.code).toBe(0);
    expect(sent.stderr).not.toContain('cli-token-123456');
    expect(sent.stdout).not.toContain('cli-token-123456');
    const records = JSON.parse(sent.stdout) as Delivery[];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ result: 'delivered', tag: 'v3', url: `${first.origin}/hook` });

    // The receiver that missed it gets the very same body and id.
    const missed = await receiver({ status: 502 }, { status: 200 });
    const file = join(dir, 'deliveries.json');
    writeFileSync(file, sent.stdout);
    const again = await cli(['--from', file, '--webhook', `${missed.origin}/other`, '--retry-delay', '0.05']);
    expect(again.code).toBe(0);
    expect(missed.requests).toHaveLength(2);
    expect(missed.requests[1]?.body.equals(first.requests[0]?.body ?? Buffer.alloc(0))).toBe(true);
    expect(missed.requests[1]?.headers['x-acr-ship-delivery']).toBe(records[0]?.deliveryId);
    expect(again.stderr).toContain(`replaying webhook's delivery ${records[0]?.deliveryId}`);
  });

  it("builds a payload from buildx's metadata file, signed with a key from the environment", async () => {
    const r = await receiver();
    const file = join(dir, 'metadata.json');
    writeFileSync(file, JSON.stringify({ 'containerimage.digest': DIGEST, 'image.name': `${IMAGE}:v4,${IMAGE}:latest` }));
    const result = await cli(['--from', file, '--webhook-env', 'HOOK_URL', '--secret-env', 'HOOK_KEY', '--platforms', 'linux/amd64'], {
      HOOK_URL: `${r.origin}/m`,
      HOOK_KEY: 'cli-hmac-key',
    });
    expect(result.code).toBe(0);
    const [req] = r.requests;
    expect(verifySignature(req?.body ?? '', 'cli-hmac-key', String(req?.headers['x-acr-ship-signature']))).toBe(true);
    const body = JSON.parse(req?.body.toString() ?? '{}');
    expect(body.push_data).toMatchObject({ tag: 'v4', digest: DIGEST });
    expect(body.repository).toMatchObject({ region: 'cn-beijing', repo_full_name: 'acme/api' });
    expect(body.acr_ship).toMatchObject({ tags: ['v4', 'latest'], platforms: ['linux/amd64'] });
  });

  it('asks which delivery to replay when the file holds several', async () => {
    const file = join(dir, 'two.json');
    const payload = { push_data: { digest: DIGEST, pushed_at: '2025-01-01 08:00:00', tag: 'v1' }, repository: {} };
    writeFileSync(
      file,
      JSON.stringify([
        { trigger: 'prod', payload },
        { trigger: 'staging', payload },
      ]),
    );
    const result = await cli(['--from', file, '--webhook', 'http://127.0.0.1:9/x']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`error: ${file} holds 2 deliveries: choose one with --trigger (prod, staging)`);
  });

  it('exits 1 when a delivery failed, with the record saying why', async () => {
    const r = await receiver({ status: 403 });
    const result = await cli(['--webhook', `${r.origin}/`, '--image', IMAGE, '--tags', 'v1', '--digest', DIGEST]);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as Delivery[])[0]).toMatchObject({ result: 'failed', status: 403, error: 'HTTP 403, not retried' });
  });

  it('rejects bad flags in one line each', async () => {
    const result = await cli(['--webhook', 'ftp://h.example/x?token=FTP-SECRET-123', '--tags', 'v1', '--digest', 'nope', '--timeout=-1']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'error: --webhook 1 uses ftp:// which acr-ship cannot call: use an http:// or https:// URL',
      "error: --timeout must be a positive number of seconds; got '-1'",
      'error: --image is required when --tags lists bare tags, e.g. registry.cn-hangzhou.aliyuncs.com/acme/web',
      "error: --digest: 'nope' is not a digest: write sha256:<64 hex digits>",
    ]);
    const unknown = await cli(['--webhok', 'x']);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain("Unknown option '--webhok'");
  });
});
