import { randomUUID } from 'node:crypto';
import type { Log } from '../base/log.js';
import { bodyText, httpRequest, HttpNetworkError, safeUrl, type HttpResponse } from '../net/http.js';
import { parseRetryAfter, withRetries } from '../net/retry.js';
import { canonicalQuery, roaSignature, roaStringToSign, rpcSignature } from './signing.js';

/**
 * A small Alibaba Cloud OpenAPI client: one signed RPC or ROA call, JSON back, transient failures
 * (network, 5xx, 429, throttling) retried with backoff — each attempt freshly signed, since a
 * nonce may be used once — and every other failure surfaced as an ApiError with the service's
 * own code for the caller to explain.
 */
export interface AccessKey {
  id: string;
  secret: string;
  /** STS security token, for temporary AccessKeys (id `STS.…`). */
  securityToken?: string;
}

export interface ApiClientOptions {
  log: Log;
  env?: NodeJS.ProcessEnv;
  /** Per attempt (default 15 s). */
  timeoutMs?: number;
  /** Retries after the first attempt for transient failures (default 3). */
  retries?: number;
  baseDelayMs?: number;
  /** Tests fix the clock and nonce. */
  now?: () => Date;
  nonce?: () => string;
  sleep?: (ms: number) => Promise<void>;
}

export type Json = Record<string, unknown>;

interface ApiRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** Connection failures worth another try; DNS NXDOMAIN and TLS trust failures are not. */
const TRANSIENT_NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** A failure the service answered (or a transport failure after all retries). */
export class ApiError extends Error {
  constructor(
    message: string,
    /** The service's error code (`SignatureDoesNotMatch`…), or a transport code (`ENOTFOUND`…). */
    readonly code: string,
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    readonly host: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get transient(): boolean {
    if (this.status === 0) return TRANSIENT_NETWORK.has(this.code);
    return this.status >= 500 || this.status === 429 || /^(Throttling|ServiceUnavailable|InternalError)/.test(this.code);
  }
}

function field(body: Json, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = body[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function parseBody(res: HttpResponse, host: string): Json {
  const text = bodyText(res);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    // not JSON: a proxy or load balancer answered
  }
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 120);
  throw new ApiError(
    `${host} answered HTTP ${res.status} without a JSON body${snippet ? `: ${snippet}` : ''}`,
    `HTTP${res.status}`,
    res.status,
    host,
  );
}

/** RFC 3339 UTC without milliseconds, as the RPC Timestamp wants it. */
export function rpcTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class OpenApiClient {
  readonly host: string;

  constructor(
    readonly endpoint: URL,
    private readonly credentials: AccessKey | undefined,
    private readonly options: ApiClientOptions,
  ) {
    this.host = endpoint.host;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private nonce(): string {
    return this.options.nonce?.() ?? randomUUID();
  }

  /** Sends with retries; `build` is called per attempt so each one gets a fresh nonce and time. */
  private async send(what: string, build: () => ApiRequest): Promise<Json> {
    const { log } = this.options;
    return withRetries(
      async () => {
        const req = build();
        const started = Date.now();
        let res: HttpResponse;
        try {
          res = await httpRequest({ ...req, timeoutMs: this.options.timeoutMs ?? 15_000, env: this.options.env });
        } catch (err) {
          if (err instanceof HttpNetworkError) throw new ApiError(err.message, err.code, 0, this.host);
          throw err;
        }
        const body = parseBody(res, this.host);
        const requestId = field(body, 'RequestId', 'requestId');
        log.debug(
          `${what}: ${req.method} ${safeUrl(req.url)} → HTTP ${res.status} in ${Date.now() - started} ms${requestId ? ` (request ${requestId})` : ''}`,
        );
        const code = field(body, 'Code', 'code');
        if (res.status >= 300 || body.IsSuccess === false || body.isSuccess === false) {
          const message = field(body, 'Message', 'message') ?? `HTTP ${res.status}`;
          const error = new ApiError(`${message}`, code ?? `HTTP${res.status}`, res.status, this.host, requestId);
          const retryAfter = parseRetryAfter(res.headers['retry-after']);
          if (retryAfter !== undefined) Object.assign(error, { retryAfterMs: retryAfter });
          throw error;
        }
        return body;
      },
      {
        retries: this.options.retries ?? 3,
        baseDelayMs: this.options.baseDelayMs ?? 500,
        deadline: Date.now() + 60_000,
        sleep: this.options.sleep,
        retryable: (err) => err instanceof ApiError && err.transient,
        retryAfterMs: (err) => (err as { retryAfterMs?: number }).retryAfterMs,
        onRetry: ({ attempt, delayMs, error }) =>
          log.info(
            `${what}: ${error instanceof Error ? error.message : String(error)}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1})`,
          ),
      },
    );
  }

  /** A ROA call (`Authorization: acs <id>:<signature>`), e.g. cr 2016-06-07 `GET /tokens`. */
  roa(method: string, path: string, api: { version: string; region: string; query?: Record<string, string> }): Promise<Json> {
    const credentials = this.credentials;
    if (!credentials) throw new Error('ROA calls need an AccessKey');
    return this.send(`${method} ${path}`, () => {
      const headers: Record<string, string> = {
        accept: 'application/json',
        date: this.now().toUTCString(),
        'x-acs-version': api.version,
        'x-acs-region-id': api.region,
        'x-acs-signature-method': 'HMAC-SHA1',
        'x-acs-signature-version': '1.0',
        'x-acs-signature-nonce': this.nonce(),
      };
      if (credentials.securityToken) {
        headers['x-acs-accesskey-id'] = credentials.id;
        headers['x-acs-security-token'] = credentials.securityToken;
      }
      const query = api.query ?? {};
      const signature = roaSignature(roaStringToSign(method, path, headers, query), credentials.secret);
      headers.authorization = `acs ${credentials.id}:${signature}`;
      const url = new URL(path, this.endpoint);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      return { url, method, headers };
    });
  }

  /**
   * An RPC call. Signed (parameters and Signature in the query of a GET) when the client has an
   * AccessKey; anonymous (a form POST, as STS AssumeRoleWithOIDC takes it) when it has none.
   */
  rpc(action: string, version: string, params: Record<string, string>): Promise<Json> {
    const credentials = this.credentials;
    return this.send(action, (): ApiRequest => {
      const common: Record<string, string> = { Action: action, Version: version, Format: 'JSON', Timestamp: rpcTimestamp(this.now()) };
      if (!credentials) {
        const url = new URL(`/?${canonicalQuery(common)}`, this.endpoint);
        const body = canonicalQuery(params);
        return { url, method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body };
      }
      const all: Record<string, string> = {
        ...params,
        ...common,
        AccessKeyId: credentials.id,
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        SignatureNonce: this.nonce(),
      };
      if (credentials.securityToken) all.SecurityToken = credentials.securityToken;
      all.Signature = rpcSignature('GET', all, credentials.secret);
      return { url: new URL(`/?${canonicalQuery(all)}`, this.endpoint), method: 'GET', headers: { accept: 'application/json' } };
    });
  }
}
