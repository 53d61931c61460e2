import { join } from 'node:path';
import { UserError } from '../../base/errors.js';
import { parseKeyValues } from '../../base/lists.js';
import { DEFAULT_BUILDKIT_IMAGE, parseEndpoints } from '../../buildx/builder-setup.js';
import { CACHE_MODES } from '../../buildx/cache.js';
import type { ImageBuildSpec } from '../../buildx/image.js';
import { parsePlatform } from '../../buildx/platforms.js';
import { emptyBuildRequest, type BuildRequest } from '../../buildx/request.js';
import { parseImageRef, repositoryName } from '../../docker/reference.js';
import type { RunContext } from '../../github/context.js';
import type { Inputs } from '../../github/inputs.js';

/**
 * The build inputs, named and listed exactly as docker/build-push-action names them (so switching
 * is a one-line change), plus acr-ship's own: cache, cache-ref, cache-dir, builder-endpoints,
 * buildkit-image, retries, retry-emulation, summary. Every problem names the input.
 */
export function readBuildRequest(inputs: Inputs, options: { tagsMayComeFromPlan?: boolean } = {}): BuildRequest {
  const req = emptyBuildRequest(inputs.string('context') || '.');
  req.file = inputs.optional('file');
  req.target = inputs.optional('target');
  req.builder = inputs.optional('builder');
  req.platforms = inputs.list('platforms').map((p) => parsePlatform(p, "input 'platforms'"));
  req.tags = inputs.list('tags');
  for (const tag of req.tags) parseImageRef(tag, "input 'tags'");
  req.labels = inputs.keyValues('labels');
  req.annotations = inputs.list('annotations', { ignoreComma: true });
  req.buildArgs = inputs.keyValues('build-args');
  req.buildContexts = inputs.list('build-contexts', { ignoreComma: true });
  req.cacheFrom = inputs.list('cache-from', { ignoreComma: true });
  req.cacheTo = inputs.list('cache-to', { ignoreComma: true });
  req.outputs = inputs.list('outputs', { ignoreComma: true });
  req.push = inputs.boolean('push', false);
  req.load = inputs.boolean('load', false);
  req.noCache = inputs.boolean('no-cache', false);
  req.pull = inputs.boolean('pull', false);
  req.provenance = inputs.optional('provenance');
  req.sbom = inputs.optional('sbom');
  req.secrets = [
    ...keyValuePairs(inputs, 'secret-envs').map(([id, env]) => ({ id, env })),
    ...keyValuePairs(inputs, 'secret-files').map(([id, src]) => ({ id, src })),
  ];

  if (req.load && req.platforms.length > 1) {
    throw new UserError(
      `input 'load' can load one platform into Docker; got ${req.platforms.length} (${req.platforms.join(', ')}): push instead, or build one platform`,
    );
  }
  if (req.push && req.tags.length === 0 && req.outputs.length === 0 && !options.tagsMayComeFromPlan) {
    throw new UserError(
      "input 'tags' is required to push: give at least one image reference, e.g. registry.cn-hangzhou.aliyuncs.com/acme/web:latest",
    );
  }
  if ((req.push || req.load) && req.outputs.length > 0) {
    throw new UserError(`input 'outputs' cannot be combined with ${req.push ? 'push' : 'load'}: use one or the other`);
  }
  return req;
}

function keyValuePairs(inputs: Inputs, name: string): [string, string][] {
  const { values, bad } = parseKeyValues(inputs.list(name, { ignoreComma: true }));
  // The line itself may be a secret: say which input, not what it holds.
  if (bad !== undefined) throw new UserError(`input '${name}': every line must be id=value`);
  return Object.entries(values);
}

/** `secrets` lines (`id=value`): values stay out of error messages and go to files later. */
export function readInlineSecrets(inputs: Inputs): { id: string; value: string }[] {
  return keyValuePairs(inputs, 'secrets').map(([id, value]) => ({ id, value }));
}

export interface BuildStepInputs {
  spec: ImageBuildSpec;
  summary: boolean;
}

export function readBuildStepInputs(
  inputs: Inputs,
  run: RunContext,
  env: NodeJS.ProcessEnv = process.env,
  options: { tagsMayComeFromPlan?: boolean } = {},
): BuildStepInputs {
  const request = readBuildRequest(inputs, options);
  const cacheRef = inputs.optional('cache-ref');
  if (cacheRef) parseImageRef(cacheRef, "input 'cache-ref'");
  const first = request.tags[0];
  const cacheName = first ? repositoryName(parseImageRef(first)).replace(/[^A-Za-z0-9._-]+/g, '_') : 'default';
  return {
    spec: {
      request,
      cache: {
        mode: inputs.oneOf('cache', CACHE_MODES, 'auto'),
        cacheRef,
        localDir: inputs.optional('cache-dir') ?? join(env.RUNNER_TOOL_CACHE || run.runnerTemp, 'acr-ship-cache', cacheName),
        // Pull-request code is untrusted: it may read caches but must not poison shared ones.
        trusted: !run.eventName.startsWith('pull_request'),
      },
      builder: {
        endpoints: parseEndpoints(inputs.list('builder-endpoints', { ignoreComma: true, comment: '#' })),
        buildkitImage: inputs.optional('buildkit-image') ?? DEFAULT_BUILDKIT_IMAGE,
        nameHint: run.runId,
      },
      retries: inputs.integer('retries', 2, { min: 0, max: 10 }),
      retryEmulation: inputs.boolean('retry-emulation', false),
    },
    summary: inputs.boolean('summary', true),
  };
}
