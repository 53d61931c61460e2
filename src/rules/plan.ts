import { UserError, UserErrors } from '../base/errors.js';
import { parseImageRef } from '../docker/reference.js';
import type { Rule, RulesConfig } from './config.js';
import { DEFAULT_RULE_NAME, defaultsUseSha, defaultVersions } from './defaults.js';
import { creationTime, ociLabels } from './labels.js';
import { mergeIdenticalBuilds, type RuleBuild } from './merge.js';
import { matchTarget, shownName, type MatchTarget, type PlanSubject } from './subject.js';
import { renderTemplate } from './template.js';
import { formatTime } from './time.js';
import { assembleVersion } from './version.js';

/**
 * planBuilds: the rules (or the zero-config defaults) applied to one branch, tag or pull request.
 * Pure: the clock and the environment come in as values, so a plan can be reproduced exactly.
 */
export interface PlanRequest {
  /** The loaded rules file; undefined when there is none (zero-config defaults). */
  config: RulesConfig | undefined;
  /** The `image` input, already checked: used where the rules file names no image. */
  images: readonly string[];
  /** The `platforms` input: used by the zero-config defaults when the file names none. */
  platforms: readonly string[];
  subject: PlanSubject;
  now: Date;
  /** SOURCE_DATE_EPOCH, for the `created` label. */
  sourceDateEpoch?: string | undefined;
}

/** One `docker buildx build`. Field order is the CLI's JSON order. */
export interface PlannedBuild {
  /** Names of the rules that asked for it. */
  rules: string[];
  /** Relative to the repository root; `.` is the root. */
  context: string;
  /** Dockerfile relative to the repository root. */
  file: string;
  platforms: string[];
  buildArgs: Record<string, string>;
  target: string | null;
  /** Full references: `<registry>/<namespace>/<repo>:<version>`. */
  tags: string[];
  labels: Record<string, string>;
  push: boolean;
  /**
   * The tags that name exactly one git tag — a version rendered from the whole tag name (all of
   * the rule's groups, `${tag}`, or the commit or time) — which must never be overwritten.
   * Rolling versions (`latest`, `${major}.${minor}` of a `${major}.${minor}.${patch}` tag) are not.
   */
  releaseTags: string[];
}

export interface Plan {
  builds: PlannedBuild[];
  /** The first version of the first build ('' when nothing matched): the `version` output. */
  version: string;
  /** What the rules were matched against, e.g. `branch 'main'`; undefined for other refs. */
  against: string | undefined;
  /** Things worth a line in the log: nothing matched, push turned off for a fork. */
  notes: string[];
}

const NO_IMAGE = "no image to tag: set 'image:' in the rules file or the 'image' input, e.g. registry.cn-hangzhou.aliyuncs.com/acme/web";

export function planBuilds(request: PlanRequest): Plan {
  const { config, subject } = request;
  const rules = config?.rules;
  checkImagesKnown(request, rules);
  const target = matchTarget(subject);
  if (!target) {
    return {
      builds: [],
      version: '',
      against: undefined,
      notes: [`nothing to plan: ref ${shownName(subject.ref)} is not a branch, tag or pull request`],
    };
  }
  const notes: string[] = [];
  const builds = rules ? ruleBuilds(rules, request, target) : [defaultBuild(request, target)];
  if (builds.length === 0) notes.push(`no rule matches ${target.description}`);
  if (!target.mayPush && builds.some((b) => b.push)) notes.push(`${target.description} comes from a fork: building without pushing`);
  for (const b of builds) b.push &&= target.mayPush;

  const created = creationTime(request.now, request.sourceDateEpoch);
  const planned = mergeIdenticalBuilds(builds).map((b): PlannedBuild => ({
    rules: b.rules,
    context: b.context,
    file: b.file,
    platforms: b.platforms,
    buildArgs: b.buildArgs,
    target: b.target,
    tags: b.tags,
    labels: ociLabels({
      serverUrl: subject.serverUrl,
      repository: subject.repository,
      revision: target.sha,
      version: b.versions[0] ?? '',
      created,
    }),
    push: b.push,
    releaseTags: b.tags.filter((t) => b.releaseVersions.includes(parseImageRef(t).tag ?? '')),
  }));
  return { builds: planned, version: planned[0]?.labels['org.opencontainers.image.version'] ?? '', against: target.description, notes };
}

/** Up front, whatever the ref: every rule must have an image to tag. */
function checkImagesKnown(request: PlanRequest, rules: readonly Rule[] | undefined): void {
  if (request.images.length > 0) return;
  if (!rules) {
    if ((request.config?.images.length ?? 0) === 0) throw new UserError(NO_IMAGE);
    return;
  }
  const file = request.config?.file ?? '';
  const missing = rules.filter((r) => r.images.length === 0);
  if (missing.length > 0) {
    throw new UserErrors(missing.map((r) => new UserError(`${file}:${r.line}: rule '${r.name}': ${NO_IMAGE}`, { file, line: r.line })));
  }
}

function ruleBuilds(rules: readonly Rule[], request: PlanRequest, target: MatchTarget): RuleBuild[] {
  const file = request.config?.file ?? '';
  const timezone = request.config?.timezone ?? '';
  const builds: RuleBuild[] = [];
  const problems: UserError[] = [];
  for (const rule of rules) {
    if (rule.type !== target.type) continue;
    const groups = rule.match.matchWhole(target.name);
    if (!groups) continue;
    const where = `${file}:${rule.line}: rule '${rule.name}'`;
    const location = { file, line: rule.line };
    const usesSha = rule.commit !== undefined || rule.versions.some((t) => t.variables.includes('sha'));
    if (usesSha && !target.sha) {
      problems.push(
        new UserError(`${where}: needs the commit SHA (\${sha} or commit:), but none is known; set GITHUB_SHA or pass --sha`, location),
      );
      continue;
    }
    const values = { ...target.values, ...groups };
    const suffixes: string[] = [];
    if (rule.time) suffixes.push(formatTime(request.now, rule.time, timezone));
    if (rule.commit !== undefined) suffixes.push(target.sha.slice(0, rule.commit));
    const versions: string[] = [];
    const releaseVersions: string[] = [];
    // On a tag ref a version is a release when it can only come from this one tag.
    const groupNames = rule.match.groupNames;
    const isRelease = (variables: readonly string[]): boolean =>
      rule.type === 'tag' &&
      (suffixes.length > 0 ||
        variables.includes('tag') ||
        variables.includes('sha') ||
        (groupNames.length > 0 && groupNames.every((g) => variables.includes(g))));
    for (const [i, template] of rule.versions.entries()) {
      const version = assembleVersion(renderTemplate(template, values), suffixes);
      if (version === undefined) {
        problems.push(
          new UserError(
            `${where} field 'versions[${i}]': '${template.source}' gives an empty tag for ${target.description}; make the template produce text (e.g. a literal prefix) or narrow 'match'`,
            location,
          ),
        );
      } else if (!versions.includes(version)) {
        versions.push(version);
        if (isRelease(template.variables)) releaseVersions.push(version);
      }
    }
    const images = rule.images.length > 0 ? rule.images : request.images;
    builds.push({
      rules: [rule.name],
      context: rule.context,
      file: rule.file,
      platforms: [...rule.platforms],
      buildArgs: { ...rule.buildArgs },
      target: rule.target ?? null,
      push: rule.push,
      versions,
      releaseVersions,
      tags: tagsFor(images, versions, `rule '${rule.name}'`),
    });
  }
  if (problems.length > 0) throw new UserErrors(problems);
  return builds;
}

function defaultBuild(request: PlanRequest, target: MatchTarget): RuleBuild {
  const { config, subject } = request;
  if (defaultsUseSha(target, subject.defaultBranch) && !target.sha) {
    throw new UserError('the default-branch tag sha-<7> needs the commit SHA, but none is known; set GITHUB_SHA or pass --sha');
  }
  const versions: string[] = [];
  for (const text of defaultVersions(target, subject.defaultBranch)) {
    const version = assembleVersion(text, []);
    if (version === undefined) throw new UserError(`${target.description} gives an empty tag; name it with letters or digits`);
    if (!versions.includes(version)) versions.push(version);
  }
  const images = config && config.images.length > 0 ? config.images : request.images;
  const platforms = config && config.platforms.length > 0 ? config.platforms : request.platforms;
  return {
    rules: [DEFAULT_RULE_NAME],
    context: '.',
    file: 'Dockerfile',
    platforms: [...platforms],
    buildArgs: {},
    target: null,
    push: target.type !== 'pull_request',
    versions,
    // A release tag's first default version is its full version (1.2.3); 1.2, 1 and latest roll.
    releaseVersions: target.type === 'tag' ? versions.slice(0, 1) : [],
    tags: tagsFor(images, versions, 'the default rules'),
  };
}

/** Every image × every version, each checked as a whole reference (a 255-character name limit applies). */
function tagsFor(images: readonly string[], versions: readonly string[], what: string): string[] {
  const tags: string[] = [];
  for (const image of images) {
    for (const version of versions) {
      const ref = `${image}:${version}`;
      parseImageRef(ref, what);
      tags.push(ref);
    }
  }
  return tags;
}
