import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../base/errors.js';
import { runBuild, type BuildContext, type BuildResult } from './build.js';
import { checkPlatforms, inspectBuilder, type BuilderInfo } from './builder.js';
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

export interface ImageBuild {
  builder: BuilderInfo;
  result: BuildResult;
}

/** Builds (and pushes, if asked) one image: check paths and builder, then one buildx invocation. */
export async function buildImage(req: BuildRequest, ctx: BuildContext): Promise<ImageBuild> {
  checkLocalPaths(req, ctx.cwd);
  const builder = await inspectBuilder(ctx.docker, req.builder);
  if (req.platforms.length > 0) checkPlatforms(builder, req.platforms);
  ctx.log.info(
    `builder '${builder.name}' (${builder.driver}): ${builder.nodes.map((n) => `${n.name} ${n.platforms.join(', ')}`).join('; ')}`,
  );
  const result = await runBuild(req, ctx);
  return { builder, result };
}
