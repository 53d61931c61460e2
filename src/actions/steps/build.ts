import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../base/errors.js';
import type { Log } from '../../base/log.js';
import { removeBuilder } from '../../buildx/builder-setup.js';
import { buildImage, type ImageBuild } from '../../buildx/image.js';
import { DockerCli } from '../../docker/cli.js';
import { readBackPushed, type PushedImage } from '../../docker/manifest.js';
import { appendSummary, getState, saveState } from '../../github/commands.js';
import { readRunContext } from '../../github/context.js';
import { Inputs } from '../../github/inputs.js';
import { readBuildStepInputs, readInlineSecrets } from '../inputs/build.js';
import { buildLogTable, buildSummary, setBuildOutputs } from '../report/build.js';

/**
 * The build step as the `build` and root actions run it: inputs → buildImage → read back what
 * was pushed → outputs, log table and job summary. The post step removes a builder we created.
 */
export async function buildMain(log: Log): Promise<ImageBuild> {
  const inputs = new Inputs();
  const run = readRunContext();
  const { spec, summary } = readBuildStepInputs(inputs, run);
  const inline = readInlineSecrets(inputs);
  for (const s of inline) log.mask(s.value);

  // Inline secret values reach buildx as files only we can read, removed right after the build.
  const secretDir = inline.length > 0 ? mkdtempSync(join(run.runnerTemp, 'acr-ship-secrets-')) : undefined;
  try {
    for (const [i, s] of inline.entries()) {
      const file = join(secretDir as string, String(i));
      writeFileSync(file, s.value, { mode: 0o600 });
      spec.request.secrets.push({ id: s.id, src: file });
    }
    const docker = new DockerCli();
    const build = await log.group('Build', () =>
      buildImage(spec, { docker, log, tempDir: run.runnerTemp, cwd: run.workspace }, (b) => {
        if (b.created) saveState('builder', b.name);
      }),
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
  } finally {
    if (secretDir) rmSync(secretDir, { recursive: true, force: true });
  }
}

export async function buildPost(log: Log): Promise<void> {
  const name = getState('builder');
  if (!name) return;
  const problem = await removeBuilder(new DockerCli(), name);
  if (problem) log.warning(`could not remove builder '${name}': ${problem}`);
  else log.info(`removed builder '${name}'`);
}
