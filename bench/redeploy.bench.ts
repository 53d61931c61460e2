/**
 * The redeploy action's cold start to one landed delivery: the committed bundle run as the runner
 * runs it, posting to a receiver on loopback. What a workflow pays for the step beyond the
 * receiver's own time.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REPO_ROOT } from '../test/stack/state.js';
import { Job } from '../test/support/runner.js';
import type { Benchmark } from './cases.js';
import { fmtStats, measure } from './harness.js';

const TARGET_MS = 250;

export const redeployColdStart: Benchmark = {
  name: 'redeploy action: cold start to one delivery',
  run: async () => {
    let received = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received++;
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const job = new Job({ workspace: REPO_ROOT });
    try {
      const inputs = {
        webhooks: `http://127.0.0.1:${port}/hook?token=bench-token-123456`,
        image: 'registry.cn-hangzhou.aliyuncs.com/acme/web',
        tags: 'v1',
        digest: 'sha256:' + 'ab'.repeat(32),
      };
      const s = await measure(
        async () => {
          const step = await job.step('redeploy', inputs);
          if (step.code !== 0) throw new Error(`redeploy step failed: ${step.stdout}`);
        },
        15,
        2,
      );
      return [
        {
          name: 'redeploy action: cold start to one delivery',
          value: fmtStats(s),
          target: `median < ${TARGET_MS} ms`,
          met: s.median < TARGET_MS,
          note: `${received} deliveries received`,
        },
      ];
    } finally {
      job.cleanup();
      server.closeAllConnections();
      server.close();
    }
  },
};
