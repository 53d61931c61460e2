import { UserError } from '../base/errors.js';
import type { Log } from '../base/log.js';
import { bodyText, httpRequest, HttpNetworkError, safeUrl } from '../net/http.js';
import { withRetries } from '../net/retry.js';

/**
 * GitHub Actions OIDC ID tokens: the runner gives a job with `permissions: id-token: write` a
 * request URL and bearer token (ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN); asking that URL with an
 * `audience` returns a signed JWT naming the repository, ref and workflow.
 */
export function idTokenAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
}

export const ID_TOKEN_PERMISSION_HINT = 'give the job `permissions: id-token: write` (pull requests from forks never get an ID token)';

export async function requestIdToken(audience: string, log: Log, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !bearer) throw new UserError(`no GitHub OIDC token is available to this job: ${ID_TOKEN_PERMISSION_HINT}`);
  log.mask(bearer);
  const url = new URL(requestUrl);
  url.searchParams.set('audience', audience);
  const res = await withRetries(
    async () => {
      const r = await httpRequest({
        url,
        headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
        timeoutMs: 15_000,
        env,
      });
      if (r.status >= 500 || r.status === 429)
        throw new HttpNetworkError(`${safeUrl(url)} answered HTTP ${r.status}`, `HTTP${r.status}`, safeUrl(url));
      return r;
    },
    {
      retries: 3,
      deadline: Date.now() + 60_000,
      retryable: (err) => err instanceof HttpNetworkError && err.code !== 'ENOTFOUND',
      onRetry: ({ delayMs, error }) =>
        log.info(`GitHub OIDC token: ${(error as Error).message}; retrying in ${(delayMs / 1000).toFixed(1)} s`),
    },
  ).catch((err: unknown) => {
    throw new UserError(`could not get a GitHub OIDC token from ${safeUrl(url)}: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (res.status !== 200) {
    throw new UserError(`GitHub refused an OIDC token for audience '${audience}' (HTTP ${res.status}): ${ID_TOKEN_PERMISSION_HINT}`);
  }
  let value: unknown;
  try {
    value = (JSON.parse(bodyText(res)) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || value === '')
    throw new UserError(`the GitHub OIDC token endpoint ${safeUrl(url)} answered without a token`);
  log.mask(value);
  return value;
}
