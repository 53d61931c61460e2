/**
 * The build action on a runner whose current builder is the Docker engine's own (`docker`
 * driver), as on a GitHub-hosted runner without setup-buildx: `load: true` into the engine, and
 * the switch to a `docker-container` builder for what the engine cannot do (several platforms).
 * A real dockerd, isolated, started and stopped here. The BuildKit image for the container builder
 * is assembled from the stack's own binaries (no Docker Hub) and loaded into that engine.
 */
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/base/exec.js';
import { cacheDir } from '../stack/install.js';
import { run } from '../stack/shell.js';
import { startDockerDaemon, privilegedContainersWork, type DockerDaemon } from '../support/docker-daemon.js';
import { Job, type StepResult } from '../support/runner.js';
import { scratchDir } from '../support/scratch.js';
import { runnerEnv, stack } from '../support/stack.js';

const state = stack();
const BUILDKIT_IMAGE = 'acr-ship-e2e/buildkit:v0.33.1';

/** A context that needs no registry: busybox for each platform, and a RUN on the target platform. */
function scratchContext(): string {
  const dir = scratchDir('engine-ctx-');
  for (const arch of ['amd64', 'arm64']) {
    mkdirSync(join(dir, `rootfs-${arch}`, 'bin'), { recursive: true });
    copyFileSync(join(cacheDir(), 'busybox', arch, 'bin', 'busybox'), join(dir, `rootfs-${arch}`, 'bin', 'busybox'));
  }
  writeFileSync(
    join(dir, 'Dockerfile'),
    'FROM scratch\nARG TARGETARCH\nCOPY rootfs-${TARGETARCH}/ /\nRUN ["/bin/busybox", "sh", "-c", "/bin/busybox uname -m > /arch"]\n',
  );
  return dir;
}

/** A BuildKit image like moby/buildkit's, from the binaries the stack built, loaded into the engine. */
async function loadBuildkitImage(engine: DockerDaemon): Promise<void> {
  const ctx = scratchDir('buildkit-image-');
  const rootfs = join(ctx, 'rootfs');
  for (const d of ['usr/bin', 'lib/x86_64-linux-gnu', 'lib64', 'tmp', 'run']) mkdirSync(join(rootfs, d), { recursive: true });
  copyFileSync(state.binaries.buildkitd, join(rootfs, 'usr/bin/buildkitd'));
  copyFileSync(state.binaries.buildctl, join(rootfs, 'usr/bin/buildctl'));
  // runc from Debian, with the libraries it links.
  copyFileSync('/usr/sbin/runc', join(rootfs, 'usr/bin/runc'));
  for (const lib of ['libseccomp.so.2', 'libc.so.6'])
    copyFileSync(`/lib/x86_64-linux-gnu/${lib}`, join(rootfs, 'lib/x86_64-linux-gnu', lib));
  copyFileSync('/lib64/ld-linux-x86-64.so.2', join(rootfs, 'lib64/ld-linux-x86-64.so.2'));
  writeFileSync(
    join(ctx, 'Dockerfile'),
    'FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/bin\nVOLUME /var/lib/buildkit\nENTRYPOINT ["buildkitd"]\n',
  );
  const tar = join(ctx, 'image.tar');
  await run(
    'docker',
    [
      'buildx',
      'build',
      '--builder',
      state.buildkit.builder,
      '--platform',
      'linux/amd64',
      '--progress',
      'quiet',
      '--output',
      `type=docker,name=${BUILDKIT_IMAGE},dest=${tar}`,
      ctx,
    ],
    {
      env: { ...process.env, ...runnerEnv(state) },
    },
  );
  await run('docker', ['load', '-i', tar], { env: { ...process.env, DOCKER_HOST: engine.host } });
}

describe('build on the Docker engine’s own builder', () => {
  let engine: DockerDaemon;
  let job: Job;
  let env: Record<string, string>;
  const context = scratchContext();

  beforeAll(async () => {
    engine = await startDockerDaemon();
    await loadBuildkitImage(engine);
    // A runner's Docker config: the buildx plugin and no builders, so the current builder is the engine's.
    const dockerConfig = scratchDir('engine-docker-config-');
    mkdirSync(join(dockerConfig, 'cli-plugins'));
    symlinkSync(state.binaries.buildx, join(dockerConfig, 'cli-plugins', 'docker-buildx'));
    env = { DOCKER_HOST: engine.host, DOCKER_CONFIG: dockerConfig };
    job = new Job({ workspace: context, env });
  });
  afterAll(async () => {
    job?.cleanup();
    await engine?.stop();
  });

  const docker = (args: string[]) => exec('docker', args, { env: { ...process.env, ...env } });
  const errorLines = (step: StepResult) => step.stdout.split('\n').filter((l) => l.startsWith('::error'));

  it('load: true puts the image into the engine, built for the platform asked', async () => {
    const step = await job.step('build', {
      context: '.',
      platforms: 'linux/arm64',
      tags: 'acr-ship-e2e/loaded:1',
      load: 'true',
      cache: 'none',
    });
    expect(errorLines(step)).toEqual([]);
    expect(step.code).toBe(0);
    expect(step.stdout).toContain("builder 'default' (docker)");
    // Docker's own builder makes no attestations: none are asked for.
    expect(step.stdout).toContain("attestations: buildx's default (the docker driver makes none)");
    const inspect = await docker(['image', 'inspect', 'acr-ship-e2e/loaded:1', '--format', '{{.Os}}/{{.Architecture}} {{.Id}}']);
    expect(inspect.code).toBe(0);
    const [platform, id] = inspect.stdout.trim().split(' ');
    expect(platform).toBe('linux/arm64');
    expect(step.outputs.imageid).toBe(id);
  });

  it('two platforms: a docker-container builder is made for the run and removed afterwards — or, where containers cannot run privileged, the step says so and leaves nothing behind', async () => {
    const step = await job.step('build', {
      context: '.',
      platforms: 'linux/amd64,linux/arm64',
      'buildkit-image': BUILDKIT_IMAGE,
      cache: 'none',
    });
    const created = /creating builder '(acr-ship-[\w-]+)' \(docker-container, acr-ship-e2e\/buildkit:v0\.33\.1\)/.exec(step.stdout)?.[1];
    expect(step.stdout).toContain("the 'default' builder (docker driver) cannot build 2 platforms at once");
    expect(created).toBeDefined();
    if (await privilegedContainersWork(engine.host, BUILDKIT_IMAGE)) {
      expect(errorLines(step)).toEqual([]);
      expect(step.outputs.platforms).toBe('linux/amd64,linux/arm64');
      expect(step.state.builder).toBe(created);
      const post = await job.post(step);
      expect(post.stdout).toContain(`removed builder '${created}'`);
    } else {
      // This machine's capability bounding set forbids privileged containers, which BuildKit needs.
      expect(step.code).toBe(1);
      const errors = errorLines(step);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`builder '${created}' is not usable`);
    }
    // Either way, no builder and no BuildKit container of ours is left.
    expect((await docker(['buildx', 'ls'])).stdout).not.toContain(created);
    expect((await docker(['ps', '-a', '--format', '{{.Names}}'])).stdout).not.toContain(created);
  });
});
