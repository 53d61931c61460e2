import { UserError } from '../../base/errors.js';
import { emptyBuildRequest, type BuildRequest } from '../../buildx/request.js';
import { parsePlatform } from '../../buildx/platforms.js';
import { parseImageRef } from '../../docker/reference.js';
import type { Inputs } from '../../github/inputs.js';

/**
 * The build inputs, named and listed exactly as docker/build-push-action names them, parsed into
 * a BuildRequest. Every problem is reported against the input it came from.
 */
export function readBuildRequest(inputs: Inputs): BuildRequest {
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

  if (req.load && req.platforms.length > 1) {
    throw new UserError(
      `input 'load' can load one platform into Docker; got ${req.platforms.length} (${req.platforms.join(', ')}): push instead, or build one platform`,
    );
  }
  if (req.push && req.tags.length === 0 && req.outputs.length === 0) {
    throw new UserError(
      "input 'tags' is required to push: give at least one image reference, e.g. registry.cn-hangzhou.aliyuncs.com/acme/web:latest",
    );
  }
  return req;
}
