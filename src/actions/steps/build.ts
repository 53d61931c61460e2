import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../base/errors.js';
import type { Log } from '../../base/log.js';
import { removeBuilder, type PreparedBuilder } from '../../buildx/builder-setup.js';
import { buildImage, type ImageBuild } from '../../buildx/image.js';
import type { BuildRequest } from '../../buildx/request.js';
import { DockerCli } from '../../docker/cli.js';
import { readBackPushed, type PushedImage } from '../../docker/manifest.js';
import { appendSummary, getState, saveState } from '../../github/commands.js';
import { readRunContext } from '../../github/context.js';
import { Inputs } from '../../github/inputs.js';
import { readBuildStepInputs, readInlineSecrets } from '../inputs/build.js';
import { buildLogTable, buildSummary, setBuildOutputs } from '../report/build.js';

/**
 * Runs `fn` with the `secrets` input's values masked and written to files only we can read, added
 * to the request's secrets, and removed when `fn` is done (they reach buildx as files, never argv).
 */
export async function withInlineSecrets<T>(
  inputs: Inputs,
  runnerTemp: string,
  log: Log,
  request: BuildRequest,
  fn: () => Promise<T>,
): Promise<T> {
  const inline = readInlineSecrets(inputs);
  for (const s of inline) log.mask(s.value);
  if (inline.length === 0) return fn();
  const dir = mkdtempSync(join(runnerTemp, 'acr-ship-secrets-'));
  try {
    for (const [i, s] of inline.entries()) {
      const file = join(dir, String(i));
      writeFileSync(file, s.value, { mode: 0o600 });
      request.secrets.push({ id: s.id, src: file });
    }
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Remembers a builder we created, for the post step to remove. */
export function rememberBuilder(builder: Pick<PreparedBuilder, 'name' | 'created'>): void {
  if (builder.created) saveState('builder', builder.name);
}

/**
 * The build step as the `build` action runs it: inputs → buildImage → read back what was pushed →
 * outputs, log table and job summary. The post step removes a builder we created.
 */
export async function buildMain(log: Log): Promise<ImageBuild> {
  const inputs = new Inputs();
  const run = readRunContext();
  const { spec, summary } = readBuildStepInputs(inputs, run);
  return withInlineSecrets(inputs, run.runnerTemp, log, spec.request, async () => {
    const build = await log.group('Build', () =>
      buildImage(spec, { docker: new DockerCli(), log, tempDir: run.runnerTemp, cwd: run.workspace }, rememberBuilder),
    );
    let pushed: PushedImage | undefined;
    if (build.request.push && build.result.digest && build.request.tags.length > 0) {
      try {
        pushed = await readBackPushed(build.request.tags, build.result.digest, process.env);
      } catch (err) {
        log.warning(`could not read the pushed image back from the registry: ${errorMessage(err)}`);
      }
    }
    setBuildOutputs(build);
    log.info(buildLogTable(build, pushed));
    if (summary) appendSummary(buildSummary(build, pushed));
    return build;
  });
}

export async function buildPost(log: Log): Promise<void> {
  const name = getState('builder');
  if (!name) return;
  const problem = await removeBuilder(new DockerCli(), name);
  if (problem) log.warning(`could not remove builder '${name}': ${problem}`);
  else log.info(`removed builder '${name}'`);
}
