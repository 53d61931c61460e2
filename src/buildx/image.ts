import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { errorMessage, UserError } from '../base/errors.js';
import { withRetries } from '../net/retry.js';
import { chooseAttestations, type AttestationChoice } from './attestations.js';
import { BuildError, runBuild, type BuildContext, type BuildResult } from './build.js';
import { runnableHere } from './emulation.js';
import { runsHere, storedBuilder } from './store.js';
import { checkPlatforms, inspectBuilder, type BuilderInfo } from './builder.js';
import { prepareBuilder, type BuilderEndpoint, type PreparedBuilder } from './builder-setup.js';
import { planCache, type CacheMode, type CachePlan } from './cache.js';
import type { BuildRequest } from './request.js';

/** A context that BuildKit fetches itself (git or tarball URL) rather than a local directory. */
export function isRemoteContext(context: string): boolean {
  return /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/.test(context) || context.endsWith('.git');
}

/** Checks local paths up front so a typo fails in one line before any builder starts. */
export function checkLocalPaths(req: BuildRequest, cwd: string): void {
  if (isRemoteContext(req.context) || req.context === '-') return;
  const context = isAbsolute(req.context) ? req.context : resolve(cwd, req.context);
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw new UserError(`input 'context': directory '${req.context}' does not exist`);
  }
  const file = req.file ? (isAbsolute(req.file) ? req.file : resolve(cwd, req.file)) : join(context, 'Dockerfile');
  if (!existsSync(file)) {
    throw new UserError(`input 'file': Dockerfile '${req.file ?? join(req.context, 'Dockerfile')}' does not exist`);
  }
}

/** Everything one image build needs beyond the buildx request itself. */
export interface ImageBuildSpec {
  request: BuildRequest;
  cache: { mode: CacheMode; cacheRef?: string; localDir: string; trusted: boolean; platformScope?: string };
  builder: { endpoints: BuilderEndpoint[]; buildkitImage: string; nameHint: string };
  /** Whole-build retries on transient registry/network faults. */
  retries: number;
  /** Also retry steps that crashed under QEMU (flaky for some workloads). */
  retryEmulation: boolean;
  /** Delay before the first retry (doubles after). */
  retryDelayMs?: number;
}

export interface ImageBuild {
  request: BuildRequest;
  builder: PreparedBuilder;
  cache: CachePlan;
  attestations: AttestationChoice;
  result: BuildResult;
  attempts: number;
}

/**
 * Builds (and pushes, if asked) one image: check paths, settle cache and attestations, pick or
 * create the builder, check it can build every platform, then one buildx invocation — retried
 * as a whole on transient faults (cheap: the cache is warm by then).
 */
export async function buildImage(
  spec: ImageBuildSpec,
  ctx: BuildContext,
  onBuilder?: (b: Pick<PreparedBuilder, 'name' | 'created'>) => void,
): Promise<ImageBuild> {
  const req = { ...spec.request };
  checkLocalPaths(req, ctx.cwd);

  const cache = planCache({ ...spec.cache, tags: req.tags, cacheFrom: req.cacheFrom, cacheTo: req.cacheTo, push: req.push });
  req.cacheFrom = cache.cacheFrom;
  req.cacheTo = cache.cacheTo;
  ctx.log.info(cache.explanation);
  if (cache.warning) ctx.log.warning(cache.warning);

  // buildx hands SOURCE_DATE_EPOCH from the environment to the build (image config times); the
  // layers' file times need the exporter's rewrite too, or each builder pushes different layers.
  const epoch = req.buildArgs.SOURCE_DATE_EPOCH ?? ctx.docker.env.SOURCE_DATE_EPOCH;
  if (epoch && req.outputs.length === 0 && req.push) {
    req.rewriteTimestamps = true;
    ctx.log.info(`SOURCE_DATE_EPOCH=${epoch}: file times in the layers are clamped to it (reproducible image)`);
  }

  const chosen = await chooseBuilder(spec, req, ctx, cache);
  if (chosen.created) onBuilder?.({ name: chosen.name, created: true });
  req.builder = chosen.name;

  const pushes = req.push || req.outputs.some((o) => /type=(registry|image)\b/.test(o) && /push=true/.test(o));
  const attestations = chooseAttestations(req.tags, { provenance: req.provenance, sbom: req.sbom }, { pushes, driver: chosen.driver });
  req.provenance = attestations.provenance;
  req.sbom = attestations.sbom;
  ctx.log.info(attestations.explanation);

  if (!chosen.inspected && req.platforms.length > 0) {
    ctx.log.info(
      `platforms ${req.platforms.join(', ')}: this machine runs them (binfmt_misc), and so does builder '${chosen.name}', which runs here`,
    );
  }
  let attempts = 0;
  const result = await withRetries(
    async (attempt) => {
      attempts = attempt;
      return runBuild(req, ctx);
    },
    {
      retries: spec.retries,
      baseDelayMs: spec.retryDelayMs ?? 2000,
      retryable: (err) =>
        err instanceof BuildError && (err.failure.retryable || (spec.retryEmulation && err.failure.kind === 'emulator-crash')),
      onRetry: ({ attempt, delayMs, error }) =>
        ctx.log.warning(
          `build attempt ${attempt} of ${spec.retries + 1} failed: ${(error as BuildError).message}; retrying in ${(delayMs / 1000).toFixed(1)}s`,
        ),
    },
  );
  const info = await chosen.info;
  logBuilder(ctx, info);
  const builder: PreparedBuilder = { name: chosen.name, info, created: chosen.created };
  if (!chosen.created) onBuilder?.(builder);
  if (result.cacheExportError) {
    const acrLike = /unknown manifest class/.test(result.cacheExportError)
      ? ' — this registry refuses BuildKit cache manifests; use cache: inline or a cache-ref on another registry'
      : '';
    ctx.log.warning(
      `cache export failed; the image itself was built${req.push ? ' and pushed' : ''}: ${result.cacheExportError}${acrLike}`,
    );
  }
  if (result.registryRetries.length > 0) {
    ctx.log.warning(
      `registry requests failed ${result.registryRetries.length} time(s) and BuildKit retried them (first: ${result.registryRetries[0]})`,
    );
  }
  if (cache.rotate && !result.cacheExportError) rotateLocalCache(cache.rotate);
  if (req.load && !result.imageId && req.tags[0]) result.imageId = await loadedImageId(ctx, req.tags[0]);
  return { request: req, builder, cache, attestations, result, attempts };
}

/** The builder for a build: its name and driver now, its description (platforms) when ready. */
interface ChosenBuilder {
  name: string;
  driver: string;
  created: boolean;
  /** Inspected (and its platforms checked) before the build, rather than beside it. */
  inspected: boolean;
  info: Promise<BuilderInfo>;
}

/**
 * When buildx's store names the builder, its nodes run on this machine and binfmt_misc here can
 * run every platform asked for, the platform check is that file read: the build starts at once
 * and `buildx inspect` runs beside it, only for the report. Otherwise the builder is inspected
 * (and perhaps created) and its platforms checked before anything is built.
 */
async function chooseBuilder(spec: ImageBuildSpec, req: BuildRequest, ctx: BuildContext, cache: CachePlan): Promise<ChosenBuilder> {
  if (spec.builder.endpoints.length === 0) {
    const stored = storedBuilder(ctx.docker.env, req.builder);
    if (stored && stored.driver !== 'docker' && runsHere(stored, ctx.docker.env) && runnableHere(req.platforms)) {
      // Only for the report: what decides whether to build is settled above, so a failure here
      // must not stop a build.
      const info = inspectBuilder(ctx.docker, stored.name).catch((err: unknown): BuilderInfo => {
        ctx.log.warning(`could not describe builder '${stored.name}': ${errorMessage(err)}`);
        return { name: stored.name, driver: stored.driver, nodes: [] };
      });
      return { name: stored.name, driver: stored.driver, created: false, inspected: false, info };
    }
  }
  const prepared = await prepareBuilder(ctx.docker, ctx.log, {
    builder: req.builder,
    endpoints: spec.builder.endpoints,
    buildkitImage: spec.builder.buildkitImage,
    nameHint: spec.builder.nameHint,
    needs: { platforms: req.platforms, exportsCache: cache.cacheTo.some((c) => !/^type=inline\b/.test(c)) },
  });
  if (req.platforms.length > 0) checkPlatforms(prepared.info, req.platforms);
  return {
    name: prepared.name,
    driver: prepared.info.driver,
    created: prepared.created,
    inspected: true,
    info: Promise.resolve(prepared.info),
  };
}

function logBuilder(ctx: BuildContext, info: BuilderInfo): void {
  ctx.log.info(`builder '${info.name}' (${info.driver}): ${info.nodes.map((n) => `${n.name} [${n.platforms.join(', ')}]`).join('; ')}`);
}

/**
 * The ID of an image loaded into the engine: buildx reports no config digest for the docker
 * driver, so the engine is asked (what `docker images` shows is what users expect in imageid).
 */
async function loadedImageId(ctx: BuildContext, tag: string): Promise<string | undefined> {
  const inspect = await ctx.docker.run(['image', 'inspect', tag, '--format', '{{.Id}}']);
  return inspect.code === 0 ? inspect.stdout.trim() || undefined : undefined;
}

/** The local exporter only adds blobs; swapping in the fresh export keeps the directory bounded. */
function rotateLocalCache(rotate: { exported: string; current: string }): void {
  if (!existsSync(rotate.exported)) return;
  rmSync(rotate.current, { recursive: true, force: true });
  renameSync(rotate.exported, rotate.current);
}
