/**
 * The root action end to end, as a repository would run it: a rules file, credentials as
 * inputs, a runner with no stored credentials, a redeploy receiver — on a push to main, a
 * release tag (and its rerun), a same-repository pull request, a fork's pull request, and a
 * dry run. What happened is read back from the registry and the receiver themselves.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../stack/state.js';
import { bareDockerConfig, knownSecrets, loginEnv, secretHits } from '../support/login/scenario.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { Job, type EventSpec, type StepResult } from '../support/runner.js';
import { imagePlatforms, registryClient, stack, uniqueRepo } from '../support/stack.js';

const state = stack();
const SHA = '5f2c1a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a';
const repoPayload = { full_name: 'acme/app', default_branch: 'main', name: 'app' };

function event(name: string, ref: string, payload: Record<string, unknown> = {}): EventSpec {
  return { name, ref, sha: SHA, payload: { ref, repository: repoPayload, ...payload } };
}

function pullRequest(number: number, fromFork: boolean): EventSpec {
  const head = { sha: 'c'.repeat(40), ref: 'feature/login', repo: { full_name: fromFork ? 'stranger/app' : 'acme/app' } };
  return event('pull_request', `refs/pull/${number}/merge`, { number, pull_request: { number, head, base: { ref: 'main' } } });
}

function errors(step: StepResult): string[] {
  return step.stdout.split('\n').filter((l) => l.startsWith('::error'));
}

describe('root action pipeline', () => {
  const repo = uniqueRepo('pipeline');
  const image = `${state.registry.host}/${repo}`;
  const account = state.emulator.accounts[0] as { username: string; password: string };
  const credentials = { registry: state.registry.host, username: account.username, password: account.password };
  const base = { config: 'test/fixtures/rules/pipeline.yml', image, 'build-args': `BASE_IMAGE=${state.baseImage}` };
  const logs: string[] = [];
  let receiver: Receiver;
  const registry = registryClient(state);

  /** One job per scenario, as GitHub gives each workflow run a fresh runner. */
  async function run(spec: EventSpec, inputs: Record<string, string>): Promise<{ main: StepResult; post: StepResult; job: Job }> {
    const dockerConfig = bareDockerConfig(state);
    const job = new Job({
      workspace: REPO_ROOT,
      env: { ...loginEnv(state, dockerConfig), E2E_DEPLOY_TRIGGER: `${receiver.origin}/hook?token=e2e-trigger-token` },
      event: spec,
    });
    const main = await job.step('.', { ...base, ...inputs });
    const post = await job.post(main);
    logs.push(main.stdout, main.stderr, main.summary, post.stdout, post.stderr);
    job.cleanup();
    return { main, post, job };
  }

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('on a push to main: logs in, builds both platforms, pushes latest and main-<sha>, redeploys once, logs out', async () => {
    const { main, post } = await run(event('push', 'refs/heads/main'), credentials);
    expect(errors(main)).toEqual([]);
    expect(main.code).toBe(0);
    expect(main.outputs['logged-in']).toBe('true');
    expect(main.outputs.tags?.split('\n')).toEqual([`${image}:latest`, `${image}:main-5f2c1a9`]);
    const index = await registry.manifest(repo, 'latest');
    expect(index?.digest).toBe(main.outputs.digest);
    expect((await registry.manifest(repo, 'main-5f2c1a9'))?.digest).toBe(main.outputs.digest);
    expect(
      imagePlatforms(index?.json ?? {})
        .map((p) => p.platform)
        .sort(),
    ).toEqual(['linux/amd64', 'linux/arm64']);

    const builds = JSON.parse(main.outputs.builds ?? '[]') as {
      digest: string;
      platforms: { platform: string; size: number; layers: number }[];
      deliveries: { result: string }[];
      cacheHits: string;
    }[];
    expect(builds).toHaveLength(1);
    expect(builds[0]?.digest).toBe(main.outputs.digest);
    expect(builds[0]?.platforms.every((p) => p.size > 0 && p.layers > 0)).toBe(true);
    expect(builds[0]?.deliveries).toEqual([expect.objectContaining({ result: 'delivered' })]);

    // One delivery for the build, not one per tag; the regex filter passes `latest` only.
    expect(receiver.requests).toHaveLength(1);
    const payload = JSON.parse(receiver.requests[0]?.body.toString() ?? '{}') as { push_data: { tag: string; digest: string } };
    expect(payload.push_data).toMatchObject({ tag: 'latest', digest: main.outputs.digest });

    // One summary: the plan (which rule matched), the build with sizes, the webhook, the time per phase.
    expect(main.summary).toContain('### acr-ship plan');
    expect(main.summary).toContain('| main |');
    expect(main.summary).toMatch(/\| linux\/arm64 \| sha256:[0-9a-f]{12}… \| \d+ \| [\d.]+ (KiB|MiB) \|/);
    expect(main.summary).toContain('### acr-ship redeploy');
    expect(main.summary).toMatch(/plan [\d.]+ s · login [\d.]+ s · build and push [\d.]+ s · redeploy [\d.]+ s/);

    // The post step removed the job's Docker config.
    expect(post.code).toBe(0);
    expect(existsSync(main.exported.DOCKER_CONFIG ?? '/nonexistent')).toBe(false);
  });

  let release: string;
  it('on a release tag: pushes the version and latest', async () => {
    const { main } = await run(event('push', 'refs/tags/v1.2.3'), credentials);
    expect(errors(main)).toEqual([]);
    expect(main.outputs.tags?.split('\n')).toEqual([`${image}:1.2.3`, `${image}:latest`]);
    release = main.outputs.digest ?? '';
    expect((await registry.manifest(repo, '1.2.3'))?.digest).toBe(release);
    expect((await registry.manifest(repo, 'latest'))?.digest).toBe(release);
  });

  it('rerunning the release never overwrites it: the step fails and no tag moves', async () => {
    const { main } = await run(event('push', 'refs/tags/v1.2.3'), credentials);
    expect(main.code).toBe(1);
    const lines = errors(main);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`release tag ${image}:1.2.3 already exists as ${release}`);
    expect(lines[0]).toContain('nothing was tagged');
    expect((await registry.manifest(repo, '1.2.3'))?.digest).toBe(release);
    expect((await registry.manifest(repo, 'latest'))?.digest).toBe(release);
  });

  it('a same-repository pull request pushes pr-<n> because the rule says so', async () => {
    const before = receiver.requests.length;
    const { main } = await run(pullRequest(42, false), credentials);
    expect(errors(main)).toEqual([]);
    expect(main.outputs['logged-in']).toBe('true');
    expect(main.outputs.tags).toBe(`${image}:pr-42`);
    expect((await registry.manifest(repo, 'pr-42'))?.digest).toBe(main.outputs.digest);
    // The trigger's filter passes no pr- tag: skipped, not sent.
    expect(receiver.requests.length).toBe(before);
  });

  it('a fork pull request gets no secrets: no login, no push, and the step is still green', async () => {
    // A fork's run has empty secrets: the credential inputs arrive empty.
    const { main } = await run(pullRequest(43, true), { registry: state.registry.host, username: '', password: '' });
    expect(errors(main)).toEqual([]);
    expect(main.code).toBe(0);
    expect(main.outputs['logged-in']).toBe('false');
    expect(main.stdout).toContain('comes from a fork: building without pushing');
    const builds = JSON.parse(main.outputs.builds ?? '[]') as { pushed: boolean; tags: string[] }[];
    expect(builds[0]).toMatchObject({ pushed: false, tags: [`${image}:pr-43`] });
    expect(main.stdout).toContain(`::notice::skipping login to ${state.registry.host}: this pull request comes from a fork`);
    expect(await registry.tags(repo)).not.toContain('pr-43');
  });

  it('dry run: shows tags, platforms, cache and attestations, masks the webhook, builds nothing', async () => {
    const tagsBefore = await registry.tags(repo);
    const { main } = await run(event('push', 'refs/tags/v2.0.0'), { ...credentials, 'dry-run': 'true' });
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('dry run: nothing was built, pushed or sent');
    expect(main.stdout).toContain(`tag \`${image}:2.0.0\` (release tag: will not be overwritten)`);
    expect(main.stdout).toContain('platforms: linux/amd64, linux/arm64');
    expect(main.stdout).toContain(`cache: registry at ${image}:buildcache`);
    expect(main.stdout).toContain('attestations: provenance=mode=min');
    expect(main.stdout).toMatch(/deploy: POST http:\/\/127\.0\.0\.1:\d+\/hook \(/);
    expect(main.stdout).not.toContain('docker buildx build');
    expect(await registry.tags(repo)).toEqual(tagsBefore);
  });

  it('no secret reached any log, summary or output', async () => {
    const hits = secretHits(logs, await knownSecrets(state, ['e2e-trigger-token']));
    expect(hits).toEqual([]);
  });
});
