/**
 * npm run demo — the main job on the embedded local stack. Brings the stack up (installing what a
 * new machine lacks), then runs the root action's bundle exactly as a GitHub runner would for a
 * push to main: log in (the runner starts with no registry credentials), plan from
 * examples/hello/acr-ship.yml, build linux/amd64 + linux/arm64 with buildx (arm64 under QEMU),
 * push, and call the redeploy trigger — here a receiver this script runs. Then it runs the same
 * job again to show the second build served from cache. The stack stays up for inspection.
 */
import { execFileSync } from 'node:child_process';
import { errorMessage } from '../src/base/errors.js';
import { up } from '../test/stack/stack.js';
import { REPO_ROOT, statePath } from '../test/stack/state.js';
import { bareDockerConfig, loginEnv } from '../test/support/login/scenario.js';
import { startReceiver } from '../test/support/receiver.js';
import { teardown as removeScratch } from '../test/support/scratch.js';
import { Job, type StepResult } from '../test/support/runner.js';

const say = (line: string): void => void process.stdout.write(line + '\n');

interface BuildOutput {
  tags: string[];
  digest: string;
  cacheHits: string;
  platforms: { platform: string; layers: number; size: number }[];
  deliveries: { trigger: string; result: string; status: number | null }[];
}

function headCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '0123456789abcdef0123456789abcdef01234567';
  }
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

async function main(): Promise<number> {
  say('acr-ship demo: bringing the local stack up (a new machine installs and builds what it lacks)…');
  const t0 = Date.now();
  const { state } = await up((line) => say(`  stack: ${line}`));
  say(
    `  stack ready in ${((Date.now() - t0) / 1000).toFixed(1)}s: registry https://${state.registry.host} (token auth by the ACR emulator), builder ${state.buildkit.builder}`,
  );

  const receiver = await startReceiver();
  const account = state.emulator.accounts[0] as { username: string; password: string };
  const sha = headCommit();
  const image = `${state.registry.host}/demo/hello`;
  const inputs = {
    config: 'examples/hello/acr-ship.yml',
    image,
    'build-args': `BASE_IMAGE=${state.baseImage}`,
    registry: state.registry.host,
    username: account.username,
    password: account.password,
  };
  try {
    for (const label of ['first run', 'second run (same commit)']) {
      // Each run is a fresh runner: no registry credentials until the action logs in.
      const job = new Job({
        workspace: REPO_ROOT,
        env: { ...loginEnv(state, bareDockerConfig(state)), DEMO_TRIGGER_URL: `${receiver.origin}/hook?token=demo-token` },
        event: {
          name: 'push',
          ref: 'refs/heads/main',
          sha,
          payload: { ref: 'refs/heads/main', repository: { full_name: 'acme/hello', default_branch: 'main' } },
        },
      });
      say(`\n▶ ${label}: root action (dist/root.js) — push to main at ${sha.slice(0, 7)}`);
      const started = Date.now();
      let step: StepResult;
      try {
        step = await job.step('.', inputs);
        await job.post(step);
      } finally {
        job.cleanup();
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (step.code !== 0) {
        say(step.stdout);
        say(
          `✗ the action failed: ${
            step.stdout
              .split('\n')
              .filter((l) => l.startsWith('::error'))
              .join(' | ') || step.stderr.trim()
          }`,
        );
        return 1;
      }
      const [build] = JSON.parse(step.outputs.builds ?? '[]') as BuildOutput[];
      if (!build) throw new Error('the action planned no build');
      const [cached, total] = build.cacheHits.split('/');
      say(`  logged in: ${step.outputs['logged-in']}; rule 'main' matched`);
      say(`  pushed:    ${build.tags.join(', ')}`);
      say(`  digest:    ${build.digest}`);
      for (const p of build.platforms) say(`  ${p.platform.padEnd(11)} ${p.layers} layers, ${kib(p.size)} compressed`);
      say(`  cache:     ${cached} of ${total} Dockerfile steps served from cache${cached === total ? ' — nothing was rebuilt' : ''}`);
      say(`  redeploy:  ${build.deliveries.map((d) => `${d.trigger} ${d.result} (HTTP ${d.status ?? '—'})`).join(', ') || 'none'}`);
      say(`  time:      ${seconds}s for the whole step (node start to outputs), post step included`);
    }
    const last = receiver.requests[receiver.requests.length - 1];
    if (last) {
      const payload = JSON.parse(last.body.toString()) as { push_data: { tag: string; pushed_at: string } };
      say(
        `\nThe receiver got ${receiver.requests.length} ACR-format deliveries; the last: tag ${payload.push_data.tag}, pushed_at ${payload.push_data.pushed_at} (UTC+8)`,
      );
    }
  } finally {
    await receiver.close();
  }
  say(`\nThe image is in the local registry: https://${state.registry.host}/v2/demo/hello/tags/list`);
  say(`  (CA ${state.registry.caCert}; account ${account.username}, its password in ${statePath()})`);
  say('Stop the stack with: npm run stack -- down');
  return 0;
}

main()
  .catch((err: unknown) => {
    say(`✗ demo failed: ${errorMessage(err)}`);
    return 1;
  })
  .then((code) => {
    removeScratch();
    process.exit(code);
  });
