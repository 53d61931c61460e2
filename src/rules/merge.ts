import { UserError } from '../base/errors.js';

/** What buildx is asked to do, apart from the tags: two rules asking the same thing share one build. */
export interface BuildInputs {
  context: string;
  file: string;
  platforms: string[];
  buildArgs: Record<string, string>;
  target: string | null;
  push: boolean;
}

export interface RuleBuild extends BuildInputs {
  rules: string[];
  /** Versions in order; the first one labels the image. */
  versions: string[];
  /** Versions that name exactly one git tag (releases): they must never move. */
  releaseVersions: string[];
  tags: string[];
}

function key(b: BuildInputs): string {
  const args = Object.entries(b.buildArgs).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return JSON.stringify([b.context, b.file, b.target, [...b.platforms].sort(), args, b.push]);
}

function addAll(into: string[], items: readonly string[]): void {
  for (const item of items) if (!into.includes(item)) into.push(item);
}

/**
 * Every matching rule applies; rules with the same build inputs (context, Dockerfile, target,
 * platforms, build args, push) become one build with the union of their tags, in rule order.
 * A tag two different builds would both write is an error: which image it ends up naming would
 * depend on which push finished last.
 */
export function mergeIdenticalBuilds(builds: readonly RuleBuild[]): RuleBuild[] {
  const merged = new Map<string, RuleBuild>();
  for (const build of builds) {
    const k = key(build);
    const existing = merged.get(k);
    if (existing) {
      addAll(existing.rules, build.rules);
      addAll(existing.versions, build.versions);
      addAll(existing.releaseVersions, build.releaseVersions);
      addAll(existing.tags, build.tags);
    } else {
      merged.set(k, {
        ...build,
        rules: [...build.rules],
        versions: [...build.versions],
        releaseVersions: [...build.releaseVersions],
        tags: [...build.tags],
      });
    }
  }
  const result = [...merged.values()];
  const owner = new Map<string, RuleBuild>();
  for (const build of result) {
    for (const tag of build.tags) {
      const other = owner.get(tag);
      if (other) {
        throw new UserError(
          `rules ${other.rules.map((r) => `'${r}'`).join(', ')} and ${build.rules.map((r) => `'${r}'`).join(', ')} both make tag '${tag}' with different build settings; give them different versions or the same settings`,
        );
      }
      owner.set(tag, build);
    }
  }
  return result;
}
