import type { Log } from '../../base/log.js';
import { buildImage } from '../../buildx/image.js';
import { DockerCli } from '../../docker/cli.js';
import { readRunContext } from '../../github/context.js';
import { Inputs } from '../../github/inputs.js';
import { readBuildRequest } from '../inputs/build.js';
import { setBuildOutputs, writeBuildSummary } from '../report/build.js';

/** The build step as the `build` and root actions run it: inputs → buildImage → outputs, summary. */
export async function buildStep(log: Log): Promise<void> {
  const request = readBuildRequest(new Inputs());
  const run = readRunContext();
  const build = await log.group('Build', () =>
    buildImage(request, { docker: new DockerCli(), log, tempDir: run.runnerTemp, cwd: run.workspace }),
  );
  setBuildOutputs(request, build);
  writeBuildSummary(request, build);
}
