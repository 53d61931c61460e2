import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserErrors } from '../../../src/base/errors.js';
import { silentLog } from '../../../src/base/log.js';
import { resolveTriggers } from '../../../src/redeploy/config.js';
import { loadRulesFile, parseRulesFile } from '../../../src/rules/config.js';
import { IMAGE, load, loadErrors, rulesFile } from './helpers.js';

const FULL = `# every field of the rules file
version: 1
images:
  - ${IMAGE}
  - ghcr.io/acme/web
timezone: Europe/Berlin
platforms: [linux/amd64, linux/arm64/v8]
rules:
  - name: release
    type: branch
    match: release-(?<imageTag>\\w*)
    context: /services/api/
    dockerfile: docker/Dockerfile.prod
    versions: ["\${imageTag}", "latest", "r\${sha:8}"]
    time: yyyyMMddHHmm
    commit: 30
    build-args: {JAVA_VERSION: 17, RATIO: 1.10, FLAG: true, NAME: "x y"}
    platforms: [linux/arm/v7]
    target: runtime
    push: false
    image: registry.cn-shanghai.aliyuncs.com/acme/api
  - name: tags
    type: tag
    match: v(?<major>\\d+)\\.(?<minor>\\d+)
    versions: ["\${major}.\${minor}"]
    time: yyyyMMdd
    commit: true
  - name: prs
    type: pull_request
    match: main
    versions: ["pr-\${pr}", "\${branch}-\${base}"]
    commit: false
triggers:
  - name: ack
    url-env: ACK_TRIGGER_URL
  - name: staging
    url-env: STAGING_URL
    filter: regex
    expression: release-v.*
    method: GET
    headers: {X-Token: abc, X-Count: 3}
    secret-env: HOOK_KEY
  - name: prod
    url-env: PROD_URL
    filter: tags
    tags: [latest, stable, latest]
`;

describe('rules file: every field', () => {
  const config = load(FULL);

  it('reads the file-level fields', () => {
    expect(config.file).toBe('.github/acr-ship.yml');
    expect(config.images).toEqual([IMAGE, 'ghcr.io/acme/web']);
    expect(config.timezone).toBe('Europe/Berlin');
    // linux/arm64/v8 is BuildKit's linux/arm64.
    expect(config.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('reads every rule field, with ACR-style paths made relative to the repository root', () => {
    const [release] = config.rules ?? [];
    expect(release).toMatchObject({
      name: 'release',
      type: 'branch',
      context: 'services/api',
      file: 'services/api/docker/Dockerfile.prod',
      time: 'yyyyMMddHHmm',
      commit: 30,
      // Numbers and booleans stay as written: 1.10 must not become 1.1.
      buildArgs: { JAVA_VERSION: '17', RATIO: '1.10', FLAG: 'true', NAME: 'x y' },
      platforms: ['linux/arm/v7'],
      target: 'runtime',
      push: false,
      images: ['registry.cn-shanghai.aliyuncs.com/acme/api'],
      line: 9,
    });
    expect(release?.versions.map((v) => v.source)).toEqual(['${imageTag}', 'latest', 'r${sha:8}']);
    expect(release?.match.groupNames).toEqual(['imageTag']);
  });

  it('fills the defaults a rule leaves out', () => {
    const tags = config.rules?.[1];
    expect(tags).toMatchObject({
      context: '.',
      file: 'Dockerfile',
      commit: 6, // commit: true is ACR's default of 6 characters
      buildArgs: {},
      platforms: ['linux/amd64', 'linux/arm64'],
      target: undefined,
      push: true,
      images: [IMAGE, 'ghcr.io/acme/web'],
    });
    expect(config.rules?.[2]?.commit).toBeUndefined();
    expect(config.rules?.[2]?.time).toBeUndefined();
  });

  it('reads triggers into TriggerConfig', () => {
    expect(config.triggers).toEqual([
      { name: 'ack', urlEnv: 'ACK_TRIGGER_URL', filter: { type: 'all' }, method: 'POST', headers: {} },
      {
        name: 'staging',
        urlEnv: 'STAGING_URL',
        filter: { type: 'regex', expression: 'release-v.*' },
        method: 'GET',
        headers: { 'X-Token': 'abc', 'X-Count': '3' },
        secretEnv: 'HOOK_KEY',
      },
      { name: 'prod', urlEnv: 'PROD_URL', filter: { type: 'tags', tags: ['latest', 'stable'] }, method: 'POST', headers: {} },
    ]);
  });

  it('hands triggers to redeploy delivery as they are', () => {
    const env = {
      ACK_TRIGGER_URL: 'https://cs.console.aliyun.com/hook/trigger?token=a',
      STAGING_URL: 'https://s.example/x',
      PROD_URL: 'http://p.example/y',
      HOOK_KEY: 'k',
    };
    const triggers = resolveTriggers(config.triggers, env, silentLog);
    expect(triggers.map((t) => [t.name, t.url, t.method, t.secret])).toEqual([
      ['ack', env.ACK_TRIGGER_URL, 'POST', undefined],
      ['staging', env.STAGING_URL, 'GET', 'k'],
      ['prod', env.PROD_URL, 'POST', undefined],
    ]);
  });

  it('defaults: version 1, Asia/Shanghai, no platforms, no triggers; no rules: means the zero-config defaults', () => {
    const minimal = load(`image: ${IMAGE}\n`);
    expect(minimal).toEqual({
      file: '.github/acr-ship.yml',
      images: [IMAGE],
      timezone: 'Asia/Shanghai',
      platforms: [],
      rules: undefined,
      triggers: [],
    });
    expect(load('rules: []\n').rules).toEqual([]);
  });

  it('treats an empty value as not given, and follows YAML anchors', () => {
    const config = load(
      rulesFile(`  - &base
    name: a
    type: branch
    match: main
    versions: [latest]
    target:
  - <<: *base
    name: b
`),
    );
    expect(config.rules?.map((r) => [r.name, r.target])).toEqual([
      ['a', undefined],
      ['b', undefined],
    ]);
  });
});

/** One error of a file, checking it is one line that names file:line and the place. */
function oneError(text: string): string {
  const errors = loadErrors(text);
  expect(errors).toHaveLength(1);
  expect(errors[0]).not.toContain('\n');
  return errors[0] ?? '';
}

const rule = (extra: string, base = '  - name: r\n    type: branch\n    match: main\n    versions: [latest]\n') => rulesFile(base + extra);

describe('rules file: every error names file, line, rule and field', () => {
  it.each([
    [
      'unknown rule field, with a suggestion',
      rule('    contxt: app\n'),
      ".github/acr-ship.yml:8: rule 'r': unknown field 'contxt'; did you mean 'context'?",
    ],
    ['unknown top-level field', 'version: 1\nrulez: []\n', ".github/acr-ship.yml:2: unknown field 'rulez'; did you mean 'rules'?"],
    [
      'bad type: string expected',
      rule('    target: [a]\n'),
      ".github/acr-ship.yml:8: rule 'r' field 'target': must be a string; got a list",
    ],
    [
      'bad type: boolean expected',
      rule('    push: yes\n'),
      ".github/acr-ship.yml:8: rule 'r' field 'push': must be true or false; got 'yes'",
    ],
    [
      'bad type: list expected',
      rule('    platforms: linux/amd64\n'),
      ".github/acr-ship.yml:8: rule 'r' field 'platforms': must be a list, e.g. [a, b]; got 'linux/amd64'",
    ],
    [
      'bad type: mapping expected',
      rule('    build-args: [A=1]\n'),
      ".github/acr-ship.yml:8: rule 'r' field 'build-args': must be a mapping of NAME: value; got a list",
    ],
    [
      'number where a name is wanted',
      rule('', '  - name: 2024\n    type: branch\n    match: main\n    versions: [latest]\n'),
      `.github/acr-ship.yml:4: rule #1 field 'name': must be a string (quote it: "2024"); got 2024`,
    ],
    [
      'bad rule type',
      rule('', '  - name: r\n    type: Branch\n    match: main\n    versions: [latest]\n'),
      ".github/acr-ship.yml:5: rule 'r' field 'type': must be one of branch, tag, pull_request; got 'Branch'",
    ],
    [
      'missing required field',
      rulesFile('  - name: r\n    type: branch\n    versions: [latest]\n'),
      ".github/acr-ship.yml:4: rule 'r': missing required field 'match'",
    ],
    [
      'bad regex',
      rule('', '  - name: r\n    type: branch\n    match: release-(?<x\\w*)\n    versions: [latest]\n'),
      ".github/acr-ship.yml:6: rule 'r' field 'match': invalid regular expression",
    ],
    [
      'lookahead is not RE2',
      rule('', '  - name: r\n    type: branch\n    match: (?!main).*\n    versions: [latest]\n'),
      'no lookaround or backreferences',
    ],
    [
      'unknown template variable',
      rule('', "  - name: r\n    type: branch\n    match: release-(?<imageTag>\\w*)\n    versions: ['${imagetag}']\n"),
      ".github/acr-ship.yml:7: rule 'r' field 'versions[0]': unknown variable ${imagetag} for a branch rule; available: ${branch}, ${sha}, ${imageTag}",
    ],
    [
      'a variable of another rule type',
      rule('', "  - name: r\n    type: branch\n    match: main\n    versions: ['${tag}']\n"),
      'unknown variable ${tag} for a branch rule',
    ],
    [
      'malformed template',
      rule('', "  - name: r\n    type: branch\n    match: main\n    versions: ['v${sha']\n"),
      "rule 'r' field 'versions[0]': '${' at character 2 has no closing '}'",
    ],
    [
      'bad slice',
      rule('', "  - name: r\n    type: branch\n    match: main\n    versions: ['${sha:0}']\n"),
      "'${sha:0}': the length must be from 1 to 128",
    ],
    [
      'template text a tag cannot hold',
      rule('', "  - name: r\n    type: branch\n    match: main\n    versions: ['v 1/x']\n"),
      "rule 'r' field 'versions[0]': 'v 1/x' has ' ' '/', which a tag cannot hold",
    ],
    [
      'template starting with -',
      rule('', "  - name: r\n    type: branch\n    match: main\n    versions: ['-x']\n"),
      "'-x' starts with '-', which a tag cannot start with",
    ],
    [
      'bad time format',
      rule('    time: yyyyMMddHHmmss\n'),
      ".github/acr-ship.yml:8: rule 'r' field 'time': must be one of yyyyMMdd, yyyyMMddHHmm; got 'yyyyMMddHHmmss'",
    ],
    ['commit too long', rule('    commit: 41\n'), "rule 'r' field 'commit': must be true, false or a whole number from 1 to 40; got 41"],
    ['commit zero', rule('    commit: 0\n'), "rule 'r' field 'commit': must be true, false or a whole number from 1 to 40; got 0"],
    [
      'commit not a number',
      rule('    commit: "8"\n'),
      "rule 'r' field 'commit': must be true, false or a whole number from 1 to 40; got '8'",
    ],
    [
      'more than 3 versions',
      rule('', '  - name: r\n    type: branch\n    match: main\n    versions: [a, b, c, d]\n'),
      "rule 'r' field 'versions': has 4 items; at most 3 allowed (ACR allows 3 image versions per rule",
    ],
    [
      'no versions',
      rule('', '  - name: r\n    type: branch\n    match: main\n    versions: []\n'),
      "rule 'r' field 'versions': must have at least 1 item",
    ],
    [
      'more than 20 build args',
      rule(`    build-args: {${Array.from({ length: 21 }, (_, i) => `A${i}: x`).join(', ')}}\n`),
      "rule 'r' field 'build-args': has 21 entries; at most 20 allowed (ACR allows 20 build arguments)",
    ],
    ['bad build arg name', rule('    build-args: {"1A": x}\n'), "rule 'r' field 'build-args': '1A' is not a valid name"],
    ['build arg without value', rule('    build-args: {A: }\n'), "rule 'r' field 'build-args.A': has no value"],
    [
      'build arg over two lines',
      rule('    build-args:\n      A: |\n        one\n        two\n'),
      "rule 'r' field 'build-args.A': must be one line",
    ],
    [
      'bad platform shape',
      rule('    platforms: [amd64]\n'),
      "rule 'r' field 'platforms[0]': must be os/arch[/variant], e.g. linux/arm64; got 'amd64'",
    ],
    [
      'unknown platform',
      rule('    platforms: [linux/amd65]\n'),
      ".github/acr-ship.yml:8: rule 'r' field 'platforms[0]': 'linux/amd65' is not a platform BuildKit knows",
    ],
    [
      'context leaving the repository',
      rule('    context: ../other\n'),
      "rule 'r' field 'context': '../other' must stay inside the repository",
    ],
    [
      'dockerfile as an absolute path',
      rule('    dockerfile: /etc/Dockerfile\n'),
      "rule 'r' field 'dockerfile': '/etc/Dockerfile' must be a file path inside the context directory",
    ],
    ['bad target', rule('    target: "my stage"\n'), "rule 'r' field 'target': must be a stage name"],
    [
      'image with a tag',
      rule(`    image: ${IMAGE}:latest\n`),
      `rule 'r' field 'image': must be an image repository without a tag or digest, e.g. ${IMAGE}; got '${IMAGE}:latest'`,
    ],
    ['invalid image', `image: Acme/Web\n`, ".github/acr-ship.yml:1: field 'image': 'Acme/Web' is not a valid image reference"],
    ['image and images', `image: ${IMAGE}\nimages: [${IMAGE}]\n`, ".github/acr-ship.yml:2: set 'image' or 'images', not both"],
    [
      'group shadowing a variable',
      rule('', '  - name: r\n    type: branch\n    match: (?<sha>.*)\n    versions: [latest]\n'),
      "rule 'r' field 'match': the named group 'sha' has the name of a built-in variable",
    ],
    ['unknown time zone', 'timezone: Asia/Beijing\n', ".github/acr-ship.yml:1: field 'timezone': unknown time zone 'Asia/Beijing'"],
    ['version other than 1', 'version: 2\n', ".github/acr-ship.yml:1: field 'version': must be 1; got 2"],
    ['rules not a list', 'rules: {a: 1}\n', ".github/acr-ship.yml:1: field 'rules': must be a list"],
    [
      'rule not a mapping',
      'rules:\n  - just-a-name\n',
      ".github/acr-ship.yml:2: rule #1: must be a mapping of field: value; got 'just-a-name'",
    ],
    ['YAML syntax', 'rules: [\n', '.github/acr-ship.yml:2: not valid YAML:'],
    ['duplicate key', 'version: 1\nversion: 1\n', '.github/acr-ship.yml:2: not valid YAML: Map keys must be unique'],
    ['empty file', '# nothing\n', ".github/acr-ship.yml:1: the rules file is empty; start it with 'version: 1' and 'rules:'"],
    ['not a mapping', '- a\n', '.github/acr-ship.yml:1: must be a mapping of field: value; got a list'],
  ])('%s', (_name, text, expected) => {
    expect(oneError(text)).toContain(expected);
  });

  it('reports a duplicate rule name at the second use, naming the first', () => {
    const text = rulesFile('  - {name: a, type: branch, match: x, versions: [a]}\n  - {name: a, type: tag, match: y, versions: [b]}\n');
    expect(oneError(text)).toBe(".github/acr-ship.yml:5: rule 'a' field 'name': the name is already used at line 4; names must be unique");
  });

  it('gives the annotation location with each error', () => {
    try {
      load(rule('    commit: 99\n'));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UserErrors);
      expect((err as UserErrors).errors[0]?.location).toEqual({ file: '.github/acr-ship.yml', line: 8 });
    }
  });
});

describe('rules file: trigger errors', () => {
  const trigger = (body: string) => `triggers:\n  - name: t\n${body}`;
  it.each([
    ['missing url-env', trigger('    filter: all\n'), ".github/acr-ship.yml:2: trigger 't': missing required field 'url-env'"],
    [
      'url-env not a variable name',
      trigger('    url-env: https://cs.console.aliyun.com/hook/trigger?token=x\n'),
      "trigger 't' field 'url-env': must be an environment variable name",
    ],
    [
      'regex filter without expression',
      trigger('    url-env: U\n    filter: regex\n'),
      ".github/acr-ship.yml:4: trigger 't': 'filter: regex' needs 'expression'",
    ],
    ['tags filter without tags', trigger('    url-env: U\n    filter: tags\n'), "trigger 't': 'filter: tags' needs 'tags'"],
    [
      'expression without the regex filter',
      trigger('    url-env: U\n    expression: x\n'),
      "trigger 't' field 'expression': applies only with 'filter: regex' (filter is all)",
    ],
    [
      'tags without the tags filter',
      trigger('    url-env: U\n    filter: regex\n    expression: x\n    tags: [a]\n'),
      "trigger 't' field 'tags': applies only with 'filter: tags' (filter is regex)",
    ],
    [
      'bad regex expression',
      trigger('    url-env: U\n    filter: regex\n    expression: "release-(v"\n'),
      ".github/acr-ship.yml:5: trigger 't' field 'expression': invalid regular expression",
    ],
    [
      'more than 10 tags',
      trigger(`    url-env: U\n    filter: tags\n    tags: [${Array.from({ length: 11 }, (_, i) => `t${i}`).join(', ')}]\n`),
      "trigger 't' field 'tags': has 11 items; at most 10 allowed (ACR allows 10 tags per trigger)",
    ],
    ['bad tag', trigger('    url-env: U\n    filter: tags\n    tags: [-x]\n'), "trigger 't' field 'tags[0]': must be an image tag"],
    [
      'lower-case method',
      trigger('    url-env: U\n    method: post\n'),
      "trigger 't' field 'method': must be one of POST, GET; got 'post'",
    ],
    [
      'bad header name',
      trigger('    url-env: U\n    headers: {"X Token": a}\n'),
      "trigger 't' field 'headers': 'X Token' is not a valid name: an HTTP header name",
    ],
    [
      'header value over two lines',
      trigger('    url-env: U\n    headers:\n      X-A: "a\\nb"\n'),
      "trigger 't' field 'headers.X-A': must be one line",
    ],
    [
      'bad secret-env',
      trigger('    url-env: U\n    secret-env: my-key\n'),
      "trigger 't' field 'secret-env': must be an environment variable name",
    ],
    ['unknown trigger field', trigger('    url-env: U\n    url: https://x\n'), "trigger 't': unknown field 'url'"],
  ])('%s', (_name, text, expected) => {
    expect(oneError(text)).toContain(expected);
  });

  it('reports a duplicate trigger name', () => {
    expect(oneError('triggers:\n  - {name: t, url-env: A}\n  - {name: t, url-env: B}\n')).toContain(
      "trigger 't' field 'name': the name is already used at line 2",
    );
  });
});

describe('rules file: all problems at once', () => {
  it('reports every problem of every rule and trigger, in line order, one line each', () => {
    const text = `version: 1
imag: ${IMAGE}
rules:
  - name: a
    type: branchx
    match: "(a"
    versions: ["a b"]
    commit: 50
    time: yyyy
  - name: b
    type: tag
    match: v(?<v>.*)
    versions: ["\${nope}", x, y, z]
    build-args: {"1x": y}
    platforms: [linux/foo]
  - name: b
    type: branch
    match: x
    versions: [x]
triggers:
  - name: t
    url-env: 1BAD
    filter: regex
`;
    const errors = loadErrors(text);
    const lines = errors.map((e) => Number(/^\.github\/acr-ship\.yml:(\d+): /.exec(e)?.[1]));
    expect(lines).toEqual([2, 5, 6, 7, 8, 9, 13, 13, 14, 15, 16, 22, 23]);
    expect(lines).toEqual([...lines].sort((x, y) => x - y));
    for (const e of errors) expect(e).not.toContain('\n');
    expect(errors.join('\n')).toContain(
      "rule 'b' field 'versions[0]': unknown variable ${nope} for a tag rule; available: ${tag}, ${sha}, ${v}",
    );
  });

  it('reports problems whatever ref is planned: they are found when the file loads', () => {
    // A tag rule with a bad template still fails a branch push's load.
    expect(loadErrors(rulesFile("  - {name: t, type: tag, match: 'v.*', versions: ['${branch}']}\n"))).toHaveLength(1);
  });
});

describe('loadRulesFile', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'acr-ship-rules-'));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('returns undefined when no path is given and no default file exists', () => {
    expect(loadRulesFile(workspace, undefined)).toBeUndefined();
  });

  it('finds .github/acr-ship.yml and names it relative to the workspace', () => {
    mkdirSync(join(workspace, '.github'), { recursive: true });
    writeFileSync(join(workspace, '.github', 'acr-ship.yml'), `image: ${IMAGE}\n`);
    expect(loadRulesFile(workspace, undefined)?.file).toBe('.github/acr-ship.yml');
    expect(loadRulesFile(workspace, './.github/acr-ship.yml')?.images).toEqual([IMAGE]);
  });

  it('fails when a given path does not exist', () => {
    expect(() => loadRulesFile(workspace, 'ci/rules.yml')).toThrow("rules file 'ci/rules.yml' does not exist");
  });

  it('names the file in errors as the annotation wants it', () => {
    mkdirSync(join(workspace, 'ci'), { recursive: true });
    writeFileSync(join(workspace, 'ci', 'rules.yml'), 'version: 3\n');
    expect(() => loadRulesFile(workspace, 'ci/rules.yml')).toThrow("ci/rules.yml:1: field 'version': must be 1; got 3");
  });

  it('parses text with the name it is given', () => {
    expect(() => parseRulesFile('x: 1\n', 'custom.yml')).toThrow("custom.yml:1: unknown field 'x'");
  });
});

describe('rules file: messages stay on one line', () => {
  it('even when they quote text that spans lines', () => {
    const errors = loadErrors(rulesFile('  - name: r\n    type: |\n      branch\n      tag\n    match: "a\\n(b"\n    versions: [x]\n'));
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(e).not.toMatch(/[\r\n]/);
    expect(errors[0]).toContain("rule 'r' field 'type': must be one of branch, tag, pull_request; got 'branch\\ntag\\n'");
  });
});
