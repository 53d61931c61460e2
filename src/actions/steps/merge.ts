import type { Log } from '../../base/log.js';
import { mergeImages } from '../../buildx/merge.js';
import { DockerCli } from '../../docker/cli.js';
import { RegistryClients } from '../../docker/clients.js';
import { parseImageRef, repositoryName } from '../../docker/reference.js';
import { appendSummary } from '../../github/commands.js';
import { Inputs } from '../../github/inputs.js';
import { existingTags, refuseMoves } from '../../pipeline/immutable.js';
import { readMergeInputs } from '../inputs/merge.js';
import { mergeLogLines, mergeSummary, setMergeOutputs } from '../report/merge.js';

/**
 * The merge step: inputs → verify every platform everywhere → (release tags that exist: the new
 * index must be the one they name) → one index per repository → read back.
 */
export async function mergeStep(log: Log): Promise<void> {
  const env = process.env;
  const { request, releaseTags, summary } = readMergeInputs(new Inputs(env));
  if (!request) {
    log.notice('the plan does not push this build (e.g. a pull request from a fork): nothing to merge');
    setMergeOutputs(undefined);
    return;
  }
  const existing = await existingTags(releaseTags, new RegistryClients(env));
  if (existing.length > 0) {
    log.info(`release tag ${existing.map((e) => e.tag).join(', ')} exists: the merged index must be the one it names`);
    const said = { made: 'this merge makes', fix: 'delete the tag to release it again' };
    request.beforeWrite = (indexes) => {
      for (const [name, made] of indexes)
        refuseMoves(
          existing.filter((e) => repositoryName(parseImageRef(e.tag)) === name),
          made,
          said,
        );
    };
  }
  const result = await log.group('Merge', () => mergeImages(request, { docker: new DockerCli(env), log, env }));
  for (const line of mergeLogLines(result)) log.info(line);
  setMergeOutputs(result);
  if (summary) appendSummary(mergeSummary(result));
}
