import { UserError } from '../base/errors.js';

/**
 * Image references (`[registry/]repository[:tag][@digest]`) by the distribution grammar: every tag
 * we derive from a branch or tag name is checked here before it can reach buildx.
 */
export interface ImageRef {
  /** host[:port]; `docker.io` when the reference names none. */
  registry: string;
  /** Path inside the registry, e.g. `acme/web` (Docker Hub single names become `library/x`). */
  repository: string;
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:localhost|\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)(?::\d{1,5})?$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** `algorithm:hex`, e.g. sha256:… — a manifest or index digest. */
export function isValidDigest(digest: string): boolean {
  return DIGEST.test(digest);
}

/** A first path part is a registry host if it looks like one (dot, port or localhost). */
function isDomain(part: string): boolean {
  return part === 'localhost' || part.includes('.') || part.includes(':') || part !== part.toLowerCase();
}

/** Parses and validates a reference; `what` names it in the error (an input, a rule). */
export function parseImageRef(ref: string, what = 'image'): ImageRef {
  const fail = (why: string): never => {
    throw new UserError(`${what}: '${ref}' is not a valid image reference (${why})`);
  };
  let rest = ref.trim();
  if (rest === '') fail('empty');
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail(`bad digest '${digest}'`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidTag(tag)) fail(`bad tag '${tag}': use letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-'`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && isDomain(parts[0] ?? '')) {
    registry = parts.shift() ?? '';
    if (!DOMAIN.test(registry)) fail(`bad registry host '${registry}'`);
  }
  if (parts.length === 0 || parts.some((p) => !PATH_COMPONENT.test(p))) {
    fail('repository path must be lowercase letters, digits and separators . _ __ -');
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  if (`${registry}/${repository}`.length > 255) fail('name longer than 255 characters');
  return { registry, repository, tag, digest };
}

/** `registry/repository` — the name without tag or digest. */
export function repositoryName(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`;
}

export function formatImageRef(ref: ImageRef): string {
  return `${repositoryName(ref)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
