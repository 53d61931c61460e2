/** `node dist/cli.js plan …`: the committed bundle, with a clean environment. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../stack/state.js';
import { Job } from '../../support/runner.js';
import { ACR_EXAMPLE, ACR_VERSION, HEAD_SHA, IMAGE, SHA } from './helpers.js';

const ws = mkdtempSync(join(tmpdir(), 'acr-ship-cli-'));
afterAll(() => rmSync(ws, { recursive: true, force: true }));
mkdirSync(join(ws, '.github'));
writeFileSync(
  join(ws, '.github', 'acr-ship.yml'),
  `${ACR_EXAMPLE}  - name: api
    type: branch
    match: main
    context: services/api
    versions: [latest]
    build-args: {JAVA_VERSION: "17"}
    platforms: [linux/amd64, linux/arm64]
  - name: prs
    type: pull_request
    match: main
    versions: ["pr-\${pr}-\${sha:7}"]
`,
);
writeFileSync(
  join(ws, 'bad.yml'),
  'version: 1\nrules:\n  - name: r\n    type: branch\n    match: "("\n    versions: ["${x}"]\n    commit: 99\n',
);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Run {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'plan', ...args], {
    cwd: ws,
    // Only what the test gives: no GITHUB_* from the machine running the tests.
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const json = (run: Run) => JSON.parse(run.stdout) as { builds: Record<string, unknown>[] };

describe('plan CLI', () => {
  it("prints ACR's example as one JSON object, with --now fixing the clock", () => {
    const run = cli(['--ref', 'refs/heads/release-v1', '--sha', SHA, '--now', '2020-10-15T16:25:00+08:00']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(json(run)).toEqual({
      builds: [
        {
          rules: ['release'],
          context: '.',
          file: 'Dockerfile',
          platforms: [],
          buildArgs: {},
          target: null,
          tags: [`${IMAGE}:${ACR_VERSION}`],
          labels: {
            'org.opencontainers.image.created': '2020-10-15T08:25:00.000Z',
            'org.opencontainers.image.revision': SHA,
            'org.opencontainers.image.version': ACR_VERSION,
          },
          push: true,
          // A branch build: nothing in it names a release.
          releaseTags: [],
        },
      ],
    });
  });

  it('reads the standard GITHUB_* variables, as the action does', () => {
    const run = cli([], {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: SHA,
      GITHUB_REPOSITORY: 'acme/web',
      SOURCE_DATE_EPOCH: '0',
    });
    expect(run.code).toBe(0);
    const [build] = json(run).builds;
    expect(build).toMatchObject({
      rules: ['api'],
      context: 'services/api',
      file: 'services/api/Dockerfile',
      buildArgs: { JAVA_VERSION: '17' },
    });
    expect(build?.labels).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/acme/web',
      'org.opencontainers.image.created': '1970-01-01T00:00:00.000Z',
    });
  });

  it('prints the same JSON as the action’s builds output', async () => {
    const env = { SOURCE_DATE_EPOCH: '1700000000' };
    const job = new Job({
      workspace: ws,
      repository: 'acme/web',
      event: { name: 'push', ref: 'refs/heads/main', sha: SHA, payload: { repository: { full_name: 'acme/web', default_branch: 'main' } } },
    });
    try {
      const step = await job.step('plan', {}, env);
      const run = cli([], { ...env, GITHUB_REF: 'refs/heads/main', GITHUB_SHA: SHA, GITHUB_REPOSITORY: 'acme/web' });
      expect(run.stdout.trim()).toBe(step.outputs.builds);
    } finally {
      job.cleanup();
    }
  });

  it('prints {"builds":[]} and exits 0 when nothing matches', () => {
    const run = cli(['--ref', 'refs/tags/v1.0.0', '--sha', SHA]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('{"builds":[]}\n');
    expect(run.stderr).toBe("note: no rule matches tag 'v1.0.0'\n");
  });

  it('plans a pull request from the event payload: base branch, head commit, fork flag', () => {
    const event = join(ws, 'pr.json');
    const payload = (fork: boolean) => ({
      pull_request: {
        number: 7,
        head: { sha: HEAD_SHA, ref: 'feature', repo: { full_name: fork ? 'mallory/web' : 'acme/web' } },
        base: { ref: 'main' },
      },
    });
    const env = {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REF: 'refs/pull/7/merge',
      GITHUB_SHA: SHA,
      GITHUB_REPOSITORY: 'acme/web',
      GITHUB_EVENT_PATH: event,
    };
    writeFileSync(event, JSON.stringify(payload(false)));
    const same = json(cli([], env)).builds[0];
    expect(same).toMatchObject({ tags: [`${IMAGE}:pr-7-9a8b7c6`], push: true });
    writeFileSync(event, JSON.stringify(payload(true)));
    expect(json(cli([], env)).builds[0]).toMatchObject({ tags: [`${IMAGE}:pr-7-9a8b7c6`], push: false });
  });

  it('uses the zero-config defaults with --image when there is no rules file', () => {
    const empty = mkdtempSync(join(tmpdir(), 'acr-ship-cli-empty-'));
    try {
      const result = spawnSync(
        process.execPath,
        [join(REPO_ROOT, 'dist', 'cli.js'), 'plan', '--image', IMAGE, '--ref', 'refs/tags/v1.2.3', '--sha', SHA],
        {
          cwd: empty,
          env: { PATH: process.env.PATH ?? '' },
          encoding: 'utf8',
        },
      );
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout).builds[0].tags).toEqual([`${IMAGE}:1.2.3`, `${IMAGE}:1.2`, `${IMAGE}:1`, `${IMAGE}:latest`]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reports every config problem on stderr, one line each, and exits non-zero', () => {
    const run = cli(['--config', 'bad.yml', '--ref', 'refs/heads/main']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      "error: bad.yml:5: rule 'r' field 'match': invalid regular expression '(': missing closing ): `(` (RE2 syntax: no lookaround or backreferences)",
      "error: bad.yml:7: rule 'r' field 'commit': must be true, false or a whole number from 1 to 40; got 99",
    ]);
  });

  it.each([
    [
      ['--now', 'tomorrow'],
      "error: --now: 'tomorrow' is not an ISO-8601 time with a zone; write e.g. 2020-10-15T16:25:00+08:00 or 2020-10-15T08:25:00Z",
    ],
    [['--now', '2020-10-15T16:25:00'], "error: --now: '2020-10-15T16:25:00' is not an ISO-8601 time with a zone"],
    [['--ref', 'main'], 'error: --ref: give a full ref, e.g. refs/heads/main or refs/tags/main'],
    [['--sha', 'xyz', '--ref', 'refs/heads/main'], "error: --sha: 'xyz' is not a commit SHA (4 to 64 hex digits)"],
    [['--event', 'pull_request', '--ref', 'refs/pull/1/merge'], 'error: a pull_request event needs its payload to plan'],
    [['--colour'], "error: plan: Unknown option '--colour'"],
    [[], 'error: no ref to plan for: pass --ref refs/heads/<branch> (or refs/tags/<tag>), or set GITHUB_REF'],
    [['--image', 'acme/web:latest', '--ref', 'refs/heads/x'], "error: --image: 'acme/web:latest' has a tag or digest"],
  ])('rejects %j in one line', (args, message) => {
    const run = cli(args);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stderr).toContain(message);
  });

  it('has --help', () => {
    const run = cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('usage: node dist/cli.js plan');
  });
});
