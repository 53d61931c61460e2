import type { Log } from '../../base/log.js';
import { mergeImages } from '../../buildx/merge.js';
import { DockerCli } from '../../docker/cli.js';
import { appendSummary } from '../../github/commands.js';
import { Inputs } from '../../github/inputs.js';
import { readMergeInputs } from '../inputs/merge.js';
import { mergeLogLines, mergeSummary, setMergeOutputs } from '../report/merge.js';

/** The merge step: inputs → verify every platform everywhere → one index per repository → read back. */
export async function mergeStep(log: Log): Promise<void> {
  const env = process.env;
  const { request, summary } = readMergeInputs(new Inputs(env));
  if (!request) {
    log.notice('the plan does not push this build (e.g. a pull request from a fork): nothing to merge');
    setMergeOutputs(undefined);
    return;
  }
  const result = await log.group('Merge', () => mergeImages(request, { docker: new DockerCli(env), log, env }));
  for (const line of mergeLogLines(result)) log.info(line);
  setMergeOutputs(result);
  if (summary) appendSummary(mergeSummary(result));
}
