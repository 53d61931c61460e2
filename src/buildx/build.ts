import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../base/errors.js';
import type { Log } from '../base/log.js';
import type { DockerCli } from '../docker/cli.js';
import { parseImageRef } from '../docker/reference.js';
import { buildArgv } from './args.js';
import { classifyFailure, type BuildFailure } from './failure.js';
import { parseMetadata, type BuildMetadata } from './metadata.js';
import { ProgressTracker, type StepStats } from './progress.js';
import type { BuildRequest } from './request.js';

export interface BuildResult {
  digest?: string;
  imageId?: string;
  metadata: BuildMetadata;
  steps: StepStats;
  seconds: number;
  /** Of `seconds`, the time spent exporting and pushing. */
  exportSeconds: number;
  /** The cache export failed but the image was built (and pushed): why. */
  cacheExportError?: string;
  /** Registry requests BuildKit retried by itself during this build (their errors). */
  registryRetries: string[];
  warnings: string[];
}

/** A failed build, classified; thrown as a UserError so the step ends with one line. */
export class BuildError extends UserError {
  constructor(readonly failure: BuildFailure) {
    super(failure.message);
  }
}

export interface BuildContext {
  docker: DockerCli;
  log: Log;
  /** Where the metadata file goes (a fresh directory is made inside it). */
  tempDir: string;
  /** Directory relative paths (context, file) are resolved from: the workspace. */
  cwd: string;
}

/** Runs one `docker buildx build`, streaming readable progress to the log. */
export async function runBuild(req: BuildRequest, ctx: BuildContext): Promise<BuildResult> {
  const work = mkdtempSync(join(ctx.tempDir, 'acr-ship-build-'));
  const metadataFile = join(work, 'metadata.json');
  const argv = buildArgv(req, metadataFile);
  const tracker = new ProgressTracker((line) => ctx.log.info(line));
  const started = Date.now();
  try {
    ctx.log.info(`docker ${argv.join(' ')}`);
    const result = await ctx.docker.run(argv, {
      cwd: ctx.cwd,
      onStderrLine: (line) => tracker.feed(line),
      onStdoutLine: (line) => ctx.log.info(line),
      captureLimit: 64 * 1024,
    });
    const seconds = (Date.now() - started) / 1000;
    for (const warning of tracker.warnings) ctx.log.warning(warning);
    if (result.code !== 0) {
      const failedStep = tracker.all().find((v) => v.error)?.name;
      const error = tracker.failure() ?? result.stderr.trim().split('\n').pop() ?? `exit code ${result.code}`;
      const registries = [...new Set(req.tags.map((t) => parseImageRef(t).registry))];
      throw new BuildError(classifyFailure(error, failedStep, registries));
    }
    let metadata: BuildMetadata;
    try {
      metadata = parseMetadata(readFileSync(metadataFile, 'utf8'));
    } catch {
      metadata = { raw: {} };
    }
    return {
      digest: metadata.digest,
      imageId: metadata.imageId,
      metadata,
      steps: tracker.stats(),
      seconds,
      exportSeconds: tracker.exportSeconds(),
      cacheExportError: tracker.cacheExportError(),
      registryRetries: tracker.registryRetries,
      warnings: tracker.warnings,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
