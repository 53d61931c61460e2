/**
 * npm run demo — the main job on the embedded local stack: brings the stack up (installing what a
 * new machine lacks), runs the root action's bundle on examples/hello for linux/amd64 and
 * linux/arm64 exactly as a GitHub runner would, prints what was pushed, then runs it again to show
 * the second build served from cache. The stack stays up so the image can be inspected.
 */
import { errorMessage } from '../src/base/errors.js';
import { up } from '../test/stack/stack.js';
import { stackEnv, REPO_ROOT } from '../test/stack/state.js';
import { Job, type StepResult } from '../test/support/runner.js';

const say = (line: string): void => void process.stdout.write(line + '\n');

function errors(step: StepResult): string[] {
  return step.stdout.split('\n').filter((l) => l.startsWith('::error'));
}

async function main(): Promise<number> {
  say('acr-ship demo: bringing the local stack up (a new machine installs and builds what it lacks)…');
  const t0 = Date.now();
  const { state } = await up((line) => say(`  stack: ${line}`));
  say(
    `  stack ready in ${((Date.now() - t0) / 1000).toFixed(1)}s: registry https://${state.registry.host}, builder ${state.buildkit.builder}`,
  );

  const image = `${state.registry.host}/demo/hello`;
  const inputs = {
    context: 'examples/hello',
    platforms: 'linux/amd64,linux/arm64',
    tags: `${image}:latest\n${image}:1.0.0`,
    push: 'true',
    'build-args': `BASE_IMAGE=${state.baseImage}\nAPP_VERSION=1.0.0`,
  };
  const job = new Job({ workspace: REPO_ROOT, env: stackEnv(state) });
  try {
    for (const [i, label] of ['first build', 'second build (same inputs)'].entries()) {
      say(`\n▶ ${label}: root action (dist/root.js) on examples/hello for linux/amd64 + linux/arm64`);
      const started = Date.now();
      const step = await job.step('.', inputs);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (step.code !== 0) {
        say(step.stdout);
        say(`✗ the action failed: ${errors(step).join(' | ') || step.stderr.trim()}`);
        return 1;
      }
      const [cached, total] = (step.outputs['cache-hits'] ?? '0/0').split('/');
      say(`  pushed:    ${step.outputs.tags?.split('\n').join(', ')}`);
      say(`  digest:    ${step.outputs.digest}`);
      say(`  platforms: ${step.outputs.platforms}`);
      say(
        `  cache:     ${cached} of ${total} Dockerfile steps served from cache${i === 1 && cached === total ? ' — nothing was rebuilt' : ''}`,
      );
      say(`  time:      ${seconds}s (whole step, node start to outputs)`);
    }
  } finally {
    job.cleanup();
  }
  say(`\nThe image is in the local registry: https://${image.replace(/\/demo\//, '/v2/demo/')}/tags/list`);
  say(
    `  (CA ${state.registry.caCert}; user ${state.registry.username}; password in ${process.env.ACR_SHIP_STACK_STATE ?? '.stack/state.json'})`,
  );
  say('Stop the stack with: npm run stack -- down');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`✗ demo failed: ${errorMessage(err)}`);
    process.exit(1);
  },
);
