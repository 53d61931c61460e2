import { parseImageRef, repositoryName } from '../docker/reference.js';
import type { BuildRequest } from './request.js';

const REWRITE = ',rewrite-timestamp=true';

/** The image exporter that pushes by digest only, to every repository the tags name. */
export function pushByDigestOutput(tags: readonly string[], rewriteTimestamps = false): string {
  const names = [...new Set(tags.map((t) => repositoryName(parseImageRef(t))))];
  // Several names go in one CSV field, quoted, as buildx parses --output.
  return `type=image,"name=${names.join(',')}",push-by-digest=true,name-canonical=true,push=true${rewriteTimestamps ? REWRITE : ''}`;
}

/**
 * The argv of `docker buildx build` for a request — an array, never a shell string. The order is
 * fixed so the same request always yields the same command (and the same log line).
 */
export function buildArgv(req: BuildRequest, metadataFile: string): string[] {
  const argv = ['buildx', 'build'];
  if (req.builder) argv.push('--builder', req.builder);
  argv.push('--progress', 'rawjson', '--metadata-file', metadataFile);
  if (req.file) argv.push('--file', req.file);
  if (req.target) argv.push('--target', req.target);
  if (req.platforms.length > 0) argv.push('--platform', req.platforms.join(','));
  if (!req.pushByDigest) for (const tag of req.tags) argv.push('--tag', tag);
  for (const [key, value] of Object.entries(req.labels)) argv.push('--label', `${key}=${value}`);
  for (const annotation of req.annotations) argv.push('--annotation', annotation);
  for (const [key, value] of Object.entries(req.buildArgs)) argv.push('--build-arg', `${key}=${value}`);
  for (const ctx of req.buildContexts) argv.push('--build-context', ctx);
  for (const secret of req.secrets) {
    const source = secret.src !== undefined ? `src=${secret.src}` : `env=${secret.env ?? secret.id}`;
    argv.push('--secret', `id=${secret.id},${source}`);
  }
  for (const from of req.cacheFrom) argv.push('--cache-from', from);
  for (const to of req.cacheTo) argv.push('--cache-to', to);
  if (req.provenance !== undefined) argv.push(`--provenance=${req.provenance}`);
  if (req.sbom !== undefined) argv.push(`--sbom=${req.sbom}`);
  for (const output of req.outputs) argv.push('--output', output);
  if (req.pushByDigest) argv.push('--output', pushByDigestOutput(req.tags, req.rewriteTimestamps));
  // --push is this exporter; spelled out only when it needs the option (names come from --tag).
  else if (req.push && req.rewriteTimestamps) argv.push('--output', `type=image,push=true${REWRITE}`);
  else if (req.push) argv.push('--push');
  if (req.load) argv.push('--load');
  if (req.noCache) argv.push('--no-cache');
  if (req.pull) argv.push('--pull');
  // `--` keeps a context that starts with '-' from being read as a flag.
  argv.push('--', req.context);
  return argv;
}
