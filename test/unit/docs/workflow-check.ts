/**
 * Checks documented GitHub Actions YAML against the action.yml files of this repository: every
 * `uses: acr-ship/acr-ship[/<action>]@…` step passes only inputs the action declares (and every
 * required one), `needs:` names jobs that exist, `steps.<id>.outputs.<name>` and
 * `needs.<job>.outputs.<name>` name a step or job that is there and an output it has, third-party
 * actions are pinned to a commit SHA, and jobs that log in keylessly may ask for an ID token.
 * Each problem is one line; an empty list means the YAML is what the actions accept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ActionSpec {
  /** The action.yml, relative to the repository root. */
  file: string;
  inputs: Map<string, { required: boolean }>;
  outputs: Set<string>;
}

/**
 * Entries of an action's contract that are announced (and documented) but not in its action.yml
 * yet. They count only while the action.yml lacks them, so they can stay until they land.
 */
export const ANNOUNCED: Readonly<Record<string, { inputs?: readonly string[]; outputs?: readonly string[] }>> = {
  plan: { outputs: ['matrix'] },
};

const OWN_ACTION = /^acr-ship\/acr-ship(?:\/([A-Za-z0-9_-]+))?@(\S+)$/;
const PINNED = /^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@[0-9a-f]{40}$/;
const REFERENCE = /\b(steps|needs)\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g;

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every string inside a parsed YAML value (expressions live in strings). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (isMapping(value)) return Object.values(value).flatMap(stringsIn);
  return [];
}

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export class ActionSpecs {
  private readonly cache = new Map<string, ActionSpec | undefined>();

  constructor(private readonly root: string) {}

  /** The action `acr-ship/acr-ship[/<sub>]` names; undefined when there is no such action.yml. */
  get(sub: string): ActionSpec | undefined {
    if (!this.cache.has(sub)) this.cache.set(sub, this.load(sub));
    return this.cache.get(sub);
  }

  private load(sub: string): ActionSpec | undefined {
    const file = sub ? `${sub}/action.yml` : 'action.yml';
    let text: string;
    try {
      text = readFileSync(join(this.root, file), 'utf8');
    } catch {
      return undefined;
    }
    const doc = parse(text) as { inputs?: Record<string, { required?: boolean } | null>; outputs?: Record<string, unknown> };
    const inputs = new Map(Object.entries(doc.inputs ?? {}).map(([name, def]) => [name, { required: def?.required === true }]));
    const outputs = new Set(Object.keys(doc.outputs ?? {}));
    const announced = ANNOUNCED[sub || '.'] ?? {};
    for (const name of announced.inputs ?? []) if (!inputs.has(name)) inputs.set(name, { required: false });
    for (const name of announced.outputs ?? []) outputs.add(name);
    return { file, inputs, outputs };
  }
}

/** What a step may refer to: the job's steps with their ids, the jobs it needs. */
interface Scope {
  where: string;
  /** Jobs of the workflow by id, with their declared outputs; undefined for a steps snippet. */
  jobs: Map<string, Mapping> | undefined;
  needs: string[];
}

export class WorkflowChecker {
  readonly problems: string[] = [];

  constructor(private readonly actions: ActionSpecs) {}

  /** A whole workflow file (a mapping with `jobs:`). */
  workflow(doc: Mapping, where: string): void {
    if (doc.on === undefined) this.problems.push(`${where}: no 'on:' trigger`);
    const jobs = isMapping(doc.jobs) ? doc.jobs : {};
    const jobMap = new Map(Object.entries(jobs).filter((e): e is [string, Mapping] => isMapping(e[1])));
    if (jobMap.size === 0) this.problems.push(`${where}: 'jobs:' has no jobs`);
    for (const [id, job] of jobMap) {
      const at = `${where} job '${id}'`;
      const needs = list(job.needs);
      for (const need of needs) if (!jobMap.has(need)) this.problems.push(`${at}: needs '${need}', which is not a job of this workflow`);
      if (job['runs-on'] === undefined) this.problems.push(`${at}: no 'runs-on'`);
      const permissions = job.permissions ?? doc.permissions;
      if (permissions === undefined) this.problems.push(`${at}: no 'permissions:' for the job token (here or at the top)`);
      const steps = Array.isArray(job.steps) ? job.steps : [];
      if (steps.length === 0) this.problems.push(`${at}: no steps`);
      const scope: Scope = { where: at, jobs: jobMap, needs };
      this.steps(steps, scope);
      this.references(stringsIn([job.outputs, job.if, job.strategy, job['runs-on']]), steps, scope);
      if (this.logsInKeylessly(steps) && !(isMapping(permissions) && permissions['id-token'] === 'write')) {
        this.problems.push(`${at}: keyless OIDC ('role-arn') needs 'permissions: id-token: write'`);
      }
    }
  }

  /** A list of steps, as a job has them (or a snippet of one). */
  steps(steps: unknown[], scope: Scope = { where: 'steps', jobs: undefined, needs: [] }): void {
    const ids = new Set<string>();
    steps.forEach((step, i) => {
      const at = `${scope.where} step ${i + 1}`;
      if (!isMapping(step)) {
        this.problems.push(`${at}: not a mapping`);
        return;
      }
      if (typeof step.id === 'string') {
        if (ids.has(step.id)) this.problems.push(`${at}: step id '${step.id}' is used twice`);
        ids.add(step.id);
      }
      if ((step.uses === undefined) === (step.run === undefined)) this.problems.push(`${at}: needs exactly one of 'uses' and 'run'`);
      if (typeof step.uses === 'string') this.uses(step.uses, step.with, `${at} (${step.uses})`);
      // A step sees the steps before it, never itself or later ones.
      this.references(stringsIn(step), steps.slice(0, i), { ...scope, where: at });
    });
  }

  /**
   * The raw text of a YAML block starting at `file:line`: acr-ship's own actions are used at @v1,
   * every other action is pinned to a full commit SHA with its release in a comment.
   */
  pins(text: string, file: string, line: number): void {
    text.split('\n').forEach((content, i) => {
      const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(content);
      if (!m) return;
      const [, ref = '', rest = ''] = m;
      const at = `${file}:${line + i}: ${ref}`;
      if (OWN_ACTION.test(ref)) {
        if (!ref.endsWith('@v1')) this.problems.push(`${at}: use acr-ship's own actions at @v1`);
      } else if (!PINNED.test(ref) || !/#\s*v\d+(\.\d+)*\b/.test(rest)) {
        this.problems.push(`${at}: pin actions of other projects to a full commit SHA with '# vX.Y.Z'`);
      }
    });
  }

  private uses(ref: string, given: unknown, at: string): void {
    const own = OWN_ACTION.exec(ref);
    if (!own) return;
    const sub = own[1] ?? '';
    const action = this.actions.get(sub);
    if (!action) {
      this.problems.push(`${at}: there is no action '${sub}' (no ${sub}/action.yml)`);
      return;
    }
    const inputs = isMapping(given) ? Object.keys(given) : [];
    for (const name of inputs) {
      if (!action.inputs.has(name)) this.problems.push(`${at}: input '${name}' is not an input of ${action.file}`);
    }
    for (const [name, def] of action.inputs) {
      if (def.required && !inputs.includes(name)) this.problems.push(`${at}: required input '${name}' of ${action.file} is missing`);
    }
  }

  private references(texts: string[], visible: unknown[], scope: Scope): void {
    const byId = new Map(visible.filter(isMapping).map((s) => [s.id, s]));
    for (const text of texts) {
      for (const [, kind, name = '', output = ''] of text.matchAll(REFERENCE)) {
        const ref = `${kind}.${name}.outputs.${output}`;
        if (kind === 'steps') {
          const step = byId.get(name);
          if (!step) {
            this.problems.push(`${scope.where}: ${ref}: no earlier step has id '${name}'`);
            continue;
          }
          const own = typeof step.uses === 'string' ? OWN_ACTION.exec(step.uses) : null;
          const action = own ? this.actions.get(own[1] ?? '') : undefined;
          if (action && !action.outputs.has(output)) this.problems.push(`${scope.where}: ${ref}: ${action.file} has no output '${output}'`);
        } else {
          const job = scope.jobs?.get(name);
          if (!scope.needs.includes(name) || !job) {
            this.problems.push(`${scope.where}: ${ref}: job '${name}' is not in this job's 'needs'`);
          } else if (!isMapping(job.outputs) || !(output in job.outputs)) {
            this.problems.push(`${scope.where}: ${ref}: job '${name}' declares no output '${output}'`);
          }
        }
      }
    }
  }

  private logsInKeylessly(steps: unknown[]): boolean {
    return steps.some(
      (s) => isMapping(s) && typeof s.uses === 'string' && OWN_ACTION.test(s.uses) && isMapping(s.with) && 'role-arn' in s.with,
    );
  }
}
