import { join } from 'node:path';
import { UserError } from '../base/errors.js';
import { normalizePlatform } from '../buildx/platforms.js';
import type { BuildRequest } from '../buildx/request.js';
import type { PlannedBuild } from '../rules/plan.js';

/**
 * Where the root action's builds come from — a rules file, the zero-config defaults, explicit
 * tags, or a plan made by an earlier job — and how each becomes one buildx request.
 */
export type BuildsSource = 'rules' | 'defaults' | 'tags' | 'plan';

/** Settings from the root's build inputs that apply to every planned build. */
export interface BuildOverrides {
  /** Build only this platform of each build (per-platform runners). */
  platform?: string;
  pushByDigest: boolean;
  /** false: build everything, push nothing. */
  pushAllowed: boolean;
  /**
   * context/file/target inputs the user gave, which replace the plan's for the zero-config
   * defaults (rules-file builds use their rule's; undefined fields were not given).
   */
  paths?: { context?: string; file?: string; target?: string };
}

/** The builds of a `builds` output handed on from a plan job, checked enough to trust. */
export function parsePlanJson(text: string, input = 'plan'): PlannedBuild[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UserError(
      `input '${input}' is not JSON: pass the plan job's builds output unchanged, e.g. \${{ needs.plan.outputs.builds }}`,
    );
  }
  const builds = (doc as { builds?: unknown } | null)?.builds;
  if (!Array.isArray(builds)) throw new UserError(`input '${input}' has no "builds" list: pass the plan job's builds output unchanged`);
  return builds.map((b: unknown, i) => {
    const build = b as Partial<PlannedBuild> | null;
    const ok =
      build &&
      Array.isArray(build.tags) &&
      Array.isArray(build.platforms) &&
      typeof build.context === 'string' &&
      typeof build.file === 'string' &&
      typeof build.push === 'boolean';
    if (!ok)
      throw new UserError(
        `input '${input}' build ${i} lacks tags, platforms, context, file or push: pass the plan job's builds output unchanged`,
      );
    return {
      rules: Array.isArray(build.rules) ? build.rules : [],
      context: build.context as string,
      file: build.file as string,
      platforms: build.platforms as string[],
      buildArgs: build.buildArgs ?? {},
      target: build.target ?? null,
      tags: build.tags as string[],
      labels: build.labels ?? {},
      push: build.push as boolean,
      // A plan from before release tags were marked protects none: immutable-tags: true still can.
      releaseTags: Array.isArray(build.releaseTags) ? build.releaseTags : [],
    };
  });
}

/** Picks the builds an index asks for (a matrix job builds one of several). */
export function selectBuilds(builds: PlannedBuild[], index: number | undefined, input = 'build-index'): PlannedBuild[] {
  if (index === undefined) return builds;
  const build = builds[index];
  if (!build) throw new UserError(`input '${input}' is ${index}, but the plan has ${builds.length} build(s)`);
  return [build];
}

/** The planned build as one buildx request, on top of the request made from the build inputs. */
export function toBuildRequest(planned: PlannedBuild, base: BuildRequest, overrides: BuildOverrides): BuildRequest {
  let platforms = planned.platforms;
  if (overrides.platform) {
    const wanted = normalizePlatform(overrides.platform);
    if (platforms.length > 0 && !platforms.map(normalizePlatform).includes(wanted)) {
      throw new UserError(`input 'platform' is ${overrides.platform}, which the plan does not build (it builds ${platforms.join(', ')})`);
    }
    platforms = [wanted];
  }
  const push = planned.push && overrides.pushAllowed;
  const paths = overrides.paths ?? {};
  const context = paths.context ?? planned.context;
  return {
    ...base,
    context,
    file: paths.file ?? (paths.context ? join(context, 'Dockerfile') : planned.file),
    target: paths.target ?? planned.target ?? undefined,
    platforms,
    tags: planned.tags,
    // A rule's own build args are the more specific; the input's explicit labels win over the OCI defaults.
    buildArgs: { ...base.buildArgs, ...planned.buildArgs },
    labels: { ...planned.labels, ...base.labels },
    push,
    pushByDigest: push && overrides.pushByDigest,
  };
}

/** Explicit `tags`: one build, exactly as the build action would do it. */
export function explicitBuild(base: BuildRequest, push: boolean, labels: Record<string, string>): PlannedBuild {
  return {
    rules: [],
    context: base.context,
    file: base.file ?? join(base.context, 'Dockerfile'),
    platforms: base.platforms,
    buildArgs: {},
    target: base.target ?? null,
    tags: base.tags,
    labels,
    push,
    releaseTags: [],
  };
}
