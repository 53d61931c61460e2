import { parseAcrHost } from '../acr/hosts.js';
import { parseImageRef, repositoryName, type ImageRef } from '../docker/reference.js';

/**
 * The `cache` shorthand: which --cache-from/--cache-to a build gets. The registries decide what
 * works: ACR Personal Edition rejects BuildKit cache manifests (`unknown manifest class for
 * application/vnd.buildkit.cacheconfig.v0`), so it gets inline cache; every other registry gets a
 * registry cache in the image-manifest form, which registries that reject the index form accept.
 * Untrusted builds (pull requests) read caches but never write shared ones.
 */
export const CACHE_MODES = ['auto', 'registry', 'inline', 'gha', 'local', 'none'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

export interface CacheRequest {
  mode: CacheMode;
  /** Tags being built (full references). */
  tags: string[];
  /** Explicit cache-from / cache-to inputs: each, when given, wins over the mode. */
  cacheFrom: string[];
  cacheTo: string[];
  /** Registry cache reference; default `<first non-Personal image>:buildcache`. */
  cacheRef?: string;
  /** False for pull requests: read caches, never write shared ones. */
  trusted: boolean;
  /** Whether the build pushes: a build that pushes nothing writes nothing to the registry. */
  push: boolean;
  /** Directory for `local` (a persistent disk on a self-hosted runner). */
  localDir: string;
  /**
   * One runner per platform: the default registry cache tag and gha scope get the platform as a
   * suffix (buildcache-linux-arm64), or the platform jobs would overwrite each other's cache.
   */
  platformScope?: string;
}

export interface CachePlan {
  cacheFrom: string[];
  cacheTo: string[];
  /** What was chosen and why, for the log. */
  explanation: string;
  /** For `local`: after the build, replace `to` with `from` (keeps the directory bounded). */
  rotate?: { exported: string; current: string };
  /** A choice the registry is known to reject, said as a warning. */
  warning?: string;
}

const REGISTRY_CACHE_ATTRS = 'mode=max,image-manifest=true,oci-mediatypes=true,ignore-error=true';

function isPersonal(ref: ImageRef): boolean {
  return parseAcrHost(ref.registry)?.edition === 'personal';
}

/** Cache scope for the GitHub cache service: per image, so parallel images do not clobber. */
function ghaScope(ref: ImageRef): string {
  return repositoryName(ref).replace(/[^A-Za-z0-9._-]+/g, '-');
}

function withExplicit(plan: CachePlan, req: CacheRequest): CachePlan {
  const explicitFrom = req.cacheFrom.length > 0;
  const explicitTo = req.cacheTo.length > 0;
  if (!explicitFrom && !explicitTo) return plan;
  return {
    ...plan,
    cacheFrom: explicitFrom ? req.cacheFrom : plan.cacheFrom,
    cacheTo: explicitTo ? req.cacheTo : plan.cacheTo,
    rotate: explicitTo ? undefined : plan.rotate,
    explanation: `${plan.explanation}; explicit ${[explicitFrom && 'cache-from', explicitTo && 'cache-to'].filter(Boolean).join(' and ')} used as given`,
  };
}

export function planCache(req: CacheRequest): CachePlan {
  return withExplicit(basePlan(req), req);
}

function basePlan(req: CacheRequest): CachePlan {
  const suffix = req.platformScope ? `-${req.platformScope.replace(/[^A-Za-z0-9]+/g, '-')}` : '';
  const images = req.tags.map((t) => parseImageRef(t));
  const first = images[0];
  const readOnly = req.trusted ? '' : ' (read-only: untrusted ref)';
  const writesRegistry = req.trusted && req.push;
  const registryReadOnly = !req.trusted ? readOnly : req.push ? '' : ' (read-only: push is false)';
  let mode = req.mode;
  if (mode === 'none') return { cacheFrom: [], cacheTo: [], explanation: 'cache: none' };
  if (!first && (mode === 'auto' || mode === 'registry' || mode === 'inline')) {
    return {
      cacheFrom: [],
      cacheTo: [],
      explanation: `cache: ${mode} needs an image to name the cache; only the builder's own cache is used`,
    };
  }
  let warning: string | undefined;
  let why = '';
  if (mode === 'auto') {
    const shared = images.find((i) => !isPersonal(i));
    mode = shared || req.cacheRef ? 'registry' : 'inline';
    why =
      mode === 'inline'
        ? ' (ACR Personal Edition rejects registry cache manifests)'
        : ` (on ${repositoryName(shared ?? parseImageRef(req.cacheRef ?? ''))})`;
  }
  switch (mode) {
    case 'inline': {
      const sources = [...new Set(images.flatMap((i) => [formatTag(i), formatTag({ ...i, tag: 'latest' })]))];
      return {
        cacheFrom: sources.map((ref) => `type=registry,ref=${ref}`),
        cacheTo: req.push ? ['type=inline'] : [],
        explanation: `cache: inline${why}, imported from the image's own tags${req.push ? '' : ' (nothing exported: push is false)'}`,
      };
    }
    case 'registry': {
      const ref = req.cacheRef ?? `${repositoryName(images.find((i) => !isPersonal(i)) ?? (first as ImageRef))}:buildcache${suffix}`;
      if (isPersonal(parseImageRef(ref, "input 'cache-ref'"))) {
        warning = `cache: registry cache at ${ref} will be refused — ACR Personal Edition rejects BuildKit cache manifests; use cache: inline or a cache-ref on another registry`;
      }
      return {
        cacheFrom: [`type=registry,ref=${ref}`],
        cacheTo: writesRegistry ? [`type=registry,ref=${ref},${REGISTRY_CACHE_ATTRS}`] : [],
        explanation: `cache: registry at ${ref}${why}${registryReadOnly}`,
        warning,
      };
    }
    case 'gha': {
      const scope = `${first ? ghaScope(first) : 'acr-ship'}${suffix}`;
      return {
        cacheFrom: [`type=gha,scope=${scope}`],
        cacheTo: req.trusted ? [`type=gha,scope=${scope},mode=max,ignore-error=true`] : [],
        explanation: `cache: GitHub Actions cache, scope ${scope}${readOnly}`,
      };
    }
    case 'local': {
      const exported = `${req.localDir}-new`;
      return {
        cacheFrom: [`type=local,src=${req.localDir}`],
        cacheTo: req.trusted ? [`type=local,dest=${exported},mode=max,ignore-error=true`] : [],
        explanation: `cache: local directory ${req.localDir}${readOnly}`,
        rotate: req.trusted ? { exported, current: req.localDir } : undefined,
      };
    }
    default:
      return { cacheFrom: [], cacheTo: [], explanation: `cache: ${mode}` };
  }
}

function formatTag(ref: ImageRef): string {
  return `${repositoryName(ref)}:${ref.tag ?? 'latest'}`;
}
