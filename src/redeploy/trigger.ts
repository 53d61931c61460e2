import { UserError } from '../base/errors.js';
import type { Log } from '../base/log.js';
import type { TagFilter } from './filter.js';

/**
 * One redeploy trigger, resolved: the URL and secret are values here (taken from inputs or the
 * environment by the caller). The URL is a secret: anyone holding an ACK trigger link can
 * redeploy the workload.
 */
export interface Trigger {
  /** Names the trigger in logs, the summary and the deliveries record. */
  name: string;
  url: string;
  filter: TagFilter;
  /** POST sends the payload; GET sends none (an ACK trigger link needs only the URL). */
  method: 'POST' | 'GET';
  /** Extra request headers; ours (content type, delivery id, signature) win on a clash. */
  headers: Record<string, string>;
  /** HMAC-SHA256 key for the signature header. */
  secret?: string;
}

/** Checks a trigger URL without ever echoing it: it is a secret. `what` names its source. */
export function parseWebhookUrl(url: string, what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`${what} is not a URL: write the full address, e.g. https://cs.console.aliyun.com/hook/trigger?token=…`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UserError(`${what} uses ${parsed.protocol}// which acr-ship cannot call: use an http:// or https:// URL`);
  }
  return parsed;
}

/*
 * Short values are not masked: a runner mask of "1" or "prod" would redact that text in every
 * later log line. Tokens are long; these thresholds keep them and spare ordinary words.
 */
const MIN_QUERY_SECRET = 8;
const MIN_PATH_TOKEN = 16;
const LONG_PATH_TOKEN = 32;

/** A path segment that looks like a credential (Feishu, Slack, Discord hooks carry one). */
function isPathToken(segment: string): boolean {
  if (segment.length >= LONG_PATH_TOKEN) return true;
  return segment.length >= MIN_PATH_TOKEN && /[0-9]/.test(segment) && /[A-Za-z]/.test(segment);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * Every string of a URL that must not reach a log: the URL itself (as written and normalised),
 * credentials, the query and each long query value (raw and decoded), token-like path segments.
 * A URL that is nothing but scheme, host and path is not masked whole: that is exactly what logs
 * and the summary show of every URL, and a mask would turn it into *** there (and make the
 * runner drop the `deliveries` output from job outputs).
 */
export function urlSecrets(raw: string): string[] {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return raw.trim() ? [raw.trim()] : [];
  }
  const found = new Set<string>();
  if (url.href !== displayUrl(raw)) found.add(raw.trim()).add(url.href);
  if (url.username) found.add(url.username).add(decoded(url.username));
  if (url.password) found.add(url.password).add(decoded(url.password));
  const query = url.search.slice(1);
  if (query) found.add(query);
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const [name, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    // A bare `?<token>` has the token as its name.
    const secret = value || name;
    if (secret.length >= MIN_QUERY_SECRET) found.add(secret).add(decoded(secret));
  }
  if (url.hash.length > 1) found.add(url.hash.slice(1));
  for (const segment of url.pathname.split('/')) if (isPathToken(segment)) found.add(segment).add(decoded(segment));
  return [...found].filter((s) => s.length > 0);
}

/** Scheme, host and path, with token-like path segments replaced: what logs and reports show. */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw.trim());
    const path = url.pathname
      .split('/')
      .map((segment) => (isPathToken(segment) ? '***' : segment))
      .join('/');
    return `${url.protocol}//${url.host}${path}`;
  } catch {
    return '<invalid URL>';
  }
}

/** Registers every secret part of a trigger with the log before anything could print it. */
export function maskTrigger(log: Log, url: string, secret?: string): void {
  for (const part of urlSecrets(url)) log.mask(part);
  if (secret) log.mask(secret);
}
