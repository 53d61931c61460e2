/**
 * The README's recipes must work when copied (issue 7, acceptance 4). Every ```yaml block is a
 * workflow, a list of steps or a rules file, and parses. Workflows and steps are checked against
 * the action.yml files (workflow-check.ts); rules files load with the real loader, and the tags the
 * README promises for them are the tags the plan gives. JSON blocks parse; links to sections land.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseRulesFile, type RulesConfig } from '../../../src/rules/config.js';
import { REPO_ROOT } from '../../stack/state.js';
import { ACR_TIME, SHA, plan, push } from '../rules/helpers.js';
import { ActionSpecs, WorkflowChecker } from './workflow-check.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

interface CodeBlock {
  lang: string;
  /** README line of the block's first line of code. */
  line: number;
  text: string;
}

/** Fenced code blocks, without the indentation of the list item they sit in. */
function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```(\w*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const indent = open[1]?.length ?? 0;
    const start = i + 1;
    while (i + 1 < lines.length && !/^ *```\s*$/.test(lines[i + 1] ?? '')) i++;
    const body = lines.slice(start, i + 1).map((l) => l.slice(Math.min(indent, l.search(/\S|$/))));
    blocks.push({ lang: open[2] ?? '', line: start + 1, text: body.join('\n') });
    i++;
  }
  return blocks;
}

type Kind = 'workflow' | 'steps' | 'rules';
const RULES_KEYS = ['version', 'image', 'images', 'timezone', 'platforms', 'rules', 'triggers'];

function kindOf(doc: unknown): Kind | undefined {
  if (Array.isArray(doc)) {
    const isStep = (s: unknown) => s !== null && typeof s === 'object' && ('uses' in s || 'run' in s);
    return doc.length > 0 && doc.every(isStep) ? 'steps' : undefined;
  }
  if (doc === null || typeof doc !== 'object') return undefined;
  if ('jobs' in doc) return 'workflow';
  const keys = Object.keys(doc);
  return keys.length > 0 && keys.every((k) => RULES_KEYS.includes(k)) ? 'rules' : undefined;
}

interface YamlBlock extends CodeBlock {
  kind: Kind | undefined;
  doc: unknown;
  errors: string[];
}

const yamlBlocks: YamlBlock[] = codeBlocks(README)
  .filter((b) => b.lang === 'yaml')
  .map((b) => {
    const doc = parseDocument(b.text);
    const value: unknown = doc.errors.length === 0 ? doc.toJS() : undefined;
    return { ...b, doc: value, kind: kindOf(value), errors: doc.errors.map((e) => e.message.split('\n')[0] ?? '') };
  });
const ofKind = (kind: Kind) => yamlBlocks.filter((b) => b.kind === kind);
const at = (b: CodeBlock) => `README.md:${b.line}`;

/** The rules-file block that contains `marker`. */
function rulesFileWith(marker: string): RulesConfig {
  const block = ofKind('rules').find((b) => b.text.includes(marker));
  if (!block) throw new Error(`no rules file in the README contains ${marker}`);
  return parseRulesFile(block.text, at(block));
}

/** The versions (tags without the repository) each build of the plan gives for a push of `ref`. */
function versionsFor(config: RulesConfig, ref: string): string[][] {
  return plan(config, push(ref)).builds.map((b) => b.tags.map((t) => t.slice(t.lastIndexOf(':') + 1)));
}

function checkReadme(): string[] {
  const checker = new WorkflowChecker(new ActionSpecs(REPO_ROOT));
  for (const block of ofKind('workflow')) checker.workflow(block.doc as Record<string, unknown>, at(block));
  for (const block of ofKind('steps')) checker.steps(block.doc as unknown[], { where: at(block), jobs: undefined, needs: [] });
  for (const block of yamlBlocks) checker.pins(block.text, 'README.md', block.line);
  return checker.problems;
}

describe('README YAML', () => {
  it('every yaml block parses and is a workflow, a list of steps or a rules file', () => {
    const bad = yamlBlocks.filter((b) => b.errors.length > 0 || !b.kind).map((b) => `${at(b)}: ${b.errors.join('; ') || 'unrecognised'}`);
    expect(bad).toEqual([]);
    // The quickstart and the seven recipes at least; the rules-file reference and recipes.
    expect(ofKind('workflow').length).toBeGreaterThanOrEqual(8);
    expect(ofKind('steps').length).toBeGreaterThanOrEqual(3);
    expect(ofKind('rules').length).toBeGreaterThanOrEqual(4);
  });

  it('workflows and steps use only what the action.yml files declare, and wire jobs and outputs correctly', () => {
    expect(checkReadme()).toEqual([]);
  });

  it('the recipes use the distributed contract: plan matrix, per-platform root steps, merge, one redeploy', () => {
    const uses = ofKind('workflow').flatMap((b) => [...b.text.matchAll(/uses: (acr-ship\/acr-ship\S*)/g)].map((m) => m[1]));
    for (const action of [
      'acr-ship/acr-ship@v1',
      'acr-ship/acr-ship/plan@v1',
      'acr-ship/acr-ship/login@v1',
      'acr-ship/acr-ship/merge@v1',
      'acr-ship/acr-ship/redeploy@v1',
    ])
      expect(uses).toContain(action);
    const distributed = ofKind('workflow').find((b) => b.text.includes('push-by-digest: true'));
    expect(distributed?.text).toContain('ubuntu-24.04-arm');
    expect(distributed?.text).toContain('steps.plan.outputs.matrix');
  });

  it('every rules file loads with the real loader', () => {
    const failures = ofKind('rules').flatMap((b) => {
      try {
        parseRulesFile(b.text, at(b));
        return [];
      } catch (err) {
        return [`${at(b)}: ${(err as Error).message}`];
      }
    });
    expect(failures).toEqual([]);
  });

  it("ACR's example gives the tag the README says", () => {
    const p = plan(rulesFileWith('release-(?<imageTag>'), push('refs/heads/release-v1'), { now: ACR_TIME });
    expect(README).toContain(p.builds[0]?.tags[0]);
  });

  it("the recipes' rules file tags releases, prereleases and main as the README says", () => {
    const config = rulesFileWith('name: prereleases');
    expect(versionsFor(config, 'refs/tags/v1.4.2')).toEqual([['1.4.2', 'latest']]);
    expect(versionsFor(config, 'refs/tags/v2.0.0-rc.1')).toEqual([['2.0.0-rc.1']]);
    expect(versionsFor(config, 'refs/heads/main')).toEqual([['edge', `main-${SHA.slice(0, 8)}`]]);
  });

  it('every json block parses', () => {
    const json = codeBlocks(README).filter((b) => b.lang === 'json');
    expect(json.length).toBeGreaterThanOrEqual(2);
    for (const b of json) expect(() => JSON.parse(b.text), at(b)).not.toThrow();
  });

  it('links to sections of the README land on a heading', () => {
    const slugs = new Set(
      [...README.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
        (m[1] ?? '')
          .toLowerCase()
          .replace(/[^\p{L}\p{N} _-]/gu, '')
          .replace(/ /g, '-'),
      ),
    );
    const anchors = [...README.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1] ?? '');
    expect(anchors.length).toBeGreaterThan(5);
    expect(anchors.filter((a) => !slugs.has(a))).toEqual([]);
  });
});

describe('the checker', () => {
  const check = (yaml: string): string[] => {
    const checker = new WorkflowChecker(new ActionSpecs(REPO_ROOT));
    checker.workflow(parse(yaml) as Record<string, unknown>, 'test');
    checker.pins(yaml, 'test', 1);
    return checker.problems;
  };
  const workflow = (steps: string, extra = '') => `on: push
permissions: { contents: read }
jobs:
  a:
    runs-on: ubuntu-24.04
${extra}    steps:
${steps}`;

  it('accepts a correct workflow', () => {
    expect(
      check(
        workflow(`      - id: image
        uses: acr-ship/acr-ship@v1
        with: { registry: registry.cn-hangzhou.aliyuncs.com, immutable-tags: auto }
      - run: echo "\${{ steps.image.outputs.digest }}"`),
      ),
    ).toEqual([]);
  });

  it('finds an input the action does not have, an unknown action and a missing output', () => {
    const problems = check(
      workflow(`      - id: login
        uses: acr-ship/acr-ship/login@v1
        with: { registy: ghcr.io }
      - uses: acr-ship/acr-ship/deploy@v1
      - run: echo "\${{ steps.login.outputs.digest }} \${{ steps.later.outputs.x }}"
      - id: later
        run: true`),
    );
    expect(problems).toEqual([
      expect.stringContaining("input 'registy' is not an input of login/action.yml"),
      expect.stringContaining("there is no action 'deploy'"),
      expect.stringContaining("login/action.yml has no output 'digest'"),
      expect.stringContaining("no earlier step has id 'later'"),
    ]);
  });

  it('finds needs and job outputs that do not exist, and OIDC without an ID token', () => {
    const problems = check(`on: push
permissions: { contents: read }
jobs:
  a:
    runs-on: ubuntu-24.04
    outputs: { x: '\${{ steps.p.outputs.matched }}' }
    steps:
      - id: p
        uses: acr-ship/acr-ship/plan@v1
  b:
    needs: [a, c]
    runs-on: ubuntu-24.04
    steps:
      - uses: acr-ship/acr-ship@v1
        with: { role-arn: 'acs:ram::1:role/r', oidc-provider-arn: 'acs:ram::1:oidc-provider/p', plan: '\${{ needs.a.outputs.y }}' }
`);
    expect(problems).toEqual([
      expect.stringContaining("needs 'c', which is not a job of this workflow"),
      expect.stringContaining("job 'a' declares no output 'y'"),
      expect.stringContaining("needs 'permissions: id-token: write'"),
    ]);
  });

  it('finds third-party actions not pinned to a commit', () => {
    const problems = check(
      workflow(`      - uses: actions/checkout@v4
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2`),
    );
    expect(problems).toEqual([
      expect.stringContaining('test:7: actions/checkout@v4'),
      expect.stringContaining('test:8: actions/checkout@11bd'),
    ]);
  });
});
