/**
 * A small registry HTTP API client for tests, written apart from src/ on purpose: e2e tests check
 * what reached the registry through the registry's own API, not through the code under test.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { gunzipSync } from 'node:zlib';

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

function get(url: string, headers: Record<string, string>, ca: Buffer): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

export class TestRegistry {
  private readonly ca: Buffer;
  private bearer: string | undefined;

  constructor(
    readonly host: string,
    private readonly credentials: { username: string; password: string },
    caFile: string,
  ) {
    this.ca = readFileSync(caFile);
  }

  private basic(): string {
    return 'Basic ' + Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64');
  }

  async fetch(path: string, accept?: string): Promise<HttpReply> {
    const url = `https://${this.host}${path}`;
    const headers: Record<string, string> = accept ? { accept } : {};
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    let reply = await get(url, headers, this.ca);
    if (reply.status !== 401) return reply;
    const challenge = String(reply.headers['www-authenticate'] ?? '');
    if (/^Basic/i.test(challenge)) {
      reply = await get(url, { ...headers, authorization: this.basic() }, this.ca);
    } else if (/^Bearer/i.test(challenge)) {
      const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      const tokenUrl = new URL(params.realm ?? '');
      if (params.service) tokenUrl.searchParams.set('service', params.service);
      if (params.scope) tokenUrl.searchParams.set('scope', params.scope);
      const tokenReply = await get(tokenUrl.toString(), { authorization: this.basic() }, this.ca);
      const body = JSON.parse(tokenReply.body.toString() || '{}') as { token?: string; access_token?: string };
      this.bearer = body.token ?? body.access_token;
      reply = await get(url, { ...headers, authorization: `Bearer ${this.bearer}` }, this.ca);
    }
    return reply;
  }

  /** A manifest or index by tag or digest; its digest is checked against the bytes. */
  async manifest(
    repository: string,
    reference: string,
  ): Promise<{ digest: string; mediaType: string; json: Record<string, unknown> } | undefined> {
    const reply = await this.fetch(`/v2/${repository}/manifests/${reference}`, MANIFEST_TYPES);
    if (reply.status === 404) return undefined;
    if (reply.status !== 200) throw new Error(`GET manifest ${repository}:${reference}: HTTP ${reply.status} ${reply.body.toString()}`);
    const digest = 'sha256:' + createHash('sha256').update(reply.body).digest('hex');
    const header = String(reply.headers['docker-content-digest'] ?? digest);
    if (header !== digest) throw new Error(`registry says ${header} but the manifest bytes hash to ${digest}`);
    return { digest, mediaType: String(reply.headers['content-type']), json: JSON.parse(reply.body.toString()) as Record<string, unknown> };
  }

  async blob(repository: string, digest: string): Promise<Buffer> {
    const reply = await this.fetch(`/v2/${repository}/blobs/${digest}`);
    if (reply.status === 307 || reply.status === 302) throw new Error('blob redirects are not followed in tests');
    if (reply.status !== 200) throw new Error(`GET blob ${digest}: HTTP ${reply.status}`);
    return reply.body;
  }

  async tags(repository: string): Promise<string[]> {
    const reply = await this.fetch(`/v2/${repository}/tags/list`);
    if (reply.status === 404) return [];
    return (JSON.parse(reply.body.toString()) as { tags?: string[] }).tags ?? [];
  }
}

/** Reads one file out of a gzipped tar layer (ustar, as BuildKit writes it). */
export function fileInLayer(layer: Buffer, path: string): Buffer | undefined {
  const tar = gunzipSync(layer);
  const want = path.replace(/^\/+/, '');
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number): string =>
      header
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    let name = field(0, 100);
    const prefix = field(345, 155);
    if (prefix) name = `${prefix}/${name}`;
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (longName) {
      name = longName;
      longName = undefined;
    }
    if (name.replace(/^\.\//, '') === want && (type === '0' || type === '')) return Buffer.from(body);
  }
  return undefined;
}
