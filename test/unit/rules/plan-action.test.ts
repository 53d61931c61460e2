/**
 * The committed dist/plan.js, run through Job exactly as the runner runs it: inputs as INPUT_*,
 * the GITHUB_* context and event payload, outputs and summary files. The plan needs no registry,
 * so this lives with the unit tests.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Job, type EventSpec, type StepResult } from '../../support/runner.js';
import { HEAD_SHA, IMAGE, SHA } from './helpers.js';

const RULES = `version: 1
image: ${IMAGE}
platforms: [linux/amd64, linux/arm64]
rules:
  - name: release
    type: branch
    match: release-(?<imageTag>\\w*)
    versions: ["\${imageTag}"]
    time: yyyyMMddHHmm
    commit: 30
  - name: any-branch
    type: branch
    match: (?<name>.+)
    versions: ["b-\${name}"]
  - name: prs
    type: pull_request
    match: main
    versions: ["pr-\${pr}"]
`;

const workspaces: string[] = [];
afterAll(() => {
  for (const w of workspaces) rmSync(w, { recursive: true, force: true });
});

function workspace(rules?: string, path = '.github/acr-ship.yml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'acr-ship-plan-'));
  workspaces.push(dir);
  if (rules !== undefined) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), rules);
  }
  return dir;
}

function pushEvent(ref: string, sha = SHA): EventSpec {
  return { name: 'push', ref, sha, payload: { ref, repository: { full_name: 'acme/web', default_branch: 'main', name: 'web' } } };
}

function prEvent(options: { fork: boolean; head?: string }): EventSpec {
  return {
    name: 'pull_request',
    ref: 'refs/pull/42/merge',
    sha: '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f',
    payload: {
      number: 42,
      pull_request: {
        number: 42,
        head: { sha: HEAD_SHA, ref: options.head ?? 'feature/x', repo: { full_name: options.fork ? 'mallory/web' : 'acme/web' } },
        base: { ref: 'main', repo: { full_name: 'acme/web' } },
      },
      repository: { full_name: 'acme/web', default_branch: 'main' },
    },
  };
}

async function runPlan(
  ws: string,
  event: EventSpec,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<StepResult> {
  const job = new Job({ workspace: ws, event, repository: 'acme/web' });
  try {
    return await job.step('plan', inputs, env);
  } finally {
    job.cleanup();
  }
}

const errorLines = (step: StepResult) => step.stdout.split('\n').filter((l) => l.startsWith('::error'));

describe('plan action (dist/plan.js)', () => {
  it('plans the matching rules and sets every output', async () => {
    const step = await runPlan(workspace(RULES), pushEvent('refs/heads/release-v1'), {}, { SOURCE_DATE_EPOCH: '1700000000' });
    expect(errorLines(step)).toEqual([]);
    expect(step.code).toBe(0);
    const { builds } = JSON.parse(step.outputs.builds ?? '') as {
      builds: { rules: string[]; tags: string[]; labels: Record<string, string> }[];
    };
    expect(builds.map((b) => b.rules)).toEqual([['release', 'any-branch']]);
    const tags = builds[0]?.tags ?? [];
    expect(tags[0]).toMatch(new RegExp(`^${IMAGE}:v1-\\d{12}-d4ef3dc3b77a011a5779eec7efdd45$`));
    expect(tags[1]).toBe(`${IMAGE}:b-release-v1`);
    expect(step.outputs.matched).toBe('true');
    // One matrix entry per build and platform, for one runner per platform.
    expect(JSON.parse(step.outputs.matrix ?? '')).toEqual({
      include: [
        { build: 0, platform: 'linux/amd64' },
        { build: 0, platform: 'linux/arm64' },
      ],
    });
    expect(step.outputs.tags).toBe(tags.join('\n'));
    expect(step.outputs.version).toBe(tags[0]?.split(':')[1]);
    // The first build's settings, named as the build action's inputs.
    expect(step.outputs).toMatchObject({
      context: '.',
      file: 'Dockerfile',
      platforms: 'linux/amd64,linux/arm64',
      'build-args': '',
      target: '',
      push: 'true',
    });
    expect(step.outputs.labels?.split('\n')).toEqual([
      'org.opencontainers.image.created=2023-11-14T22:13:20.000Z',
      `org.opencontainers.image.revision=${SHA}`,
      'org.opencontainers.image.source=https://github.com/acme/web',
      'org.opencontainers.image.title=web',
      'org.opencontainers.image.url=https://github.com/acme/web',
      `org.opencontainers.image.version=${step.outputs.version}`,
    ]);
    expect(step.summary).toContain('### acr-ship plan');
    expect(step.summary).toContain("For branch 'release-v1': 1 build.");
    expect(step.summary).toContain(
      `| release, any-branch | <code>${tags[0]}</code><br><code>${tags[1]}</code> | <code>.</code> | <code>Dockerfile</code> | linux/amd64, linux/arm64 | — | yes |`,
    );
    expect(step.stdout).toContain('rules: .github/acr-ship.yml');
  });

  it('annotates every config problem on its file and line, and fails without a stack trace', async () => {
    const bad = RULES.replace('commit: 30', 'commit: 50').replace('yyyyMMddHHmm', 'HHmm').replace('match: main', 'match: "(main"');
    const step = await runPlan(workspace(bad), pushEvent('refs/heads/main'));
    expect(step.code).toBe(1);
    expect(errorLines(step)).toEqual([
      "::error file=.github/acr-ship.yml,line=9::.github/acr-ship.yml:9: rule 'release' field 'time': must be one of yyyyMMdd, yyyyMMddHHmm; got 'HHmm'",
      "::error file=.github/acr-ship.yml,line=10::.github/acr-ship.yml:10: rule 'release' field 'commit': must be true, false or a whole number from 1 to 40; got 50",
      "::error file=.github/acr-ship.yml,line=17::.github/acr-ship.yml:17: rule 'prs' field 'match': invalid regular expression '(main': missing closing ): `(main` (RE2 syntax: no lookaround or backreferences)",
    ]);
    expect(step.stdout + step.stderr).not.toMatch(/\n\s+at /);
    expect(step.outputs).toEqual({});
  });

  it('says so when no rule matches, and is not an error', async () => {
    const step = await runPlan(workspace(RULES), pushEvent('refs/tags/v1.0.0'));
    expect(step.code).toBe(0);
    expect(step.outputs).toEqual({
      builds: '{"builds":[]}',
      matrix: '{"include":[]}',
      matched: 'false',
      tags: '',
      labels: '',
      version: '',
      context: '',
      file: '',
      platforms: '',
      'build-args': '',
      target: '',
      push: 'false',
    });
    expect(step.stdout).toContain("::notice::no rule matches tag 'v1.0.0'");
    expect(step.summary).toContain("For tag 'v1.0.0': no rule applies, nothing to build.");
  });

  it('uses the zero-config defaults with only an image input', async () => {
    const step = await runPlan(workspace(), pushEvent('refs/heads/main'), { image: IMAGE, platforms: 'linux/amd64,linux/arm64' });
    expect(step.code).toBe(0);
    expect(step.outputs.tags).toBe(`${IMAGE}:latest\n${IMAGE}:sha-d4ef3dc`);
    expect(JSON.parse(step.outputs.builds ?? '').builds[0]).toMatchObject({
      rules: ['default'],
      platforms: ['linux/amd64', 'linux/arm64'],
      push: true,
    });
    expect(step.stdout).toContain('rules: none found, using the zero-config defaults');
    // Without platforms the build runs on the builder's default: one matrix entry, platform ''.
    const bare = await runPlan(workspace(), pushEvent('refs/heads/main'), { image: IMAGE });
    expect(JSON.parse(bare.outputs.matrix ?? '')).toEqual({ include: [{ build: 0, platform: '' }] });
  });

  it('reads a rules file from the config input, and fails clearly when it is missing', async () => {
    const ws = workspace(RULES, 'ci/rules.yml');
    expect((await runPlan(ws, pushEvent('refs/heads/dev'), { config: 'ci/rules.yml' })).outputs.tags).toBe(`${IMAGE}:b-dev`);
    const missing = await runPlan(ws, pushEvent('refs/heads/dev'), { config: 'ci/nope.yml' });
    expect(missing.code).toBe(1);
    expect(errorLines(missing)).toEqual([
      `::error::rules file 'ci/nope.yml' does not exist in ${ws}: check the path, or leave it out to use the defaults`,
    ]);
  });

  it('never pushes a fork pull request; a same-repository one pushes, tagged from the head commit', async () => {
    const same = await runPlan(workspace(RULES), prEvent({ fork: false }));
    const fork = await runPlan(workspace(RULES), prEvent({ fork: true }));
    for (const step of [same, fork]) {
      expect(step.code).toBe(0);
      expect(step.outputs.tags).toBe(`${IMAGE}:pr-42`);
      expect(step.outputs.labels).toContain(`org.opencontainers.image.revision=${HEAD_SHA}`);
    }
    expect(JSON.parse(same.outputs.builds ?? '').builds[0].push).toBe(true);
    expect(JSON.parse(fork.outputs.builds ?? '').builds[0].push).toBe(false);
    expect(fork.stdout).toContain('comes from a fork: building without pushing');
    expect(fork.summary).toContain('| no |');
  });

  it('keeps a hostile branch name out of the summary markup', async () => {
    const step = await runPlan(workspace(RULES), prEvent({ fork: true, head: 'x<img src=y>|`**[a](b)' }));
    expect(step.code).toBe(0);
    expect(step.summary).not.toMatch(/<img|\|`|\*\*|\]\(/);
    expect(step.summary).toContain('x&#60;img src&#61;y&#62;&#124;&#96;&#42;&#42;&#91;a&#93;&#40;b&#41;');
  });
});
