/**
 * The redeploy action's committed bundle, run exactly as the runner runs it (test/support/runner),
 * against real receivers on loopback. Needs `npm run build` (npm test checks dist/ is current).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../stack/state.js';
import { Job, type StepResult } from '../../support/runner.js';
import type { Delivery } from '../../../src/redeploy/deliver.js';
import { verifySignature } from '../../../src/redeploy/signature.js';
import { doomed, faultyReceiver } from './faults.js';
import { useReceivers } from '../../support/receiver.js';

const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);
const IMAGE = 'registry.cn-hangzhou.aliyuncs.com/acme/web';
const job = new Job({ workspace: REPO_ROOT });
afterAll(() => job.cleanup());

const receiver = useReceivers();

function errorLines(step: StepResult): string[] {
  return step.stdout.split('\n').filter((l) => l.startsWith('::error'));
}

function deliveries(step: StepResult): Delivery[] {
  return JSON.parse(step.outputs.deliveries ?? 'null') as Delivery[];
}

/** Every place a step writes text a person or a later step could see. */
function everything(step: StepResult): string {
  return [step.stdout, step.stderr, step.summary, ...Object.values(step.outputs), ...Object.values(step.exported)].join('\n');
}

describe('redeploy action', () => {
  it('retries, gives up, and fails the step only after every delivery was attempted', async () => {
    const flaky = await receiver({ status: 503 }, { status: 503 }, { status: 200 });
    const gone = await receiver({ status: 404 });
    const silent = await receiver('hang');
    const step = await job.step('redeploy', {
      webhooks: [
        `${flaky.origin}/a?token=tok-flaky-123456`,
        `${gone.origin}/b?token=tok-gone-123456`,
        `${silent.origin}/c?token=tok-silent-123456`,
      ].join('\n'),
      image: IMAGE,
      tags: 'v1.2.3,latest',
      digest: DIGEST,
      retries: '2',
      timeout: '0.5',
      'retry-delay': '0.05',
    });
    expect(step.code).toBe(1);
    expect(flaky.requests).toHaveLength(3);
    expect(new Set(flaky.requests.map((r) => r.headers['x-acr-ship-delivery'])).size).toBe(1);
    expect(gone.requests).toHaveLength(1);
    expect(silent.requests).toHaveLength(3);
    expect(deliveries(step).map((d) => [d.trigger, d.result, d.status, d.attempts])).toEqual([
      ['webhook-1', 'delivered', 200, 3],
      ['webhook-2', 'failed', 404, 1],
      ['webhook-3', 'failed', null, 3],
    ]);
    expect(errorLines(step)).toEqual([
      `::error::redeploy webhook-2 (${gone.origin}/b) failed: HTTP 404, not retried`,
      `::error::redeploy webhook-3 (${silent.origin}/c) failed: no answer within 0.5 s after 3 attempts`,
    ]);
    expect(step.stdout).toContain('redeploy: 1 delivered, 2 failed, 0 skipped');
    // The summary lists all three with result, status, attempts and time.
    expect(step.summary).toContain('1 delivered, 2 failed, 0 skipped.');
    expect(step.summary).toContain(`| webhook-1 | \`${flaky.origin}/a\` | ✅ delivered (tag \`v1.2.3\`) | 200 | 3 |`);
    expect(step.summary).toContain(`| webhook-2 | \`${gone.origin}/b\` | ❌ failed: HTTP 404, not retried | 404 | 1 |`);
    expect(step.summary).toContain(`| webhook-3 | \`${silent.origin}/c\` | ❌ failed: no answer within 0.5 s after 3 attempts | — | 3 |`);
  });

  it('keeps webhook tokens out of every output except ::add-mask:: lines, and signs what it sends', async () => {
    const r = await receiver({ status: 500 }, { status: 200 });
    const token = 'eyJhbGciOiJSUzI1NiJ9.ack-token-value';
    const secret = 'hmac-key-for-test';
    const step = await job.step('redeploy', {
      webhooks: `${r.origin}/hook/trigger?token=${token}`,
      image: IMAGE,
      tags: `${IMAGE}:v2`,
      digest: DIGEST,
      platforms: 'linux/amd64,linux/arm64',
      secret,
      'retry-delay': '0.05',
    });
    expect(step.code).toBe(0);
    expect(r.requests.map((q) => q.path)).toEqual([`/hook/trigger?token=${token}`, `/hook/trigger?token=${token}`]);
    const last = r.requests[1];
    expect(verifySignature(last?.body ?? '', secret, String(last?.headers['x-acr-ship-signature']))).toBe(true);
    const body = JSON.parse(last?.body.toString() ?? '{}');
    expect(body.push_data).toMatchObject({ tag: 'v2', digest: DIGEST });
    expect(body.repository).toMatchObject({ region: 'cn-hangzhou', namespace: 'acme', name: 'web', repo_full_name: 'acme/web' });
    expect(body.acr_ship).toMatchObject({
      platforms: ['linux/amd64', 'linux/arm64'],
      commit: '3f4c2e1a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e',
      run_url: 'https://github.com/acme/app/actions/runs/1001',
    });

    const leaks = (text: string): string[] =>
      text.split('\n').filter((line) => (line.includes(token) || line.includes(secret)) && !line.startsWith('::add-mask::'));
    expect(leaks(everything(step))).toEqual([]);
    expect(step.stdout).toContain(`::add-mask::${token}`);
    expect(step.stdout).toContain(`::add-mask::${secret}`);
    expect(step.stdout).toContain(`${r.origin}/hook/trigger`);
    expect(deliveries(step)[0]?.url).toBe(`${r.origin}/hook/trigger`);
  });

  it('with fail-on-error false, warns and succeeds', async () => {
    const gone = await receiver({ status: 410 });
    const step = await job.step('redeploy', {
      webhooks: `${gone.origin}/x`,
      image: IMAGE,
      tags: 'v1',
      digest: DIGEST,
      'fail-on-error': 'false',
    });
    expect(step.code).toBe(0);
    expect(errorLines(step)).toEqual([]);
    expect(step.stdout).toContain(`::warning::redeploy webhook-1 (${gone.origin}/x) failed: HTTP 410, not retried`);
    expect(deliveries(step)[0]?.result).toBe('failed');
  });

  it('with no webhook (a fork without secrets), warns and sends nothing', async () => {
    const step = await job.step('redeploy', { webhooks: '', image: IMAGE, tags: 'v1', digest: DIGEST });
    expect(step.code).toBe(0);
    expect(step.stdout).toContain("::warning::input 'webhooks' is empty");
    expect(step.outputs.deliveries).toBe('[]');
  });

  it('rejects bad inputs with one line each, naming the input, never echoing a URL', async () => {
    const step = await job.step('redeploy', {
      webhooks: ['not-a-url?token=SECRET-1-abcdef', 'ftp://files.example/x?token=SECRET-2-abcdef', 'https://ok.example/hook'].join('\n'),
      image: IMAGE,
      tags: 'v1',
      digest: 'sha256:short',
      timeout: '-5',
      retries: 'many',
    });
    expect(step.code).toBe(1);
    expect(errorLines(step)).toEqual([
      "::error::input 'webhooks' entry 1 is not a URL: write the full address, e.g. https://cs.console.aliyun.com/hook/trigger?token=…",
      "::error::input 'webhooks' entry 2 uses ftp:// which acr-ship cannot call: use an http:// or https:// URL",
      "::error::input 'retries' must be a whole number from 0 to 20; got 'many'",
      "::error::input 'timeout' must be a positive number of seconds; got '-5'",
      "::error::input 'digest': 'sha256:short' is not a digest: write sha256:<64 hex digits>",
    ]);
    expect(
      everything(step)
        .split('\n')
        .filter((l) => l.includes('SECRET-') && !l.startsWith('::add-mask::')),
    ).toEqual([]);
  });

  it('reports a fault soak of 200 webhooks: every delivery accounted for, failures as seeded', async () => {
    const { receiver: faulty, seen } = await faultyReceiver();
    try {
      const step = await job.step('redeploy', {
        webhooks: Array.from({ length: 200 }, (_, i) => `${faulty.origin}/hook/${i}?token=soak-token-123456`).join('\n'),
        image: IMAGE,
        tags: 'v1',
        digest: DIGEST,
        retries: '3',
        'retry-delay': '0.005',
      });
      const records = deliveries(step);
      expect(records).toHaveLength(200);
      // Delivery ids are random here; the receiver's seeded choices say which had to fail.
      const expected = doomed(seen.keys(), 4);
      const failed = records.filter((d) => d.result === 'failed');
      expect(failed.map((d) => d.deliveryId).sort()).toEqual(expected);
      for (const d of failed) expect([d.attempts, seen.get(d.deliveryId ?? '')?.requests]).toEqual([4, 4]);
      for (const d of records.filter((r) => r.result === 'delivered')) expect(seen.get(d.deliveryId ?? '')?.requests).toBe(d.attempts);
      expect(step.stdout).toContain(`redeploy: ${200 - expected.length} delivered, ${expected.length} failed, 0 skipped`);
      expect(errorLines(step)).toHaveLength(expected.length);
      expect(step.code).toBe(expected.length > 0 ? 1 : 0);
    } finally {
      await faulty.close();
    }
  });
});
