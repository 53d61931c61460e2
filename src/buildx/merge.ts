import { createHash } from 'node:crypto';
import { UserError } from '../base/errors.js';
import type { Log } from '../base/log.js';
import type { DockerCli } from '../docker/cli.js';
import { RegistryClients } from '../docker/clients.js';
import { describePushedImage, type PlatformImage } from '../docker/manifest.js';
import { parseImageRef, repositoryName, type ImageRef } from '../docker/reference.js';
import { normalizePlatform } from './platforms.js';

/**
 * Joins per-platform images, pushed by digest from separate runners, into one multi-platform
 * image under every planned tag — all or nothing: every expected platform must be present, in
 * every target repository, and be the platform it claims, before a single tag is written.
 */
export interface MergeRequest {
  /** Full references to write (tags of the plan). */
  tags: string[];
  /** Digests pushed by the platform jobs, optionally with the platform they claim. */
  digests: { platform?: string; digest: string }[];
  /** Platforms the result must have exactly (empty: whatever the digests are). */
  platforms: string[];
  /**
   * Told each repository's index digest, from a dry run, before any tag is written: throws to
   * refuse (a release tag that must not move). Without it there is no dry run.
   */
  beforeWrite?: (indexes: ReadonlyMap<string, string>) => void;
}

export interface MergeResult {
  /** Digest of the index (of the first tag's repository; the same bytes everywhere). */
  digest: string;
  tags: string[];
  /** The index's platform images as read back from the registry after writing. */
  platforms: PlatformImage[];
  /** Which handed-on digest each platform came from. */
  sources: { platform: string; digest: string }[];
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * `[platform=]sha256:…` lines, as platform jobs hand their digests on. `linux/arm64=` (an empty
 * output of a job that failed or was skipped) is a missing platform, not a typo.
 */
export function parseDigestLines(lines: readonly string[], input = 'digests'): MergeRequest['digests'] {
  return lines.map((line) => {
    const eq = line.lastIndexOf('=');
    const platform = eq > 0 ? line.slice(0, eq).trim() : undefined;
    const digest = (eq > 0 ? line.slice(eq + 1) : line).trim();
    if (platform && digest === '')
      throw new UserError(`platform ${platform} has no digest in input '${input}' (its job failed or was skipped); no tag was written`);
    if (!DIGEST.test(digest)) throw new UserError(`input '${input}': '${line}' is not [platform=]sha256:<64 hex>`);
    return { platform: platform ? normalizePlatform(platform) : undefined, digest };
  });
}

export interface MergeContext {
  docker: DockerCli;
  log: Log;
  env: NodeJS.ProcessEnv;
}

/** Tags grouped by repository (`registry/path`), in the order given. */
function byRepository(tags: readonly string[]): Map<string, { ref: ImageRef; tags: string[] }> {
  const repos = new Map<string, { ref: ImageRef; tags: string[] }>();
  for (const tag of tags) {
    const ref = parseImageRef(tag, "input 'tags'");
    if (ref.digest || !ref.tag) throw new UserError(`input 'tags': '${tag}' must name a tag (repository:tag), not a digest`);
    const name = repositoryName(ref);
    const entry = repos.get(name) ?? { ref, tags: [] };
    entry.tags.push(tag);
    repos.set(name, entry);
  }
  return repos;
}

/**
 * Which platform each handed-on digest really is, checked in every target repository, and the
 * checks that make the merge all or nothing: present everywhere, the platform it claims, one
 * digest per platform, exactly the expected platforms.
 */
async function verifySources(
  req: MergeRequest,
  repos: Map<string, { ref: ImageRef }>,
  clients: RegistryClients,
): Promise<{ platform: string; digest: string }[]> {
  const found = new Map<string, string>();
  for (const { platform: claimed, digest } of req.digests) {
    let platforms: string[] | undefined;
    for (const [name, { ref }] of repos) {
      const client = await clients.for(ref.registry);
      if (!(await client.resolve(ref.repository, digest))) {
        throw new UserError(
          `${claimed ?? 'the'} image ${digest} is not in ${name}: its platform job did not push there (or pushed elsewhere); no tag was written`,
        );
      }
      // Identical digests are identical bytes: reading the platforms once is enough.
      platforms ??= (await describePushedImage(client, ref.repository, digest)).map((p) => normalizePlatform(p.platform));
    }
    for (const platform of platforms ?? []) {
      if (claimed && claimed !== platform)
        throw new UserError(`digest ${digest} was handed on as ${claimed} but its image is ${platform}; no tag was written`);
      const other = found.get(platform);
      if (other && other !== digest)
        throw new UserError(`platform ${platform} was handed on twice (${other} and ${digest}); no tag was written`);
      found.set(platform, digest);
    }
  }
  const expected = req.platforms.map(normalizePlatform);
  const missing = expected.filter((p) => !found.has(p));
  if (missing.length > 0)
    throw new UserError(
      `platform ${missing.join(', ')} has no digest in input 'digests' (its job failed or was skipped); no tag was written`,
    );
  const extra = expected.length > 0 ? [...found.keys()].filter((p) => !expected.includes(p)) : [];
  if (extra.length > 0)
    throw new UserError(
      `input 'digests' has platform ${extra.join(', ')}, which the plan does not build (it builds ${expected.join(', ')}); no tag was written`,
    );
  return [...found].map(([platform, digest]) => ({ platform, digest }));
}

/** `docker buildx imagetools create` of one repository's index; a dry run returns its JSON. */
async function imagetoolsCreate(ctx: MergeContext, name: string, tags: string[], sources: string[], dryRun: boolean): Promise<string> {
  const argv = [
    'buildx',
    'imagetools',
    'create',
    ...(dryRun ? ['--dry-run'] : []),
    ...tags.flatMap((t) => ['--tag', t]),
    ...sources.map((d) => `${name}@${d}`),
  ];
  ctx.log.info(`docker ${argv.join(' ')}`);
  const log = dryRun ? undefined : (l: string): void => ctx.log.info(l);
  const result = await ctx.docker.run(argv, { onStdoutLine: log, onStderrLine: log });
  if (result.code !== 0) {
    const why = (result.stderr || result.stdout).trim().split('\n').pop() || `exit code ${result.code}`;
    throw new UserError(`docker buildx imagetools create${dryRun ? ' --dry-run' : ''} failed for ${name}: ${why}`);
  }
  return result.stdout;
}

export async function mergeImages(req: MergeRequest, ctx: MergeContext): Promise<MergeResult> {
  if (req.tags.length === 0) throw new UserError("nothing to merge into: give input 'plan' (with tags) or input 'tags'");
  if (req.digests.length === 0)
    throw new UserError("input 'digests' is empty: pass each platform job's digest output as platform=sha256:… lines; no tag was written");
  const repos = byRepository(req.tags);
  const clients = new RegistryClients(ctx.env);
  const sources = await verifySources(req, repos, clients);

  // One index per repository, made from the digests already there (imagetools copies nothing
  // across repositories).
  const sourceDigests = [...new Set(req.digests.map((d) => d.digest))];
  if (req.beforeWrite) {
    // The dry run prints the exact bytes it would push (plus a newline): their hash is the digest.
    const planned = new Map<string, string>();
    for (const [name, { tags }] of repos) {
      const json = (await imagetoolsCreate(ctx, name, tags, sourceDigests, true)).replace(/\n$/, '');
      planned.set(name, `sha256:${createHash('sha256').update(json).digest('hex')}`);
    }
    req.beforeWrite(planned);
  }
  // Every check has passed: from here on tags are written.
  const written: string[] = [];
  for (const [name, { tags }] of repos) {
    try {
      await imagetoolsCreate(ctx, name, tags, sourceDigests, false);
    } catch (err) {
      if (err instanceof UserError && written.length > 0) throw new UserError(`${err.message} (already written: ${written.join(', ')})`);
      throw err;
    }
    written.push(name);
  }

  // Read back: every tag of a repository points at one index, which holds exactly the platforms.
  const indexes = new Map<string, string>();
  for (const [name, { ref, tags }] of repos) {
    const client = await clients.for(ref.registry);
    for (const tag of tags) {
      const digest = await client.resolve(ref.repository, parseImageRef(tag).tag ?? 'latest');
      if (!digest) throw new UserError(`${tag} was not written by docker buildx imagetools create`);
      const other = indexes.get(name);
      if (other && other !== digest) throw new UserError(`${tag} points at ${digest}, not at the index just written (${other})`);
      indexes.set(name, digest);
    }
  }
  const [firstName, first] = [...repos][0] as [string, { ref: ImageRef }];
  const digest = indexes.get(firstName) as string;
  if (new Set(indexes.values()).size > 1)
    ctx.log.warning(`the repositories hold different indexes: ${[...indexes].map(([n, d]) => `${n}@${d}`).join(', ')}`);
  const platforms = await describePushedImage(await clients.for(first.ref.registry), first.ref.repository, digest);
  const got = platforms.map((p) => normalizePlatform(p.platform)).sort();
  const want = sources.map((s) => s.platform).sort();
  if (got.join(',') !== want.join(','))
    throw new UserError(`the index ${digest} holds ${got.join(', ') || 'no platform'}, not ${want.join(', ')}`);
  return { digest, tags: req.tags, platforms, sources };
}
