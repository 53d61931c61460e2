import { errorMessage } from '../base/errors.js';
import type { BuildContext } from '../buildx/build.js';
import type { PreparedBuilder } from '../buildx/builder-setup.js';
import { buildImage, type ImageBuild, type ImageBuildSpec } from '../buildx/image.js';
import type { BuildRequest } from '../buildx/request.js';
import { RegistryClients } from '../docker/clients.js';
import { readBackPushed, type PushedImage } from '../docker/manifest.js';
import { deliverAll, type Delivery, type DeliveryOptions } from '../redeploy/deliver.js';
import { describePush } from '../redeploy/push.js';
import type { Trigger } from '../redeploy/trigger.js';
import type { PlannedBuild } from '../rules/plan.js';
import { toBuildRequest, type BuildOverrides } from './builds.js';
import { existingTags, immutableTags, refuseMoves, tagDigest, type ExistingTag, type ImmutableMode } from './immutable.js';

/**
 * The build and redeploy half of the root pipeline: every planned build in turn — guarded
 * release tags, one buildx invocation, what the registry now holds, then each redeploy trigger
 * once for that build. Login and planning happen before; reporting after.
 */
export interface PipelineSpec {
  builds: PlannedBuild[];
  /** Everything the build inputs say; each planned build replaces its own parts. */
  template: ImageBuildSpec;
  overrides: BuildOverrides;
  immutable: ImmutableMode;
  triggers: Trigger[];
  delivery: Omit<DeliveryOptions, 'log'>;
  commit: string;
  runUrl: string;
}

export interface PipelineBuild {
  planned: PlannedBuild;
  request: BuildRequest;
  build: ImageBuild;
  /** Read back from the registry after the push (undefined when nothing was pushed or it failed). */
  pushed?: PushedImage;
  /** Release tags of this build and those that already existed. */
  immutable: { tags: string[]; existing: ExistingTag[] };
  deliveries: Delivery[];
  seconds: { build: number; redeploy: number };
}

export interface PipelineContext extends BuildContext {
  env: NodeJS.ProcessEnv;
  /** Told about a builder the first build created (the post step removes it). */
  onBuilder?: (builder: Pick<PreparedBuilder, 'name' | 'created'>) => void;
}

/** The request each build will run, before anything runs (the dry run shows these). */
export function pipelineRequests(spec: Pick<PipelineSpec, 'builds' | 'template' | 'overrides'>): BuildRequest[] {
  return spec.builds.map((planned) => toBuildRequest(planned, spec.template.request, spec.overrides));
}

export async function runPipeline(spec: PipelineSpec, ctx: PipelineContext): Promise<PipelineBuild[]> {
  const clients = new RegistryClients(ctx.env);
  const results: PipelineBuild[] = [];
  let builder = spec.template.request.builder;
  for (const [i, planned] of spec.builds.entries()) {
    const request = toBuildRequest(planned, spec.template.request, spec.overrides);
    // Builds after the first reuse the builder it made or chose, instead of making another.
    if (builder) request.builder = builder;
    const immutable = {
      tags: request.push && !request.pushByDigest ? immutableTags(planned, spec.immutable) : [],
      existing: [] as ExistingTag[],
    };
    if (immutable.tags.length > 0) {
      immutable.existing = await existingTags(immutable.tags, clients);
      if (immutable.existing.length > 0) {
        // Push by digest first: a release tag is only written if the result is what it names.
        request.pushByDigest = true;
        ctx.log.info(`release tag ${immutable.existing.map((e) => e.tag).join(', ')} exists: building by digest to compare before tagging`);
      }
    }
    const started = Date.now();
    const title = `Build ${i + 1} of ${spec.builds.length}: ${planned.tags[0] ?? planned.context}`;
    const build = await ctx.log.group(title, () =>
      buildImage({ ...spec.template, request, cache: { ...spec.template.cache, platformScope: spec.overrides.platform } }, ctx, (b) => {
        builder = b.name;
        if (b.created) ctx.onBuilder?.(b);
      }),
    );
    const digest = build.result.digest;
    if (immutable.existing.length > 0 && digest) {
      refuseMoves(immutable.existing, digest);
      await tagDigest(request.tags, digest, clients);
      ctx.log.info(`every tag now points at ${digest}, as the existing release tag already did`);
    }
    const taggedPush = request.push && !spec.overrides.pushByDigest;
    const buildSeconds = (Date.now() - started) / 1000;
    // Reading the push back and telling the triggers both need only the digest: side by side.
    const redeployStarted = Date.now();
    let redeploySeconds = 0;
    const [pushed, deliveries] = await Promise.all([
      // Pushed by digest too: the per-platform manifests are what a merge job will put in the index.
      request.push && digest && request.tags.length > 0
        ? readBackPushed(request.tags, digest, ctx.env, { checkTags: taggedPush }).catch((err: unknown): undefined => {
            ctx.log.warning(`could not read the pushed image back from the registry: ${errorMessage(err)}`);
            return undefined;
          })
        : undefined,
      (async (): Promise<Delivery[]> => {
        if (!taggedPush || !digest || spec.triggers.length === 0) return [];
        const { push } = describePush(
          { tags: request.tags, digest, platforms: request.platforms, commit: spec.commit, runUrl: spec.runUrl, pushedAt: new Date() },
          { image: 'image', tags: 'tags', digest: 'digest' },
        );
        const sent = await ctx.log.group(`Redeploy: ${spec.triggers.length} trigger(s) for ${push.registry}/${push.repository}`, () =>
          deliverAll(spec.triggers, push, { ...spec.delivery, log: ctx.log }),
        );
        redeploySeconds = (Date.now() - redeployStarted) / 1000;
        return sent;
      })(),
    ]);
    results.push({
      planned,
      request,
      build,
      pushed,
      immutable,
      deliveries,
      seconds: { build: buildSeconds, redeploy: redeploySeconds },
    });
  }
  return results;
}
