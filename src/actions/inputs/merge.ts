import { UserError } from '../../base/errors.js';
import { parseDigestLines, type MergeRequest } from '../../buildx/merge.js';
import { parsePlatform } from '../../buildx/platforms.js';
import { parseImageRef } from '../../docker/reference.js';
import type { Inputs } from '../../github/inputs.js';
import { parsePlanJson, selectBuilds } from '../../pipeline/builds.js';
import { immutableTags } from '../../pipeline/immutable.js';

export interface MergeInputs {
  /** undefined: the plan does not push this build (a fork's pull request), so nothing to merge. */
  request: MergeRequest | undefined;
  /** Release tags of the plan (as the root's immutable-tags: auto has them): they must not move. */
  releaseTags: string[];
  summary: boolean;
}

/**
 * The merge inputs: tags and platforms come from the handed-on plan (the same JSON every platform
 * job built from), or from `tags`/`platforms`, which replace the plan's when given.
 */
export function readMergeInputs(inputs: Inputs): MergeInputs {
  const summary = inputs.boolean('summary', true);
  const handed = inputs.optional('plan');
  const planned = handed ? selectBuilds(parsePlanJson(handed), inputs.integer('build-index', 0, { min: 0, max: 99 }))[0] : undefined;
  const tags = inputs.list('tags');
  for (const tag of tags) parseImageRef(tag, "input 'tags'");
  const platforms = inputs.list('platforms').map((p) => parsePlatform(p, "input 'platforms'"));
  if (!planned && tags.length === 0) {
    throw new UserError(
      "input 'plan' or 'tags' is required: pass the plan job's builds output (plan: ${{ needs.plan.outputs.builds }}) or the image references to write",
    );
  }
  // Nothing was pushed by digest for a build the plan does not push: nothing to merge.
  if (planned && !planned.push && tags.length === 0) return { request: undefined, releaseTags: [], summary };
  const written = tags.length > 0 ? tags : (planned?.tags ?? []);
  return {
    request: {
      tags: written,
      platforms: platforms.length > 0 ? platforms : (planned?.platforms ?? []),
      digests: parseDigestLines(inputs.list('digests')),
    },
    // The plan's release tags among those written (the plan marked which name exactly one git tag).
    releaseTags: planned ? immutableTags(planned, 'auto').filter((t) => written.includes(t)) : [],
    summary,
  };
}
