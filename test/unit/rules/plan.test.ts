import { describe, expect, it } from 'vitest';
import {
  ACR_EXAMPLE,
  ACR_TIME,
  ACR_VERSION,
  HEAD_SHA,
  IMAGE,
  SHA,
  errorsOf,
  load,
  plan,
  pullRequest,
  push,
  rulesFile,
  tagsOf,
} from './helpers.js';

describe('planBuilds: ACR build rules', () => {
  it("reproduces ACR's documented example exactly", () => {
    const p = plan(load(ACR_EXAMPLE), push('refs/heads/release-v1'));
    expect(tagsOf(p)).toEqual([[`${IMAGE}:${ACR_VERSION}`]]);
    expect(p.version).toBe(ACR_VERSION);
    expect(p.builds[0]).toMatchObject({ rules: ['release'], context: '.', file: 'Dockerfile', target: null, push: true });
  });

  it("reproduces ACR's appendix example: several named groups in one template", () => {
    const config = load(
      rulesFile(`  - name: numbered
    type: branch
    match: release-(?<major>\\d*)-(?<minor>\\d*)-(?<version>\\d*)
    versions: ["\${major}.\${minor}.\${version}"]
`),
    );
    expect(tagsOf(plan(config, push('refs/heads/release-11-2-10')))).toEqual([[`${IMAGE}:11.2.10`]]);
  });

  it('appends time and commit in ACR order, each optional', () => {
    const config = load(
      rulesFile(`  - {name: t, type: branch, match: main, versions: [a], time: yyyyMMdd}
  - {name: c, type: branch, match: main, versions: [b], commit: true}
  - {name: tc, type: branch, match: main, versions: [c], time: yyyyMMddHHmm, commit: 8}
`),
    );
    expect(tagsOf(plan(config, push('refs/heads/main')))).toEqual([
      [`${IMAGE}:a-20201015`, `${IMAGE}:b-d4ef3d`, `${IMAGE}:c-202010151625-d4ef3dc3`],
    ]);
  });

  it('matches the whole name, not a part of it', () => {
    const config = load(rulesFile('  - {name: r, type: branch, match: release, versions: [x]}\n'));
    expect(plan(config, push('refs/heads/release')).builds).toHaveLength(1);
    expect(plan(config, push('refs/heads/release-v1')).builds).toEqual([]);
    expect(plan(config, push('refs/heads/pre-release')).builds).toEqual([]);
  });

  it('keeps branch and tag rules apart', () => {
    const config = load(
      rulesFile(`  - {name: b, type: branch, match: 'v.*', versions: ['branch-\${branch}']}
  - {name: t, type: tag, match: 'v(?<v>.*)', versions: ['\${v}', 'tag-\${tag}']}
`),
    );
    expect(tagsOf(plan(config, push('refs/tags/v1.2.3')))).toEqual([[`${IMAGE}:1.2.3`, `${IMAGE}:tag-v1.2.3`]]);
    expect(tagsOf(plan(config, push('refs/heads/v1')))).toEqual([[`${IMAGE}:branch-v1`]]);
  });

  it('renders ${sha} and length slices such as ${sha:8}', () => {
    const config = load(rulesFile("  - {name: s, type: branch, match: main, versions: ['${sha}', 'git-${sha:8}', '${branch:2}']}\n"));
    expect(tagsOf(plan(config, push('refs/heads/main')))).toEqual([[`${IMAGE}:${SHA}`, `${IMAGE}:git-d4ef3dc3`, `${IMAGE}:ma`]]);
  });

  it('passes build settings through and sets OCI labels from the run alone', () => {
    const config = load(
      rulesFile(`  - name: api
    type: branch
    match: main
    context: services/api
    dockerfile: Dockerfile.prod
    versions: [latest]
    build-args: {JAVA_VERSION: "17"}
    platforms: [linux/amd64, linux/arm64]
    target: runtime
`),
    );
    const [build] = plan(config, push('refs/heads/main')).builds;
    expect(build).toEqual({
      rules: ['api'],
      context: 'services/api',
      file: 'services/api/Dockerfile.prod',
      platforms: ['linux/amd64', 'linux/arm64'],
      buildArgs: { JAVA_VERSION: '17' },
      target: 'runtime',
      tags: [`${IMAGE}:latest`],
      labels: {
        'org.opencontainers.image.created': '2020-10-15T08:25:00.000Z',
        'org.opencontainers.image.revision': SHA,
        'org.opencontainers.image.source': 'https://github.com/acme/web',
        'org.opencontainers.image.title': 'web',
        'org.opencontainers.image.url': 'https://github.com/acme/web',
        'org.opencontainers.image.version': 'latest',
      },
      push: true,
      releaseTags: [],
    });
  });

  it('honours SOURCE_DATE_EPOCH for the created label (and only there)', () => {
    const p = plan(load(ACR_EXAMPLE), push('refs/heads/release-v1'), { sourceDateEpoch: '1700000000' });
    expect(p.builds[0]?.labels['org.opencontainers.image.created']).toBe('2023-11-14T22:13:20.000Z');
    // The time suffix is the push time, as in ACR, not the reproducible-build epoch.
    expect(p.version).toBe(ACR_VERSION);
    expect(errorsOf(() => plan(load(ACR_EXAMPLE), push('refs/heads/release-v1'), { sourceDateEpoch: 'yesterday' }))).toEqual([
      "SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, e.g. 1700000000; got 'yesterday'",
    ]);
  });

  it('tags every image: the file images, or a rule’s own', () => {
    const config = load(`images: [${IMAGE}, ghcr.io/acme/web]
rules:
  - {name: both, type: branch, match: main, versions: [latest]}
  - {name: own, type: branch, match: main, versions: [edge], image: registry.cn-shanghai.aliyuncs.com/acme/web}
`);
    expect(tagsOf(plan(config, push('refs/heads/main')))).toEqual([
      [`${IMAGE}:latest`, 'ghcr.io/acme/web:latest', 'registry.cn-shanghai.aliyuncs.com/acme/web:edge'],
    ]);
  });

  it('uses the image input where the file names none, and says so up front when there is none', () => {
    const config = load('rules:\n  - {name: r, type: tag, match: x, versions: [a]}\n');
    expect(tagsOf(plan(config, push('refs/heads/main'), { images: ['acme/web'] }))).toEqual([]);
    expect(tagsOf(plan(config, push('refs/tags/x'), { images: ['acme/web'] }))).toEqual([['acme/web:a']]);
    // Even on a ref the rule does not match: the problem is in the setup, not the ref.
    expect(errorsOf(() => plan(config, push('refs/heads/main')))).toEqual([
      ".github/acr-ship.yml:2: rule 'r': no image to tag: set 'image:' in the rules file or the 'image' input, e.g. registry.cn-hangzhou.aliyuncs.com/acme/web",
    ]);
  });

  it('plans nothing, without error, when no rule matches', () => {
    const p = plan(load(ACR_EXAMPLE), push('refs/heads/main'));
    expect(p).toEqual({ builds: [], version: '', against: "branch 'main'", notes: ["no rule matches branch 'main'"] });
  });

  it('plans nothing for refs that are neither branch, tag nor pull request', () => {
    const p = plan(load(ACR_EXAMPLE), push('refs/notes/commits'));
    expect(p.builds).toEqual([]);
    expect(p.notes).toEqual(["nothing to plan: ref 'refs/notes/commits' is not a branch, tag or pull request"]);
  });

  it('says which rule and template gives an empty tag', () => {
    const config = load(rulesFile("  - {name: r, type: branch, match: 'release-(?<t>.*)', versions: ['${t}']}\n"));
    expect(errorsOf(() => plan(config, push('refs/heads/release-')))).toEqual([
      ".github/acr-ship.yml:4: rule 'r' field 'versions[0]': '${t}' gives an empty tag for branch 'release-'; make the template produce text (e.g. a literal prefix) or narrow 'match'",
    ]);
    expect(errorsOf(() => plan(config, push('refs/heads/release-//..')))[0]).toContain('gives an empty tag');
  });

  it('needs a commit SHA only when a matched rule uses one', () => {
    const config = load(ACR_EXAMPLE);
    expect(errorsOf(() => plan(config, push('refs/heads/release-v1', { sha: '' })))[0]).toBe(
      ".github/acr-ship.yml:4: rule 'release': needs the commit SHA (${sha} or commit:), but none is known; set GITHUB_SHA or pass --sha",
    );
    const noSha = plan(load(rulesFile('  - {name: r, type: branch, match: main, versions: [x]}\n')), push('refs/heads/main', { sha: '' }));
    expect(noSha.builds[0]?.labels['org.opencontainers.image.revision']).toBeUndefined();
  });
});

describe('planBuilds: sanitizing what branch and tag names put into tags', () => {
  const config = load(rulesFile("  - {name: any, type: branch, match: '(?<name>.*)', versions: ['${name}']}\n"));
  const version = (branch: string) => plan(config, push(`refs/heads/${branch}`)).version;

  it.each([
    ['feature/login-fix', 'feature-login-fix'],
    ['feature-#5', 'feature--5'],
    ['.hidden', 'hidden'],
    ['--x', 'x'],
    ['-.-a.b', 'a.b'],
    ['Ünïcode/✓', 'n-code--'],
    ['a;rm -rf $HOME`x`', 'a-rm--rf--HOME-x-'],
    ['😀smile', 'smile'],
  ])('%s → %s', (branch, expected) => {
    expect(version(branch)).toBe(expected);
  });

  it('cuts to 128 characters, keeping the time and commit suffixes', () => {
    const long = load(rulesFile("  - {name: l, type: branch, match: '(?<n>.*)', versions: ['${n}'], time: yyyyMMdd, commit: 8}\n"));
    const v = plan(long, push(`refs/heads/${'x'.repeat(300)}`)).version;
    expect(v).toHaveLength(128);
    expect(v.endsWith('-20201015-d4ef3dc3')).toBe(true);
  });

  it('produces only valid tags for hostile names', () => {
    const hostile = ['$(curl evil)', '"; echo pwned', 'a\tb', '../../etc/passwd', '${{ secrets.X }}', 'ﬁx', 'x'.repeat(1000)];
    for (const name of hostile) {
      const p = plan(config, push(`refs/heads/${name}`));
      for (const tag of p.builds.flatMap((b) => b.tags)) expect(tag).toMatch(/^[^:]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
    }
  });
});

describe('planBuilds: pull requests', () => {
  const config = load(
    rulesFile(`  - name: pr
    type: pull_request
    match: main
    versions: ["pr-\${pr}", "\${branch}", "\${base}-\${sha:7}"]
  - name: never-push
    type: pull_request
    match: main
    versions: ["check-\${pr}"]
    push: false
  - name: branch-main
    type: branch
    match: main
    versions: [latest]
`),
  );

  it('matches the base branch; ${branch} is the head branch and ${sha} the head commit', () => {
    const p = plan(config, pullRequest({ base: 'main', head: 'feature/x' }));
    expect(p.builds.map((b) => [b.rules, b.tags, b.push])).toEqual([
      [['pr'], [`${IMAGE}:pr-42`, `${IMAGE}:feature-x`, `${IMAGE}:main-9a8b7c6`], true],
      [['never-push'], [`${IMAGE}:check-42`], false],
    ]);
    expect(p.builds[0]?.labels['org.opencontainers.image.revision']).toBe(HEAD_SHA);
    expect(p.against).toBe("pull request #42 ('feature/x' into 'main')");
  });

  it('never pushes a pull request from a fork, and says why', () => {
    const p = plan(config, pullRequest({ base: 'main', head: 'main', fromFork: true }));
    expect(p.builds.map((b) => b.push)).toEqual([false]);
    // Once push is off, both rules ask for the same build, so they merge.
    expect(p.builds[0]?.rules).toEqual(['pr', 'never-push']);
    expect(p.notes).toEqual(["pull request #42 ('main' into 'main') comes from a fork: building without pushing"]);
  });

  it('ignores pull_request rules whose base does not match, and branch rules', () => {
    expect(plan(config, pullRequest({ base: 'develop', head: 'main' })).builds).toEqual([]);
  });

  it('treats pull_request_target like pull_request', () => {
    const subject = { ...pullRequest({ base: 'main', head: 'x', fromFork: true }), event: 'pull_request_target', ref: 'refs/heads/main' };
    expect(plan(config, subject).builds.map((b) => b.push)).toEqual([false]);
  });
});

describe('planBuilds: manual and scheduled runs', () => {
  it.each(['workflow_dispatch', 'schedule'])('%s behaves like a push of its ref, so regex rules run by hand', (event) => {
    const p = plan(load(ACR_EXAMPLE), push('refs/heads/release-v2', { event }));
    expect(p.version).toBe('v2-202010151625-d4ef3dc3b77a011a5779eec7efdd45');
  });
});

describe('planBuilds: every matching rule applies; identical builds merge', () => {
  it('merges rules with the same context, dockerfile, target, platforms, build args and push', () => {
    const config = load(
      rulesFile(`  - {name: a, type: branch, match: main, versions: [latest, shared], platforms: [linux/arm64, linux/amd64], build-args: {A: "1", B: "2"}}
  - {name: b, type: branch, match: 'ma.*', versions: [shared, edge], platforms: [linux/amd64, linux/arm64], build-args: {B: "2", A: "1"}}
`),
    );
    const p = plan(config, push('refs/heads/main'));
    expect(p.builds).toHaveLength(1);
    expect(p.builds[0]?.rules).toEqual(['a', 'b']);
    expect(p.builds[0]?.tags).toEqual([`${IMAGE}:latest`, `${IMAGE}:shared`, `${IMAGE}:edge`]);
    expect(p.version).toBe('latest');
  });

  it.each([
    ['context', 'context: app'],
    ['dockerfile', 'dockerfile: Dockerfile.alt'],
    ['target', 'target: debug'],
    ['platforms', 'platforms: [linux/arm64]'],
    ['build args', 'build-args: {A: "2"}'],
    ['push', 'push: false'],
  ])('keeps builds apart when %s differs', (_what, setting) => {
    const config = load(
      rulesFile(`  - {name: a, type: branch, match: main, versions: [one]}
  - {name: b, type: branch, match: main, versions: [two], ${setting}}
`),
    );
    expect(plan(config, push('refs/heads/main')).builds.map((b) => b.rules)).toEqual([['a'], ['b']]);
  });

  it('refuses one tag from two different builds', () => {
    const config = load(
      rulesFile(`  - {name: a, type: branch, match: main, versions: [latest]}
  - {name: b, type: branch, match: main, versions: [latest], target: debug}
`),
    );
    expect(errorsOf(() => plan(config, push('refs/heads/main')))).toEqual([
      `rules 'a' and 'b' both make tag '${IMAGE}:latest' with different build settings; give them different versions or the same settings`,
    ]);
  });
});

describe('planBuilds: time zone', () => {
  it('uses the file’s zone for the time suffix', () => {
    const config = load(`timezone: America/New_York\n${ACR_EXAMPLE}`);
    expect(plan(config, push('refs/heads/release-v1')).version).toBe('v1-202010150425-d4ef3dc3b77a011a5779eec7efdd45');
    expect(ACR_TIME.toISOString()).toBe('2020-10-15T08:25:00.000Z');
  });
});
