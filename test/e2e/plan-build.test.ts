/**
 * plan → build on the local stack: the plan action's outputs feed the build action unchanged, and
 * the registry's own API shows the tags the rules made and the labels the plan set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../stack/state.js';
import { Job, type StepResult } from '../support/runner.js';
import { imagePlatforms, registryClient, runnerEnv, stack, uniqueRepo } from '../support/stack.js';

const SHA = 'd4ef3dc3b77a011a5779eec7efdd45a1b2c3d4e5';

describe('plan action feeding the build action', () => {
  const state = stack();
  const repo = uniqueRepo('planned');
  const image = `${state.registry.host}/${repo}`;
  const job = new Job({
    workspace: REPO_ROOT,
    env: runnerEnv(state),
    event: {
      name: 'push',
      ref: 'refs/heads/release-v1',
      sha: SHA,
      payload: { ref: 'refs/heads/release-v1', repository: { full_name: 'acme/hello', default_branch: 'main' } },
    },
    repository: 'acme/hello',
  });
  const registry = registryClient(state);
  let plan: StepResult;
  let build: StepResult;

  beforeAll(async () => {
    plan = await job.step('plan', { config: 'test/fixtures/rules/hello.yml', image });
    const o = plan.outputs;
    build = await job.step('build', {
      context: o.context ?? '',
      file: o.file ?? '',
      platforms: o.platforms ?? '',
      // The stack's own base image; everything else comes from the rule.
      'build-args': `${o['build-args']}\nBASE_IMAGE=${state.baseImage}`,
      target: o.target ?? '',
      tags: o.tags ?? '',
      labels: o.labels ?? '',
      push: o.push ?? 'false',
    });
  });
  afterAll(() => job.cleanup());

  it('plans the rule: ACR-style version, the rule’s settings', () => {
    expect(plan.code).toBe(0);
    expect(plan.outputs.version).toMatch(/^v1-\d{12}-d4ef3dc3b77a011a5779eec7efdd45$/);
    expect(plan.outputs.tags).toBe(`${image}:${plan.outputs.version}\n${image}:latest`);
    expect(plan.outputs).toMatchObject({
      context: 'examples/hello',
      file: 'examples/hello/Dockerfile',
      platforms: 'linux/amd64',
      'build-args': 'APP_VERSION=1.0.0',
      target: 'runtime',
      push: 'true',
    });
  });

  it('builds and pushes both tags, with the labels the plan made', async () => {
    expect(build.stdout).not.toContain('::error');
    expect(build.code).toBe(0);
    // Both planned tags (the build may add its own, e.g. a registry cache tag).
    expect(await registry.tags(repo)).toEqual(expect.arrayContaining([plan.outputs.version, 'latest']));
    let manifest = await registry.manifest(repo, 'latest');
    // buildx may push an index (with an attestation) even for one platform.
    const [image] = manifest ? imagePlatforms(manifest.json) : [];
    if (image) manifest = await registry.manifest(repo, image.digest);
    const configDigest = (manifest?.json.config as { digest: string } | undefined)?.digest ?? '';
    const config = JSON.parse((await registry.blob(repo, configDigest)).toString()) as { config: { Labels: Record<string, string> } };
    expect(config.config.Labels).toMatchObject({
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': 'https://github.com/acme/hello',
      'org.opencontainers.image.version': plan.outputs.version,
    });
  });
});
