import { UserError } from '../base/errors.js';
import type { RegistryClients } from '../docker/clients.js';
import { parseImageRef, repositoryName } from '../docker/reference.js';
import type { PlannedBuild } from '../rules/plan.js';

/**
 * Release tags must not move. `immutable-tags: auto` protects the plan's release tags: versions
 * that name exactly one git tag (1.2.3 of v1.2.3), not rolling ones (1.2, latest) or branch tags.
 */
export type ImmutableMode = 'auto' | boolean;

export function immutableTags(planned: PlannedBuild, mode: ImmutableMode): string[] {
  if (mode === false) return [];
  if (mode === true) return planned.tags;
  return planned.releaseTags;
}

export interface ExistingTag {
  tag: string;
  digest: string;
}

/** The immutable tags that already exist in their registries, with what they point at. */
export async function existingTags(tags: readonly string[], clients: RegistryClients): Promise<ExistingTag[]> {
  const found: ExistingTag[] = [];
  for (const tag of tags) {
    const ref = parseImageRef(tag);
    const digest = await (await clients.for(ref.registry)).resolve(ref.repository, ref.tag ?? 'latest');
    if (digest) found.push({ tag, digest });
  }
  return found;
}

/** Fails, naming each release tag that would move, when the new build differs from what exists. */
export function refuseMoves(
  existing: readonly ExistingTag[],
  built: string,
  said = { made: 'this build made', fix: 'delete the tag to rebuild it, or set immutable-tags: false' },
): void {
  const moved = existing.filter((e) => e.digest !== built);
  if (moved.length === 0) return;
  throw new UserError(
    `release tag ${moved.map((m) => `${m.tag} already exists as ${m.digest}`).join('; ')} — ${said.made} ${built}: ` +
      `release tags are immutable, so nothing was tagged (${said.fix})`,
  );
}

/** Points every tag at `digest`, copying the manifest's exact bytes within each repository. */
export async function tagDigest(tags: readonly string[], digest: string, clients: RegistryClients): Promise<void> {
  const byRepository = new Map<string, string[]>();
  for (const tag of tags) {
    const name = repositoryName(parseImageRef(tag));
    byRepository.set(name, [...(byRepository.get(name) ?? []), tag]);
  }
  for (const [, repoTags] of byRepository) {
    const first = parseImageRef(repoTags[0] as string);
    const client = await clients.for(first.registry);
    const manifest = await client.manifest(first.repository, digest);
    if (!manifest) throw new UserError(`${repositoryName(first)}@${digest} is not in the registry: the push by digest did not reach it`);
    for (const tag of repoTags) await client.putManifest(first.repository, parseImageRef(tag).tag ?? 'latest', manifest);
  }
}
