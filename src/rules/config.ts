import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { LineCounter, parseDocument, type Node, type YAMLError } from 'yaml';
import { UserError, UserErrors } from '../base/errors.js';
import { compilePattern, type SafePattern } from '../base/pattern.js';
import { parsePlatform } from '../docker/platform.js';
import { checkImage } from './images.js';
import { DEFAULT_COMMIT_LENGTH, fileSpec, type RawRule, type RawRulesFile, type RawTrigger } from './schema.js';
import { ConfigReader, placeName } from './spec.js';
import { BUILTIN_VARIABLES, type RuleType } from './subject.js';
import { literalText, parseTemplate, TemplateError, type Template } from './template.js';
import { DEFAULT_TIMEZONE, isTimeZone, type TimeFormat } from './time.js';

/**
 * Loading the rules file: YAML with line numbers, the shape checked against schema.ts, then the
 * checks that need meaning (regexes compile, templates use known variables, paths stay inside the
 * repository, images and platforms are valid). Every problem in the file is reported at once,
 * whatever ref is being planned, one line each: `file:line: rule 'x' field 'y': what to fix`.
 */

export interface Rule {
  name: string;
  type: RuleType;
  /** Whole-name match; named groups become template variables. */
  match: SafePattern;
  /** Build context relative to the repository root: `.` for the root. */
  context: string;
  /** Dockerfile path relative to the repository root. */
  file: string;
  versions: readonly Template[];
  time: TimeFormat | undefined;
  /** Length of the commit-ID suffix; undefined for none. */
  commit: number | undefined;
  buildArgs: Record<string, string>;
  platforms: string[];
  target: string | undefined;
  push: boolean;
  /** The rule's own images, else the file's; empty means the `image` input. */
  images: string[];
  line: number;
}

/** A `triggers:` entry: what redeploy resolves (reading the named variables) and delivers to. */
export interface TriggerConfig {
  /** Required, unique among triggers. */
  name: string;
  /** YAML `url-env`: the variable holding the URL — URLs are secrets, so the file names a variable. */
  urlEnv: string;
  /** YAML `filter: all | regex | tags` with `expression` / `tags` (at most 10, like ACR). */
  filter: { type: 'all' } | { type: 'regex'; expression: string } | { type: 'tags'; tags: string[] };
  /** Default POST; GET for ACK triggers opened like a link. */
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  /** YAML `secret-env`: the variable holding the HMAC key. */
  secretEnv?: string;
}

export interface RulesConfig {
  /** The file as messages name it, relative to the repository root. */
  file: string;
  /** The file's `image`/`images`; empty means the `image` input. */
  images: string[];
  timezone: string;
  /** Default platforms (also for the zero-config defaults). */
  platforms: string[];
  /** Undefined when the file has no `rules:` — the zero-config defaults apply. */
  rules: Rule[] | undefined;
  triggers: TriggerConfig[];
}

export const DEFAULT_CONFIG_PATHS = ['.github/acr-ship.yml', '.github/acr-ship.yaml'];
const MAX_FILE_SIZE = 1024 * 1024;
/** Variables a named group may not shadow. */
const RESERVED = new Set(Object.values(BUILTIN_VARIABLES).flat());

/**
 * Reads the rules file at `path` (relative to the workspace), or at the default paths when none
 * is given. Undefined when no path was given and no file exists: the zero-config defaults apply.
 */
export function loadRulesFile(workspace: string, path: string | undefined): RulesConfig | undefined {
  for (const candidate of path ? [path] : DEFAULT_CONFIG_PATHS) {
    const full = resolve(workspace, candidate);
    let text: string;
    try {
      text = readFileSync(full, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !path) continue;
      if (code === 'ENOENT') {
        throw new UserError(
          `rules file '${candidate}' does not exist in ${workspace}: check the path, or leave it out to use the defaults`,
        );
      }
      throw new UserError(`cannot read rules file '${candidate}': ${(err as Error).message}`);
    }
    if (text.length > MAX_FILE_SIZE) throw new UserError(`rules file '${candidate}' is larger than 1 MiB`);
    return parseRulesFile(text, shownPath(workspace, full));
  }
  return undefined;
}

/** Relative to the workspace with forward slashes, as GitHub annotations want it. */
function shownPath(workspace: string, full: string): string {
  const rel = relative(workspace, full);
  return rel.startsWith('..') || isAbsolute(rel) ? full : rel.split(sep).join('/');
}

function syntaxError(err: YAMLError, file: string): UserError {
  const line = err.linePos?.[0].line ?? 1;
  const message = (err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  return new UserError(`${file}:${line}: not valid YAML: ${message}`, { file, line });
}

/** Parses and checks the text of a rules file; `file` names it in messages. Throws UserErrors. */
export function parseRulesFile(text: string, file: string): RulesConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, merge: true });
  if (doc.errors.length > 0) throw new UserErrors(doc.errors.map((e) => syntaxError(e, file)));
  const reader = new ConfigReader(file, doc, lineCounter);
  const contents = doc.contents as Node | null;
  if (contents === null) {
    throw new UserErrors([new UserError(`${file}:1: the rules file is empty; start it with 'version: 1' and 'rules:'`, { file, line: 1 })]);
  }
  const raw = fileSpec.read(reader.resolve(contents), { owner: '', field: '', line: reader.lineOf(contents, 1) }, reader);
  const config = raw && new Checker(reader).config(raw);
  if (reader.problems.length > 0 || !config) {
    const sorted = [...reader.problems].sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0));
    throw new UserErrors(sorted);
  }
  return config;
}

/** The checks of meaning, on values whose shape schema.ts has already checked. */
class Checker {
  constructor(private readonly reader: ConfigReader) {}

  config(raw: RawRulesFile): RulesConfig {
    const r = this.reader;
    const images = this.images(raw, raw.image, raw.images, '');
    const timezone = raw.timezone ?? DEFAULT_TIMEZONE;
    if (raw.timezone !== undefined && !isTimeZone(timezone)) {
      r.report(this.at(raw, '', 'timezone'), `unknown time zone '${timezone}'; use an IANA name such as Asia/Shanghai or UTC`);
    }
    const platforms = raw.platforms ? this.platforms(raw.platforms, '', 'platforms') : [];
    const rules = raw.rules?.map((rule, i) => this.rule(rule, i, images, platforms)).filter((r) => r !== undefined);
    if (raw.rules) this.uniqueNames(raw.rules, 'rule');
    const triggers = (raw.triggers ?? []).map((t, i) => this.trigger(t, i)).filter((t) => t !== undefined);
    if (raw.triggers) this.uniqueNames(raw.triggers, 'trigger');
    return { file: r.file, images, timezone, platforms, rules, triggers };
  }

  private at(
    container: object,
    owner: string,
    field: string,
    key: string | number | null = field,
  ): { owner: string; field: string; line: number } {
    return { owner, field, line: this.reader.lineAt(container, key) };
  }

  /** Runs a check that throws a UserError prefixed with `what`, and records it at `line`. */
  private attempt<T>(line: number, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      this.reader.reportNamed(line, err.message);
      return undefined;
    }
  }

  private prefix(at: { owner: string; field: string; line: number }): string {
    return `${this.reader.file}:${at.line}: ${placeName(at.owner, at.field)}`;
  }

  private images(container: object, image: string | undefined, images: string[] | undefined, owner: string): string[] {
    const list = image !== undefined ? [image] : (images ?? []);
    const field = image !== undefined ? 'image' : 'images';
    const valid: string[] = [];
    list.forEach((ref, i) => {
      const at = image !== undefined ? this.at(container, owner, field) : this.at(list, owner, `images[${i}]`, i);
      const checked = this.attempt(at.line, () => checkImage(ref, this.prefix(at)));
      if (checked !== undefined && !valid.includes(checked)) valid.push(checked);
    });
    return valid;
  }

  private platforms(list: string[], owner: string, field: string): string[] {
    const result: string[] = [];
    list.forEach((p, i) => {
      const at = this.at(list, owner, `${field}[${i}]`, i);
      const normalized = this.attempt(at.line, () => parsePlatform(p, this.prefix(at)));
      if (normalized !== undefined && !result.includes(normalized)) result.push(normalized);
    });
    return result;
  }

  private uniqueNames(items: readonly { name?: string }[], kind: string): void {
    const seen = new Map<string, number>();
    for (const item of items) {
      if (item.name === undefined) continue;
      const line = this.reader.lineAt(item, 'name');
      const first = seen.get(item.name);
      if (first !== undefined) {
        this.reader.report(
          { owner: `${kind} '${item.name}'`, field: 'name', line },
          `the name is already used at line ${first}; names must be unique`,
        );
      } else {
        seen.set(item.name, line);
      }
    }
  }

  /** Owner of messages: by name, or by position when the name itself is the problem. */
  private owner(kind: string, name: string | undefined, index: number): string {
    return name !== undefined ? `${kind} '${name}'` : `${kind} #${index + 1}`;
  }

  /** Checks what a rule has, even when its shape was incomplete, so every problem is reported. */
  private rule(raw: Partial<RawRule>, index: number, fileImages: string[], filePlatforms: string[]): Rule | undefined {
    const owner = this.owner('rule', raw.name, index);
    const matchAt = this.at(raw, owner, 'match');
    const match =
      raw.match === undefined ? undefined : this.attempt(matchAt.line, () => compilePattern(raw.match ?? '', this.prefix(matchAt)));
    for (const group of match?.groupNames ?? []) {
      if (RESERVED.has(group)) {
        this.reader.report(matchAt, `the named group '${group}' has the name of a built-in variable; rename it, e.g. (?<${group}Name>…)`);
      }
    }
    // Unknown variables can only be told when the type and the groups are known.
    const available = raw.type && match ? [...BUILTIN_VARIABLES[raw.type], ...match.groupNames] : undefined;
    const versions = raw.versions ? this.versions(raw.versions, owner, raw.type, available) : [];
    const context = this.repoPath(raw, owner, 'context', raw.context ?? '/', true);
    const dockerfile = this.repoPath(raw, owner, 'dockerfile', raw.dockerfile ?? 'Dockerfile', false);
    const platforms = raw.platforms ? this.platforms(raw.platforms, owner, 'platforms') : filePlatforms;
    const images = raw.image !== undefined || raw.images !== undefined ? this.images(raw, raw.image, raw.images, owner) : fileImages;
    if (!this.reader.isComplete(raw) || !raw.name || !raw.type || !match || !context || !dockerfile) return undefined;
    return {
      name: raw.name,
      type: raw.type,
      match,
      context,
      file: context === '.' ? dockerfile : `${context}/${dockerfile}`,
      versions,
      time: raw.time,
      commit: raw.commit === true ? DEFAULT_COMMIT_LENGTH : raw.commit === false ? undefined : raw.commit,
      buildArgs: { ...raw['build-args'] },
      platforms,
      target: raw.target,
      push: raw.push ?? true,
      images,
      line: this.reader.lineAt(raw),
    };
  }

  private versions(sources: string[], owner: string, type: RuleType | undefined, available: readonly string[] | undefined): Template[] {
    const templates: Template[] = [];
    sources.forEach((source, i) => {
      const at = this.at(sources, owner, `versions[${i}]`, i);
      let template: Template;
      try {
        template = parseTemplate(source);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        this.reader.report(at, err.message);
        return;
      }
      const unknown = available ? template.variables.filter((v) => !available.includes(v)) : [];
      if (available && unknown.length > 0) {
        const names = unknown.map((v) => `\${${v}}`).join(', ');
        this.reader.report(at, `unknown variable ${names} for a ${type} rule; available: ${available.map((v) => `\${${v}}`).join(', ')}`);
      }
      const literal = literalText(template);
      const bad = [...new Set(literal.replace(/[A-Za-z0-9_.-]/g, ''))];
      if (bad.length > 0) {
        this.reader.report(
          at,
          `'${source}' has ${bad.map((c) => `'${c}'`).join(' ')}, which a tag cannot hold; use letters, digits, _ . -`,
        );
      } else if (/^[.-]/.test(source)) {
        this.reader.report(at, `'${source}' starts with '${source[0]}', which a tag cannot start with`);
      } else if (literal.length > 128) {
        this.reader.report(at, 'is longer than the 128 characters a tag may have');
      }
      if (!templates.some((t) => t.source === source)) templates.push(template);
    });
    return templates;
  }

  /**
   * ACR's "Dockerfile directory" and "Dockerfile filename": relative to the repository root (a
   * leading / means the root) and never outside it, since they come from a file anyone can edit.
   */
  private repoPath(raw: Partial<RawRule>, owner: string, field: string, text: string, isDirectory: boolean): string | undefined {
    const at = this.at(raw, owner, field);
    if (!isDirectory && (text.startsWith('/') || text.endsWith('/'))) {
      this.reader.report(at, `'${text}' must be a file path inside the context directory, e.g. Dockerfile or docker/Dockerfile.prod`);
      return undefined;
    }
    const parts = text.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..') || /[\\\0]/.test(text)) {
      this.reader.report(at, `'${text}' must stay inside the repository: use a path relative to the root, without '..' or '\\'`);
      return undefined;
    }
    if (parts.length === 0) {
      if (isDirectory) return '.';
      this.reader.report(at, `'${text}' is not a file name`);
      return undefined;
    }
    return parts.join('/');
  }

  private trigger(raw: Partial<RawTrigger>, index: number): TriggerConfig | undefined {
    const owner = this.owner('trigger', raw.name, index);
    const type = raw.filter ?? 'all';
    if (raw.expression !== undefined && type !== 'regex') {
      this.reader.report(this.at(raw, owner, 'expression'), `applies only with 'filter: regex' (filter is ${type})`);
    }
    if (raw.tags !== undefined && type !== 'tags') {
      this.reader.report(this.at(raw, owner, 'tags'), `applies only with 'filter: tags' (filter is ${type})`);
    }
    let filter: TriggerConfig['filter'] = { type: 'all' };
    if (type === 'regex' && raw.expression !== undefined) {
      const expression = raw.expression;
      const at = this.at(raw, owner, 'expression');
      // Compiled now only to report a bad one up front; delivery compiles its own.
      this.attempt(at.line, () => compilePattern(expression, this.prefix(at)));
      filter = { type, expression };
    } else if (type === 'tags') {
      filter = { type, tags: [...new Set(raw.tags ?? [])] };
    }
    if (!this.reader.isComplete(raw) || raw.name === undefined || raw['url-env'] === undefined) return undefined;
    const trigger: TriggerConfig = {
      name: raw.name,
      urlEnv: raw['url-env'],
      filter,
      method: raw.method ?? 'POST',
      headers: { ...raw.headers },
    };
    if (raw['secret-env'] !== undefined) trigger.secretEnv = raw['secret-env'];
    return trigger;
  }
}
