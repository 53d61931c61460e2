/**
 * The build action on real parts: registry cache across builders, transient registry faults,
 * a registry that refuses cache manifests, build secrets, builders we create and remove.
 */
import { createHash } from 'node:crypto';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/base/exec.js';
import { REPO_ROOT } from '../stack/state.js';
import { REFUSE_CACHE_MANIFESTS, startHttpFaultProxy, startTcpResetProxy } from '../support/fault-proxy.js';
import { Job, type StepResult } from '../support/runner.js';
import { extraBuilder, imagePlatforms, registryClient, runnerEnv, stack, stepOnFreshBuilder, uniqueRepo } from '../support/stack.js';
import { scratchDir } from '../support/scratch.js';

const state = stack();
const hello = { context: 'examples/hello', 'build-args': `BASE_IMAGE=${state.baseImage}` };

function lines(step: StepResult, prefix: string): string[] {
  return step.stdout.split('\n').filter((l) => l.startsWith(prefix));
}

/** RUN vertices that executed rather than coming from cache ("#N [..] RUN …" then "#N DONE"). */
function runsExecuted(step: StepResult): string[] {
  const out = step.stdout.split('\n');
  const runs = new Map<string, string>();
  for (const l of out) {
    const m = /^(#\d+) (\[.*\] RUN .*)$/.exec(l);
    if (m) runs.set(m[1] as string, m[2] as string);
  }
  return [...runs].filter(([n]) => out.includes(`${n} DONE`) || out.some((l) => l.startsWith(`${n} DONE `))).map(([, name]) => name);
}

describe('build: registry cache survives a builder with no local state', () => {
  const repo = uniqueRepo('cache');
  const tag = `${state.registry.host}/${repo}:1`;
  let cold: StepResult;
  let warm: StepResult;

  it('a cold build on a fresh builder executes every step and exports the cache', async () => {
    cold = await stepOnFreshBuilder('acr-ship-cache-a', 'build', {
      ...hello,
      platforms: 'linux/amd64,linux/arm64',
      tags: tag,
      push: 'true',
    });
    expect(lines(cold, '::error')).toEqual([]);
    expect(cold.outputs['cache-hits']).toBe('0/8');
    expect(cold.stdout).toContain(`cache: registry at ${state.registry.host}/${repo}:buildcache`);
    expect(await registryClient().manifest(repo, 'buildcache')).toBeDefined();
  });

  it('the same build on another fresh builder takes every step from the registry cache; no RUN executes', async () => {
    warm = await stepOnFreshBuilder('acr-ship-cache-b', 'build', {
      ...hello,
      platforms: 'linux/amd64,linux/arm64',
      tags: tag,
      push: 'true',
    });
    expect(lines(warm, '::error')).toEqual([]);
    expect(warm.outputs['cache-hits']).toBe('8/8');
    expect(runsExecuted(warm)).toEqual([]);
    expect(runsExecuted(cold)).toHaveLength(2);
  });
});

describe('build: a local cache directory (self-hosted runners with a persistent disk)', () => {
  it('is exported, rotated into place, and serves a fresh builder every step', async () => {
    const dir = join(scratchDir('local-cache-'), 'cache');
    const inputs = { ...hello, platforms: 'linux/amd64', cache: 'local', 'cache-dir': dir, push: 'false' };
    const cold = await stepOnFreshBuilder('acr-ship-local-a', 'build', inputs);
    expect(lines(cold, '::error')).toEqual([]);
    expect(cold.outputs['cache-hits']).toBe('0/4');
    // The export went to <dir>-new and replaced <dir>, so the directory never grows without bound.
    expect(existsSync(join(dir, 'index.json'))).toBe(true);
    expect(existsSync(`${dir}-new`)).toBe(false);
    const warm = await stepOnFreshBuilder('acr-ship-local-b', 'build', inputs);
    expect(lines(warm, '::error')).toEqual([]);
    expect(warm.outputs['cache-hits']).toBe('4/4');
    expect(runsExecuted(warm)).toEqual([]);
  });
});

describe('build: transient registry faults', () => {
  it('a TCP proxy resetting the first two connections: BuildKit retries, the log shows it, the push succeeds', async () => {
    const proxy = await startTcpResetProxy(state, 2);
    const repo = uniqueRepo('reset');
    try {
      const step = await stepOnFreshBuilder(
        'acr-ship-reset',
        'build',
        {
          ...hello,
          platforms: 'linux/amd64',
          tags: `${proxy.host}/${repo}:1`,
          push: 'true',
          cache: 'none',
        },
        { registries: [proxy.host] },
      );
      expect(lines(step, '::error')).toEqual([]);
      expect(step.code).toBe(0);
      expect(proxy.injected).toEqual(['reset connection', 'reset connection']);
      expect(step.stdout).toMatch(/#\d+ [\d.]+ error: .*connection reset/);
      expect(step.stdout).toMatch(/#\d+ [\d.]+ retrying in 1s/);
      expect(lines(step, '::warning::registry requests failed 2 time(s) and BuildKit retried them')).toHaveLength(1);
      expect(step.summary).toContain('2 registry request retries by BuildKit');
      expect((await registryClient().manifest(repo, '1'))?.digest).toBe(step.outputs.digest);
    } finally {
      await proxy.close();
    }
  });

  it("a fault that outlasts BuildKit's own retries: the whole build is retried and succeeds", async () => {
    const proxy = await startHttpFaultProxy(state, { failManifestPuts: { count: 10, status: 503 } });
    const repo = uniqueRepo('unavailable');
    try {
      const step = await stepOnFreshBuilder(
        'acr-ship-503',
        'build',
        {
          ...hello,
          platforms: 'linux/amd64',
          tags: `${proxy.host}/${repo}:1`,
          push: 'true',
          cache: 'none',
          retries: '2',
        },
        { registries: [proxy.host] },
      );
      expect(lines(step, '::error')).toEqual([]);
      expect(step.code).toBe(0);
      const retry = lines(step, '::warning::build attempt 1 of 3 failed: transient registry or network fault');
      expect(retry).toHaveLength(1);
      expect(retry[0]).toContain(`${proxy.host}`);
      expect(step.summary).toContain('1 whole-build retry');
      expect((await registryClient().manifest(repo, '1'))?.digest).toBe(step.outputs.digest);
    } finally {
      await proxy.close();
    }
  });

  it('an auth denial is not retried', async () => {
    const job = new Job({ workspace: REPO_ROOT, env: { ...runnerEnv(), DOCKER_CONFIG: emptyDockerConfig() } });
    try {
      const step = await job.step('build', {
        ...hello,
        platforms: 'linux/amd64',
        tags: `${state.registry.host}/${uniqueRepo('denied')}:1`,
        push: 'true',
        cache: 'none',
        builder: state.buildkit.builder,
      });
      expect(step.code).toBe(1);
      expect(lines(step, '::warning::build attempt')).toEqual([]);
      const errors = lines(step, '::error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`registry ${state.registry.host} refused the credentials`);
    } finally {
      job.cleanup();
    }
  });
});

describe('build: a registry that refuses cache manifests (as ACR Personal Edition does)', () => {
  it('pushes the image, stays green, and warns about the cache export', async () => {
    const proxy = await startHttpFaultProxy(state, { rejectManifest: REFUSE_CACHE_MANIFESTS });
    const repo = uniqueRepo('refuse');
    try {
      const step = await stepOnFreshBuilder(
        'acr-ship-refuse',
        'build',
        {
          ...hello,
          platforms: 'linux/amd64',
          tags: `${proxy.host}/${repo}:1`,
          push: 'true',
          cache: 'registry',
        },
        { registries: [proxy.host] },
      );
      expect(lines(step, '::error')).toEqual([]);
      expect(step.code).toBe(0);
      expect(proxy.injected).toEqual([`reject PUT /v2/${repo}/manifests/buildcache`]);
      const warnings = lines(step, '::warning::cache export failed; the image itself was built and pushed');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('use cache: inline');
      expect((await registryClient().manifest(repo, '1'))?.digest).toBe(step.outputs.digest);
      expect(await registryClient().manifest(repo, 'buildcache')).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });
});

describe('build: secrets, push: false, pull-request cache and created builders', () => {
  const job = new Job({ workspace: REPO_ROOT, env: runnerEnv() });
  afterAll(() => job.cleanup());

  it('passes secrets as files, masks them, and never prints them', async () => {
    const secret = 'ship-it-s3cr3t-value';
    const sha = (v: string): string => createHash('sha256').update(v).digest('hex');
    const step = await job.step(
      'build',
      {
        context: 'test/fixtures/contexts/secret',
        'build-args': `BASE_IMAGE=${state.baseImage}\nTOKEN_SHA256=${sha(secret)}\nFROMENV_SHA256=${sha('env-secret-value')}`,
        platforms: 'linux/amd64',
        secrets: `token=${secret}`,
        'secret-envs': 'fromenv=ACR_SHIP_TEST_SECRET',
        'no-cache': 'true',
      },
      { ACR_SHIP_TEST_SECRET: 'env-secret-value' },
    );
    expect(lines(step, '::error')).toEqual([]);
    expect(step.code).toBe(0);
    expect(step.stdout).toContain(`::add-mask::${secret}`);
    const leaks = (step.stdout + step.stderr + step.summary + JSON.stringify(step.outputs))
      .split('\n')
      .filter((l) => l.includes(secret) && !l.startsWith('::add-mask::'));
    expect(leaks).toEqual([]);
    // The Dockerfile's RUN checks both secrets' digests and fails otherwise.
    expect(step.stdout).toMatch(/#\d+ [\d.]+ secrets ok/);
  });

  it('push: false builds without pushing anything', async () => {
    const repo = uniqueRepo('nopush');
    const step = await job.step('build', { ...hello, platforms: 'linux/amd64', tags: `${state.registry.host}/${repo}:1`, push: 'false' });
    expect(step.code).toBe(0);
    expect(await registryClient().tags(repo)).toEqual([]);
  });

  it('a pull-request build reads the cache but does not write it', async () => {
    const prJob = new Job({
      workspace: REPO_ROOT,
      env: runnerEnv(),
      event: {
        name: 'pull_request',
        ref: 'refs/pull/7/merge',
        sha: 'b'.repeat(40),
        payload: {
          pull_request: { number: 7, head: { sha: 'c'.repeat(40), ref: 'f', repo: { full_name: 'acme/app' } }, base: { ref: 'main' } },
        },
      },
    });
    try {
      const repo = uniqueRepo('prcache');
      const step = await prJob.step('build', {
        ...hello,
        platforms: 'linux/amd64',
        tags: `${state.registry.host}/${repo}:pr-7`,
        push: 'true',
      });
      expect(step.code).toBe(0);
      expect(step.stdout).toContain('(read-only: untrusted ref)');
      expect(step.stdout).toContain('--cache-from type=registry');
      expect(step.stdout).not.toContain('--cache-to');
    } finally {
      prJob.cleanup();
    }
  });

  it('builder-endpoints make a builder for this run, removed by the post step', async () => {
    const remote = await extraBuilder('acr-ship-endpoint-source');
    try {
      const step = await job.step('build', { ...hello, platforms: 'linux/amd64', 'builder-endpoints': `${remote.address} linux/amd64` });
      expect(lines(step, '::error')).toEqual([]);
      const created = /created builder '(acr-ship-[\w-]+)'/.exec(step.stdout)?.[1];
      expect(created).toBeDefined();
      expect(step.state.builder).toBe(created);
      const env = { ...process.env, ...runnerEnv() };
      expect((await exec('docker', ['buildx', 'ls'], { env })).stdout).toContain(created);
      const post = await job.post(step);
      expect(post.code).toBe(0);
      expect(post.stdout).toContain(`removed builder '${created}'`);
      expect((await exec('docker', ['buildx', 'ls'], { env })).stdout).not.toContain(created);
    } finally {
      await remote.stop();
    }
  });
});

describe('build: the report', () => {
  it('lists each platform with its layers and compressed size read back from the registry', async () => {
    const job = new Job({ workspace: REPO_ROOT, env: runnerEnv() });
    const repo = uniqueRepo('report');
    try {
      const step = await job.step('build', {
        ...hello,
        platforms: 'linux/amd64,linux/arm64',
        tags: `${state.registry.host}/${repo}:1`,
        push: 'true',
      });
      expect(step.code).toBe(0);
      const index = await registryClient().manifest(repo, '1');
      for (const { platform, digest } of imagePlatforms(index?.json ?? {})) {
        const row = step.summary.split('\n').find((l) => l.startsWith(`| ${platform} |`));
        expect(row).toBeDefined();
        const [, , manifest, layers, size] = (row as string).split('|').map((c) => c.trim());
        expect(digest.startsWith((manifest as string).replace('…', ''))).toBe(true);
        expect(Number(layers)).toBeGreaterThan(0);
        expect(size).toMatch(/^[\d.]+ (KiB|MiB)$/);
      }
      expect(step.stdout).toMatch(/linux\/arm64 +\d+ layers +[\d.]+ (KiB|MiB) +sha256:/);
    } finally {
      job.cleanup();
    }
  });
});

/** The stack's docker config (plugins, builders) without any registry credentials. */
function emptyDockerConfig(): string {
  const dir = scratchDir('nocreds-');
  for (const sub of ['cli-plugins', 'buildx']) symlinkSync(join(state.dockerConfig, sub), join(dir, sub));
  writeFileSync(join(dir, 'config.json'), '{}');
  return dir;
}
