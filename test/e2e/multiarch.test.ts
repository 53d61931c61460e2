/**
 * The spine, end to end: the root action's bundle, run as the runner runs it, builds
 * examples/hello for two platforms with real buildx + BuildKit (arm64 under QEMU) and pushes it;
 * the registry's own API then shows what arrived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileInLayer } from '../support/registry-client.js';
import { Job, type StepResult } from '../support/runner.js';
import { imagePlatforms, registryClient, runnerEnv, stack, uniqueRepo } from '../support/stack.js';
import { REPO_ROOT } from '../stack/state.js';

describe('root action: multi-arch build and push', () => {
  const state = stack();
  const repo = uniqueRepo('hello');
  const tag = `${state.registry.host}/${repo}:v1`;
  const job = new Job({ workspace: REPO_ROOT, env: runnerEnv(state) });
  const registry = registryClient(state);
  let step: StepResult;

  beforeAll(async () => {
    step = await job.step('.', {
      context: 'examples/hello',
      platforms: 'linux/amd64,linux/arm64',
      tags: tag,
      push: 'true',
      'build-args': `BASE_IMAGE=${state.baseImage}\nAPP_VERSION=1.0.0`,
    });
  });
  afterAll(() => job.cleanup());

  it('succeeds and sets digest and tags outputs', () => {
    expect(step.stdout).not.toContain('::error');
    expect(step.code).toBe(0);
    expect(step.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(step.outputs.tags).toBe(tag);
  });

  it('pushed an index with exactly linux/amd64 and linux/arm64, whose digest is the output', async () => {
    const index = await registry.manifest(repo, 'v1');
    expect(index?.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index?.digest).toBe(step.outputs.digest);
    const platforms = imagePlatforms(index?.json ?? {}).map((p) => p.platform);
    expect(platforms.sort()).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('each platform image has the right architecture and an artifact built on that platform', async () => {
    const index = await registry.manifest(repo, 'v1');
    const expected: Record<string, { arch: string; uname: string }> = {
      'linux/amd64': { arch: 'amd64', uname: 'x86_64' },
      'linux/arm64': { arch: 'arm64', uname: 'aarch64' },
    };
    for (const { platform, digest } of imagePlatforms(index?.json ?? {})) {
      const manifest = await registry.manifest(repo, digest);
      const config = JSON.parse((await registry.blob(repo, (manifest?.json.config as { digest: string }).digest)).toString()) as {
        architecture: string;
        os: string;
      };
      expect(config.os).toBe('linux');
      expect(config.architecture).toBe(expected[platform]?.arch);
      const layers = manifest?.json.layers as { digest: string }[];
      // The final stage adds exactly one layer on top of the base: the copied artifact.
      const artifact = await registry.blob(repo, layers[layers.length - 1]?.digest ?? '');
      expect(fileInLayer(artifact, 'app/arch')?.toString().trim()).toBe(expected[platform]?.uname);
      expect(fileInLayer(artifact, 'app/www/index.html')?.toString()).toContain('version 1.0.0');
      // Builder pattern: none of the build stage's inputs reach the final image.
      for (const layer of layers) {
        expect(fileInLayer(await registry.blob(repo, layer.digest), 'src/hello.sh')).toBeUndefined();
      }
    }
  });

  it('writes a job summary naming the tag, digest and both platforms', () => {
    expect(step.summary).toContain(tag);
    expect(step.summary).toContain(step.outputs.digest);
    expect(step.summary).toContain('linux/amd64, linux/arm64');
  });
});
