import { RegistryClients } from './clients.js';
import { parseImageRef, repositoryName } from './reference.js';
import type { RegistryClient } from './registry.js';

/**
 * What a pushed image is, read back from the registry: per platform its manifest digest, layer
 * count and compressed size (layers + config, what a pull downloads). Attestation manifests,
 * which appear as `unknown/unknown` platforms, are left out.
 */
export interface PlatformImage {
  platform: string;
  digest: string;
  layers: number;
  compressedSize: number;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

function platformName(p: Descriptor['platform']): string {
  return [p?.os, p?.architecture, p?.variant].filter(Boolean).join('/') || 'unknown';
}

function isAttestation(d: Descriptor): boolean {
  return d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' || platformName(d.platform) === 'unknown/unknown';
}

async function describeManifest(client: RegistryClient, repository: string, digest: string, platform?: string): Promise<PlatformImage> {
  const manifest = await client.manifest(repository, digest);
  if (!manifest) throw new Error(`manifest ${digest} is not in ${client.host}/${repository}`);
  const layers = (manifest.json.layers ?? []) as Descriptor[];
  const config = manifest.json.config as Descriptor | undefined;
  let name = platform;
  if (!name && config) {
    const cfg = JSON.parse((await client.blob(repository, config.digest)).toString('utf8')) as {
      os?: string;
      architecture?: string;
      variant?: string;
    };
    name = platformName(cfg);
  }
  return {
    platform: name ?? 'unknown',
    digest,
    layers: layers.length,
    compressedSize: layers.reduce((sum, l) => sum + (l.size ?? 0), 0) + (config?.size ?? 0),
  };
}

/** Every platform image behind `digest` (an index or a single manifest). */
export async function describePushedImage(client: RegistryClient, repository: string, digest: string): Promise<PlatformImage[]> {
  const top = await client.manifest(repository, digest);
  if (!top) throw new Error(`${client.host}/${repository}@${digest} was not found`);
  if (!INDEX_TYPES.has(top.mediaType)) return [await describeManifest(client, repository, digest)];
  const entries = ((top.json.manifests ?? []) as Descriptor[]).filter((d) => !isAttestation(d));
  return Promise.all(entries.map((d) => describeManifest(client, repository, d.digest, platformName(d.platform))));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** A pushed build as the registry sees it: per-platform sizes, and where each tag points. */
export interface PushedImage {
  repository: string;
  platforms: PlatformImage[];
  /** Tag → digest the registry resolves it to now (undefined: not found). */
  tagDigests: Record<string, string | undefined>;
}

/**
 * Reads a pushed build back with the credentials the docker CLI would use, so the report shows
 * what actually arrived (and a tag that does not point at the build's digest stands out). A push
 * by digest wrote no tags: `checkTags: false` reads only the image.
 */
export async function readBackPushed(
  tags: readonly string[],
  digest: string,
  env: NodeJS.ProcessEnv,
  options: { checkTags?: boolean } = {},
): Promise<PushedImage> {
  const refs = tags.map((t) => parseImageRef(t));
  const clients = new RegistryClients(env);
  const first = refs[0];
  if (!first) throw new Error('no tags to read back');
  const platforms = await describePushedImage(await clients.for(first.registry), first.repository, digest);
  const tagDigests: Record<string, string | undefined> = {};
  if (options.checkTags === false) return { repository: repositoryName(first), platforms, tagDigests };
  for (const [i, ref] of refs.entries()) {
    tagDigests[tags[i] as string] = await (await clients.for(ref.registry)).resolve(ref.repository, ref.tag ?? 'latest');
  }
  return { repository: repositoryName(first), platforms, tagDigests };
}
