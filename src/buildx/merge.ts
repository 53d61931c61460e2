import { UserError } from '../base/errors.js';
import type { Log } from '../base/log.js';
import type { DockerCli } from '../docker/cli.js';
import { RegistryClients } from '../docker/clients.js';
import { describePushedImage } from '../docker/manifest.js';
import { parseImageRef, repositoryName, type ImageRef } from '../docker/reference.js';
import type { RegistryClient } from '../docker/registry.js';
import { normalizePlatform } from './platforms.js';

/**
 * Joins per-platform images, pushed by digest from separate runners, into one multi-platform
 * image under every planned tag — all or nothing: every expected platform must be present, in
 * every target repository, before a single tag is written.
 */
export interface MergeRequest {
  /** Full references to write (tags of the plan). */
  tags: string[];
  /** Digests pushed by the platform jobs, optionally with the platform they claim. */
  digests: { platform?: string; digest: string }[];
  /** Platforms the result must have exactly (empty: whatever the digests are). */
  platforms: string[];
}

export interface MergeResult {
  /** Digest of the index, identical in every repository. */
  digest: string;
  platforms: { platform: string; digest: string }[];
  tags: string[];
}

/** `[platform=]sha256:…` lines, as platform jobs hand their digests on. */
export function parseDigestLines(lines: readonly string[], input = 'digests'): MergeRequest['digests'] {
  return lines.map((line) => {
    const eq = line.lastIndexOf('=');
    const platform = eq > 0 ? line.slice(0, eq).trim() : undefined;
    const digest = (eq > 0 ? line.slice(eq + 1) : line).trim();
    if (!/^sha256:[a-f0-9]{64}$/.test(digest)) throw new UserError(`input '${input}': '${line}' is not [platform=]sha256:<64 hex>`);
    return { platform: platform ? normalizePlatform(platform) : undefined, digest };
  });
}

export interface MergeContext {
  docker: DockerCli;
  log: Log;
  env: NodeJS.ProcessEnv;
}

export async function mergeImages(req: MergeRequest, ctx: MergeContext): Promise<MergeResult> {
  if (req.tags.length === 0) throw new UserError('nothing to merge into: no tags were given or planned');
  if (req.digests.length === 0) throw new UserError('no per-platform digests were given: no tag was written');
  const refs = req.tags.map((t) => parseImageRef(t, "input 'tags'"));
  const repositories = new Map<string, ImageRef>();
  for (const ref of refs) repositories.set(repositoryName(ref), ref);

  const clients = new RegistryClients(ctx.env);
  const clientFor = (ref: ImageRef): Promise<RegistryClient> => clients.for(ref.registry);

  // What each digest really is, read from every target repository: nothing is written until all
  // platforms are accounted for everywhere.
  const found: { platform: string; digest: string }[] = [];
  for (const { platform: claimed, digest } of req.digests) {
    let platforms: string[] | undefined;
    for (const [name, ref] of repositories) {
      const client = await clientFor(ref);
      if (!(await client.resolve(ref.repository, digest))) {
        throw new UserError(
          `${claimed ?? 'a platform'} image ${digest} is not in ${name}: a platform job did not push there; no tag was written`,
        );
      }
      platforms ??= (await describePushedImage(client, ref.repository, digest)).map((p) => normalizePlatform(p.platform));
    }
    for (const platform of platforms ?? []) {
      if (claimed && claimed !== platform)
        throw new UserError(`digest ${digest} was handed on as ${claimed} but is ${platform}; no tag was written`);
      found.push({ platform, digest });
    }
  }
  const seen = new Map<string, string>();
  for (const f of found) {
    const other = seen.get(f.platform);
    if (other && other !== f.digest)
      throw new UserError(`platform ${f.platform} has two digests (${other}, ${f.digest}); no tag was written`);
    seen.set(f.platform, f.digest);
  }
  const expected = req.platforms.map(normalizePlatform);
  const missing = expected.filter((p) => !seen.has(p));
  if (missing.length > 0)
    throw new UserError(`platform ${missing.join(', ')} has no pushed image (a platform job failed or was skipped); no tag was written`);
  const extra = expected.length > 0 ? [...seen.keys()].filter((p) => !expected.includes(p)) : [];
  if (extra.length > 0)
    throw new UserError(
      `unexpected platform ${extra.join(', ')} among the digests (the plan has ${expected.join(', ')}); no tag was written`,
    );

  // One index per repository, made from the digests already there.
  const sources = [...new Set(req.digests.map((d) => d.digest))];
  for (const [name] of repositories) {
    const tags = req.tags.filter((_t, i) => repositoryName(refs[i] as ImageRef) === name);
    const argv = ['buildx', 'imagetools', 'create', ...tags.flatMap((t) => ['--tag', t]), ...sources.map((d) => `${name}@${d}`)];
    ctx.log.info(`docker ${argv.join(' ')}`);
    const result = await ctx.docker.run(argv, { onStdoutLine: (l) => ctx.log.info(l), onStderrLine: (l) => ctx.log.info(l) });
    if (result.code !== 0)
      throw new UserError(
        `docker buildx imagetools create failed for ${name}: ${result.stderr.trim().split('\n').pop() ?? `exit ${result.code}`}`,
      );
  }

  const digests = new Set<string>();
  for (const [i, ref] of refs.entries()) {
    const digest = await (await clientFor(ref)).resolve(ref.repository, ref.tag ?? 'latest');
    if (!digest) throw new UserError(`${req.tags[i]} was not written`);
    digests.add(digest);
  }
  if (digests.size !== 1) ctx.log.warning(`the tags point at different indexes: ${[...digests].join(', ')}`);
  return { digest: [...digests][0] as string, platforms: [...seen].map(([platform, digest]) => ({ platform, digest })), tags: req.tags };
}
