import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { bodyText, httpRequest, type HttpResponse } from '../net/http.js';
import type { Credentials } from './config.js';

/**
 * The registry HTTP API as a client needs it: the auth handshake `docker login` performs (Basic,
 * or Bearer through the token realm), then manifest and blob reads. No Docker daemon involved.
 */
export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const scheme = (m[1] ?? '').toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return undefined;
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) params[(p[1] ?? '').toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme, params };
}

/** The host serving the registry API for a registry name: Docker Hub's is not docker.io. */
export function registryApiHost(host: string): string {
  return host === 'docker.io' || host === 'index.docker.io' ? 'registry-1.docker.io' : host;
}

export type RegistryErrorKind = 'auth' | 'not-found' | 'transient' | 'denied' | 'other';

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly kind: RegistryErrorKind,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface Manifest {
  digest: string;
  mediaType: string;
  json: Record<string, unknown>;
  size: number;
  /** The exact bytes: a copy under another tag must keep the digest. */
  body: Buffer;
}

export interface RegistryOptions {
  credentials?: Credentials;
  timeoutMs?: number;
  /** Trusted CA for this registry; default /etc/docker/certs.d/<host>/ca.crt if present. */
  ca?: string | Buffer;
  env?: NodeJS.ProcessEnv;
}

/** The registry error body's first message (`{"errors":[{"code","message"}]}`), if any. */
function registryMessage(res: HttpResponse): string {
  try {
    const body = JSON.parse(bodyText(res)) as { errors?: { code?: string; message?: string }[]; details?: string };
    const first = body.errors?.[0];
    if (first) return [first.code, first.message].filter(Boolean).join(': ');
    if (body.details) return body.details;
  } catch {
    // not JSON
  }
  return bodyText(res).slice(0, 200).trim();
}

function kindOf(status: number): RegistryErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'denied';
  if (status === 404) return 'not-found';
  if (status === 429 || status === 408 || status >= 500) return 'transient';
  return 'other';
}

export class RegistryClient {
  private readonly tokens = new Map<string, string>();
  private readonly ca: string | Buffer | undefined;

  constructor(
    readonly host: string,
    private readonly options: RegistryOptions = {},
  ) {
    const certsD = `/etc/docker/certs.d/${host}/ca.crt`;
    this.ca = options.ca ?? (existsSync(certsD) ? readFileSync(certsD) : undefined);
  }

  private basic(): string | undefined {
    const c = this.options.credentials;
    return c ? `Basic ${Buffer.from(`${c.username}:${c.secret}`).toString('base64')}` : undefined;
  }

  private send(url: string, headers: Record<string, string>, method = 'GET', body?: Buffer): Promise<HttpResponse> {
    return httpRequest({
      url,
      method,
      headers,
      body,
      timeoutMs: this.options.timeoutMs ?? 30_000,
      ca: this.ca,
      env: this.options.env,
      followRedirects: method === 'GET' ? 3 : 0,
    });
  }

  /** Gets a Bearer token from the challenge's realm for `scope` (none for a login check). */
  private async token(challenge: Challenge, scope: string | undefined): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError(`registry ${this.host} sent a Bearer challenge without a realm`, 'other');
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    if (scope) url.searchParams.set('scope', scope);
    if (this.options.credentials) url.searchParams.set('account', this.options.credentials.username);
    const basic = this.basic();
    const res = await this.send(url.toString(), basic ? { authorization: basic } : {});
    if (res.status !== 200) {
      const why = registryMessage(res);
      throw new RegistryError(
        `token service ${url.host} refused ${this.options.credentials ? 'the credentials' : 'anonymous access'} for ${this.host} (HTTP ${res.status}${why ? `: ${why}` : ''})`,
        kindOf(res.status),
        res.status,
      );
    }
    const body = JSON.parse(bodyText(res)) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`token service ${url.host} answered without a token`, 'other');
    return token;
  }

  /** A request with auth as the registry asks for it: try, read the challenge, answer it, retry. */
  private async authorized(
    path: string,
    scope: string | undefined,
    headers: Record<string, string> = {},
    method = 'GET',
    body?: Buffer,
  ): Promise<HttpResponse> {
    const url = `https://${this.host}${path}`;
    const cached = scope !== undefined ? this.tokens.get(scope) : undefined;
    let res = await this.send(url, cached ? { ...headers, authorization: `Bearer ${cached}` } : headers, method, body);
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers['www-authenticate']);
    if (!challenge) return res;
    if (challenge.scheme === 'basic') {
      const basic = this.basic();
      if (!basic) return res;
      res = await this.send(url, { ...headers, authorization: basic }, method, body);
    } else {
      const token = await this.token(challenge, scope ?? challenge.params.scope);
      if (scope !== undefined) this.tokens.set(scope, token);
      res = await this.send(url, { ...headers, authorization: `Bearer ${token}` }, method, body);
    }
    return res;
  }

  /**
   * Checks the credentials as `docker login` does: GET /v2/ and answer its challenge. Resolves
   * when the registry accepts them; throws a RegistryError saying why not.
   */
  async verifyLogin(): Promise<void> {
    const url = `https://${this.host}/v2/`;
    const first = await this.send(url, {});
    if (first.status === 200) return;
    if (first.status !== 401) {
      throw new RegistryError(
        `registry ${this.host} answered HTTP ${first.status} to /v2/: ${registryMessage(first)}`,
        kindOf(first.status),
        first.status,
      );
    }
    const challenge = parseChallenge(first.headers['www-authenticate']);
    if (!challenge) throw new RegistryError(`registry ${this.host} asked for auth without a usable challenge`, 'other', 401);
    if (challenge.scheme === 'bearer') {
      await this.token(challenge, undefined);
      return;
    }
    const basic = this.basic();
    if (!basic) throw new RegistryError(`registry ${this.host} requires credentials`, 'auth', 401);
    const second = await this.send(url, { authorization: basic });
    if (second.status === 200) return;
    throw new RegistryError(`registry ${this.host} rejected the credentials (HTTP ${second.status})`, kindOf(second.status), second.status);
  }

  /** A manifest or index by tag or digest; undefined when the registry does not have it. */
  async manifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const res = await this.authorized(`/v2/${repository}/manifests/${reference}`, `repository:${repository}:pull`, {
      accept: MANIFEST_MEDIA_TYPES.join(', '),
    });
    if (res.status === 404) return undefined;
    if (res.status !== 200) {
      throw new RegistryError(
        `registry ${this.host} answered HTTP ${res.status} for ${repository}:${reference}: ${registryMessage(res)}`,
        kindOf(res.status),
        res.status,
      );
    }
    const digest = 'sha256:' + createHash('sha256').update(res.body).digest('hex');
    const json = JSON.parse(bodyText(res)) as Record<string, unknown>;
    const mediaType = (json.mediaType as string | undefined) ?? res.headers['content-type'] ?? '';
    return { digest, mediaType, json, size: res.body.length, body: res.body };
  }

  /** The digest a tag points at, without downloading the manifest; undefined if absent. */
  async resolve(repository: string, reference: string): Promise<string | undefined> {
    const res = await this.authorized(
      `/v2/${repository}/manifests/${reference}`,
      `repository:${repository}:pull`,
      { accept: MANIFEST_MEDIA_TYPES.join(', ') },
      'HEAD',
    );
    if (res.status === 404) return undefined;
    if (res.status !== 200)
      throw new RegistryError(
        `registry ${this.host} answered HTTP ${res.status} for ${repository}:${reference}`,
        kindOf(res.status),
        res.status,
      );
    const digest = res.headers['docker-content-digest'];
    if (digest) return digest;
    return (await this.manifest(repository, reference))?.digest;
  }

  /** Writes `manifest` (exact bytes) under `tag`: the tag then points at the same digest. */
  async putManifest(repository: string, tag: string, manifest: Manifest): Promise<void> {
    const res = await this.authorized(
      `/v2/${repository}/manifests/${tag}`,
      `repository:${repository}:pull,push`,
      { 'content-type': manifest.mediaType },
      'PUT',
      manifest.body,
    );
    if (res.status !== 201 && res.status !== 200) {
      throw new RegistryError(
        `registry ${this.host} refused to tag ${repository}:${tag} (HTTP ${res.status}): ${registryMessage(res)}`,
        kindOf(res.status),
        res.status,
      );
    }
  }

  async blob(repository: string, digest: string): Promise<Buffer> {
    const res = await this.authorized(`/v2/${repository}/blobs/${digest}`, `repository:${repository}:pull`);
    if (res.status !== 200)
      throw new RegistryError(`registry ${this.host} answered HTTP ${res.status} for blob ${digest}`, kindOf(res.status), res.status);
    return res.body;
  }
}
