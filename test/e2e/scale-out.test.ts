/**
 * Scale-out on the local stack. Split and merge, run as separate processes like separate jobs: a
 * plan job, one root-action job per platform (each on its own fresh buildkitd, as on its own
 * runner) pushing by digest, a merge job writing every planned tag — checked through the
 * registry's own API against a one-builder build of the same plan; a merge with a platform missing
 * writes nothing. Then one job on a two-node builder, each node building its own platform, as
 * their build histories show.
 *
 * Jobs reach the registry through a relay under the machine's host name (startRegistryFront):
 * buildx's own registry client, which writes the merged and the multi-node index, will not speak
 * TLS to a loopback address. Checks read the registry directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/base/exec.js';
import { REPO_ROOT } from '../stack/state.js';
import { startRegistryFront, type Proxy } from '../support/fault-proxy.js';
import { bareDockerConfig, errorLines, loginEnv } from '../support/login/scenario.js';
import { Job, type EventSpec, type StepResult } from '../support/runner.js';
import { extraBuilder, imagePlatforms, registryClient, stack, uniqueRepo } from '../support/stack.js';

const state = stack();
const registry = registryClient(state);
const account = state.emulator.accounts[0] as { username: string; password: string };
let front: Proxy;
beforeAll(async () => {
  front = await startRegistryFront(state);
});
afterAll(async () => {
  await front.close();
});

/** A fresh buildkitd that trusts the front, with a Docker config holding the registry's credentials. */
const runnerBuilder = (name: string) => extraBuilder(name, { registries: [front.host] });
type RunnerBuilder = Awaited<ReturnType<typeof runnerBuilder>>;
const SHA = '9c1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d';
const push = (ref: string): EventSpec => ({
  name: 'push',
  ref,
  sha: SHA,
  payload: { ref, repository: { full_name: 'acme/app', default_branch: 'main', name: 'app' } },
});
const PUSH_MAIN = push('refs/heads/main');
/**
 * Every job of the workflow runs with the same SOURCE_DATE_EPOCH, which makes the builds
 * reproducible (image times from buildx, layer file times by rewrite-timestamp): that is what lets
 * the split result be compared digest for digest with a one-builder build made elsewhere.
 */
const EPOCH = { SOURCE_DATE_EPOCH: '1700000000' };

interface BuildsOutput {
  digest: string;
  pushedByDigest: boolean;
  platforms: { platform: string; digest?: string }[];
}

/** A job on a fresh runner (without credentials unless `env` brings them); removed afterwards. */
async function runJob<T>(env: Record<string, string>, steps: (job: Job) => Promise<T>, event = PUSH_MAIN): Promise<T> {
  const job = new Job({ workspace: REPO_ROOT, env: { ...loginEnv(state, bareDockerConfig(state)), ...EPOCH, ...env }, event });
  try {
    return await steps(job);
  } finally {
    job.cleanup();
  }
}

/** The same, on its own fresh buildkitd (a runner of its own), stopped afterwards. */
async function runBuildJob<T>(name: string, steps: (job: Job, builder: RunnerBuilder) => Promise<T>): Promise<T> {
  const builder = await runnerBuilder(name);
  try {
    return await runJob(builder.env, (job) => steps(job, builder));
  } finally {
    await builder.stop();
  }
}

const credentials = (): Record<string, string> => ({ registry: front.host, username: account.username, password: account.password });

/** A merge job: no builder of its own, credentials only from its login step. */
function mergeJob(inputs: Record<string, string>, event = PUSH_MAIN): Promise<StepResult> {
  return runJob(
    {},
    async (job) => {
      ok(await job.step('login', credentials()));
      return job.step('merge', inputs);
    },
    event,
  );
}

/** Platform → manifest digest of an index's images (attestation manifests left out). */
function platformDigests(index: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(imagePlatforms(index ?? {}).map((p) => [p.platform, p.digest]));
}

function ok(step: StepResult): StepResult {
  expect(errorLines(step)).toEqual([]);
  expect(step.code).toBe(0);
  return step;
}

describe('split and merge: per-platform jobs, then one merge job', () => {
  const repo = uniqueRepo('scale');
  let image: string;
  let planned: string[];
  const platforms = ['linux/amd64', 'linux/arm64'];
  let builds: string;
  /** What each platform job reported: platform → its digest output and its builds entry. */
  const reported: Record<string, { digest: string; manifest: string }> = {};
  let merged: StepResult;

  const merge = (digests: string): Promise<StepResult> => mergeJob({ plan: builds, digests });
  const digestLines = (only = platforms): string => only.map((p) => `${p}=${reported[p]?.digest}`).join('\n');
  const tagsNow = async (): Promise<(string | undefined)[]> =>
    Promise.all(planned.map(async (t) => (await registry.manifest(repo, t.split(':').pop() as string))?.digest));

  beforeAll(async () => {
    image = `${front.host}/${repo}`;
    planned = [`${image}:latest`, `${image}:main-9c1e2d3`];
    // The plan job: computed once, so every later job agrees on the tags.
    const plan = await runJob({}, (job) => job.step('plan', { config: 'test/fixtures/rules/pipeline.yml', image }));
    ok(plan);
    builds = plan.outputs.builds ?? '';
    expect(JSON.parse(plan.outputs.matrix ?? '')).toEqual({ include: platforms.map((platform) => ({ build: 0, platform })) });

    // One job per matrix entry, all at once as a matrix runs. No E2E_DEPLOY_TRIGGER here: a
    // platform job redeploys nothing, so it needs none of the rules file's trigger secrets.
    await Promise.all(
      platforms.map((platform) =>
        runBuildJob(`acr-ship-${platform.replace('/', '-')}-runner`, async (job) => {
          const main = ok(
            await job.step('.', {
              ...credentials(),
              plan: builds,
              'build-index': '0',
              platform,
              'push-by-digest': 'true',
              'build-args': `BASE_IMAGE=${state.baseImage}`,
            }),
          );
          ok(await job.post(main));
          const [entry] = JSON.parse(main.outputs.builds ?? '[]') as BuildsOutput[];
          expect(main.outputs['logged-in']).toBe('true');
          expect(entry).toMatchObject({ digest: main.outputs.digest, pushedByDigest: true });
          expect(entry?.platforms.map((p) => p.platform)).toEqual([platform]);
          reported[platform] = { digest: main.outputs.digest ?? '', manifest: entry?.platforms[0]?.digest ?? '' };
        }),
      ),
    );
  });

  it('platform jobs push by digest only: no planned tag exists before the merge', async () => {
    for (const p of platforms) expect(reported[p]?.manifest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await tagsNow()).toEqual([undefined, undefined]);
    // Each platform job kept its own registry cache instead of overwriting one shared tag.
    expect((await registry.tags(repo)).sort()).toEqual(['buildcache-linux-amd64', 'buildcache-linux-arm64']);
    // What each job pushed is that platform alone.
    for (const p of platforms) {
      expect(Object.keys(platformDigests((await registry.manifest(repo, reported[p]?.digest ?? ''))?.json))).toEqual([p]);
    }
  });

  it('the merge writes every planned tag: one index with exactly the planned platforms, the manifests the jobs pushed', async () => {
    merged = ok(await merge(digestLines()));
    expect(merged.outputs.tags?.split('\n')).toEqual(planned);
    expect(merged.outputs.platforms).toBe('linux/amd64,linux/arm64');
    const index = merged.outputs.digest;
    expect(index).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const tag of planned) {
      const got = await registry.manifest(repo, tag.split(':').pop() as string);
      expect(got?.digest).toBe(index);
      expect(platformDigests(got?.json)).toEqual({
        'linux/amd64': reported['linux/amd64']?.manifest,
        'linux/arm64': reported['linux/arm64']?.manifest,
      });
    }
    expect(merged.summary).toContain('### acr-ship merge');
    expect(merged.summary).toContain(`| Index | ${index} |`);
    // Per platform: the manifest in the index, the digest its job handed on, layers and size.
    expect(merged.summary).toContain(`| linux/arm64 | ${reported['linux/arm64']?.manifest} | ${reported['linux/arm64']?.digest} |`);
  });

  it('the merged index equals a one-builder build of the same plan: same platforms, same per-platform manifests', async () => {
    // Another buildkitd, no cache shared with the platform jobs' builder (cache: none, fresh
    // state): equal digests come from reproducible builds, not from reused cache records.
    await runBuildJob('acr-ship-one-builder', async (job, other) => {
      const one = ok(
        await job.step('.', { plan: builds, 'push-by-digest': 'true', cache: 'none', 'build-args': `BASE_IMAGE=${state.baseImage}` }),
      );
      expect(one.stdout).toContain(`--builder ${other.builder} `);
      const oneBuilder = platformDigests((await registry.manifest(repo, one.outputs.digest ?? ''))?.json);
      const split = platformDigests((await registry.manifest(repo, merged.outputs.digest ?? ''))?.json);
      expect(Object.keys(oneBuilder).sort()).toEqual(platforms);
      expect(split).toEqual(oneBuilder);
    });
  });

  it('a missing platform writes no tag: exit 1, one error line, every tag still points at the earlier index', async () => {
    const before = await tagsNow();
    expect(before).toEqual([merged.outputs.digest, merged.outputs.digest]);

    const missing = await merge(digestLines(['linux/amd64']));
    expect(missing.code).toBe(1);
    expect(errorLines(missing)).toEqual([
      "::error::platform linux/arm64 has no digest in input 'digests' (its job failed or was skipped); no tag was written",
    ]);
    expect(missing.stdout).not.toContain('imagetools create');
    expect(await tagsNow()).toEqual(before);

    // A digest handed on under the wrong platform is refused the same way.
    const swapped = await merge(`linux/amd64=${reported['linux/amd64']?.digest}\nlinux/arm64=${reported['linux/amd64']?.digest}`);
    expect(swapped.code).toBe(1);
    expect(errorLines(swapped)).toEqual([
      `::error::digest ${reported['linux/amd64']?.digest} was handed on as linux/arm64 but its image is linux/amd64; no tag was written`,
    ]);
    expect(await tagsNow()).toEqual(before);
  });
});

describe('split and merge on a release tag: a release tag never moves', () => {
  const repo = uniqueRepo('scale-release');
  const release = push('refs/tags/v1.2.3');
  const digests: Record<string, string> = {};
  let plan: string;

  beforeAll(async () => {
    const image = `${front.host}/${repo}`;
    plan =
      ok(await runJob({}, (job) => job.step('plan', { config: 'test/fixtures/rules/pipeline.yml', image }), release)).outputs.builds ?? '';
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      await runBuildJob(`acr-ship-release-${platform.replace('/', '-')}`, async (job) => {
        const inputs = { plan, platform, 'push-by-digest': 'true', 'build-args': `BASE_IMAGE=${state.baseImage}` };
        digests[platform] = ok(await job.step('.', inputs)).outputs.digest ?? '';
      });
    }
  });

  const merge = (lines: string[], inputs: Record<string, string> = {}): Promise<StepResult> =>
    mergeJob({ plan, digests: lines.join('\n'), ...inputs }, release);
  const tagsNow = async (): Promise<(string | undefined)[]> =>
    Promise.all(['1.2.3', 'latest'].map(async (t) => (await registry.manifest(repo, t))?.digest));

  it('an existing release tag naming another index: exit 1, one error line, no tag moves; the same index again is fine', async () => {
    // An earlier release, amd64 only (platforms given explicitly), made 1.2.3 and latest.
    const earlier = ok(await merge([`linux/amd64=${digests['linux/amd64']}`], { platforms: 'linux/amd64' }));
    expect(await tagsNow()).toEqual([earlier.outputs.digest, earlier.outputs.digest]);

    const both = await merge([`linux/amd64=${digests['linux/amd64']}`, `linux/arm64=${digests['linux/arm64']}`]);
    expect(both.code).toBe(1);
    const lines = errorLines(both);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^::error::release tag ${front.host}/${repo}:1\\.2\\.3 already exists as ${earlier.outputs.digest} — this merge makes sha256:[0-9a-f]{64}: release tags are immutable, so nothing was tagged \\(delete the tag to release it again\\)$`,
      ),
    );
    expect(await tagsNow()).toEqual([earlier.outputs.digest, earlier.outputs.digest]);

    // Merging the same digests again makes the same index: a rerun passes and changes nothing.
    const again = ok(await merge([`linux/amd64=${digests['linux/amd64']}`], { platforms: 'linux/amd64' }));
    expect(again.outputs.digest).toBe(earlier.outputs.digest);
    expect(await tagsNow()).toEqual([earlier.outputs.digest, earlier.outputs.digest]);
  });
});

interface HistoryRecord {
  record?: { FrontendAttrs?: Record<string, string>; Result?: { Results?: Record<string, { digest: string }> } };
}

/** The build records a buildkitd keeps (`buildctl debug histories`), one JSON object per line. */
async function histories(address: string): Promise<HistoryRecord[]> {
  const out = await exec(state.binaries.buildctl, ['--addr', address, 'debug', 'histories', '--format', '{{json .}}']);
  expect(out.code).toBe(0);
  return out.stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as HistoryRecord);
}

describe('two-node builder: one job, each platform on its own buildkitd', () => {
  const repo = uniqueRepo('two-node');
  let amd: RunnerBuilder;
  let arm: RunnerBuilder;
  let main: StepResult;
  let post: StepResult;
  let job: Job;

  beforeAll(async () => {
    amd = await runnerBuilder('acr-ship-node-amd64');
    arm = await runnerBuilder('acr-ship-node-arm64');
    job = new Job({ workspace: REPO_ROOT, env: amd.env, event: PUSH_MAIN });
    main = await job.step('.', {
      context: 'examples/hello',
      platforms: 'linux/amd64,linux/arm64',
      tags: `${front.host}/${repo}:1`,
      cache: 'none',
      'build-args': `BASE_IMAGE=${state.baseImage}`,
      'builder-endpoints': `${amd.address} linux/amd64\n${arm.address} linux/arm64`,
    });
    post = await job.post(main);
  });
  afterAll(async () => {
    job.cleanup();
    await amd.stop();
    await arm.stop();
  });

  it('builds both platforms in one job and pushes one index', async () => {
    ok(main);
    expect(main.stdout).toContain(`with 2 remote node(s): ${amd.address} (linux/amd64); ${arm.address} (linux/arm64)`);
    const index = await registry.manifest(repo, '1');
    expect(index?.digest).toBe(main.outputs.digest);
    expect(Object.keys(platformDigests(index?.json)).sort()).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('each node built exactly its own platform, and its result is that platform in the index', async () => {
    const inIndex = platformDigests((await registry.manifest(repo, '1'))?.json);
    for (const [node, platform] of [
      [amd, 'linux/amd64'],
      [arm, 'linux/arm64'],
    ] as const) {
      // The nodes are fresh: the job's build is the only one they have seen.
      const records = await histories(node.address);
      expect(records.map((r) => r.record?.FrontendAttrs?.platform)).toEqual([platform]);
      // What the node exported (pushed by digest: its image and its provenance) holds that
      // platform's manifest, the one buildx then put in the index.
      const exported = records[0]?.record?.Result?.Results?.['0']?.digest ?? '';
      const own = platformDigests((await registry.manifest(repo, exported))?.json);
      expect(own).toEqual({ [platform]: inIndex[platform] });
    }
  });

  it('the post step removed the builder the job created', async () => {
    const name = main.state.builder ?? '';
    expect(name).toMatch(/^acr-ship-/);
    ok(post);
    expect(post.stdout).toContain(`removed builder '${name}'`);
    const inspect = await exec('docker', ['buildx', 'inspect', name], { env: { ...process.env, ...amd.env } });
    expect(inspect.code).not.toBe(0);
    expect(inspect.stderr).toContain(`no builder "${name}" found`);
  });
});
