/**
 * A bad environment ends the step with one line that names the problem and the fix:
 * a builder that cannot run arm64, a registry that does not answer, paths that do not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../stack/processes.js';
import { REPO_ROOT } from '../stack/state.js';
import { Job, type StepResult } from '../support/runner.js';
import { extraBuilder, registryClient, runnerEnv, stack } from '../support/stack.js';

function errorLines(step: StepResult): string[] {
  return step.stdout.split('\n').filter((l) => l.startsWith('::error'));
}

describe('environment errors', () => {
  const state = stack();
  const base = { context: 'examples/hello', 'build-args': `BASE_IMAGE=${state.baseImage}` };

  describe('a remote builder (over TCP) without arm64 emulation', () => {
    let builder: Awaited<ReturnType<typeof extraBuilder>>;
    let job: Job;
    beforeAll(async () => {
      builder = await extraBuilder('acr-ship-no-emu', { withoutEmulation: true, overTcp: true });
      job = new Job({ workspace: REPO_ROOT, env: builder.env });
    });
    afterAll(async () => {
      job.cleanup();
      await builder.stop();
    });

    it('fails before building, in one line naming the platform and the fix', async () => {
      const step = await job.step('build', {
        ...base,
        platforms: 'linux/amd64,linux/arm64',
        tags: `${state.registry.host}/e2e/noemu:1`,
        push: 'true',
      });
      expect(step.code).toBe(1);
      const errors = errorLines(step);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('platform linux/arm64 cannot be built');
      expect(errors[0]).toContain('update-binfmts --enable qemu-aarch64');
      // A builder reached over the network is asked what it can build before anything starts.
      expect(step.stdout).not.toContain('docker buildx build');
      expect(await registryClient().tags('e2e/noemu')).not.toContain('1');
    });

    it('still builds the platform it has', async () => {
      const step = await job.step('build', {
        ...base,
        platforms: 'linux/amd64',
        tags: `${state.registry.host}/e2e/noemu:amd64`,
        push: 'true',
      });
      expect(errorLines(step)).toEqual([]);
      expect(step.code).toBe(0);
    });
  });

  describe('with the stack builder', () => {
    const job = new Job({ workspace: REPO_ROOT, env: runnerEnv(state) });
    afterAll(() => job.cleanup());

    it('names the address of a registry that does not answer', async () => {
      const port = await freePort();
      const step = await job.step('build', { ...base, platforms: 'linux/amd64', tags: `127.0.0.1:${port}/acme/web:1`, push: 'true' });
      expect(step.code).toBe(1);
      const errors = errorLines(step);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`registry 127.0.0.1:${port} is unreachable`);
    });

    it('names a Dockerfile that does not exist', async () => {
      const step = await job.step('build', { ...base, file: 'examples/hello/Dockerfile.missing' });
      expect(step.code).toBe(1);
      expect(errorLines(step)).toEqual(["::error::input 'file': Dockerfile 'examples/hello/Dockerfile.missing' does not exist"]);
    });

    it('names a platform BuildKit does not know', async () => {
      const step = await job.step('build', { ...base, platforms: 'linux/amd64,linux/arm65' });
      expect(step.code).toBe(1);
      expect(errorLines(step)).toHaveLength(1);
      expect(errorLines(step)[0]).toContain("'linux/arm65' is not a platform");
    });

    it('names a build-args line that is not KEY=VALUE', async () => {
      const step = await job.step('build', { ...base, 'build-args': 'GOOD=1\nBROKEN' });
      expect(step.code).toBe(1);
      expect(errorLines(step)).toEqual(["::error::input 'build-args': 'BROKEN' is not KEY=VALUE"]);
    });
  });
});
