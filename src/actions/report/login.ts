import { setOutput } from '../../github/commands.js';
import type { LoginResult } from '../../login/request.js';

/** Outputs: registry and username (one line per registry), the earliest expiry, and logged-in. */
export function setLoginOutputs(result: LoginResult, env: NodeJS.ProcessEnv = process.env): void {
  const expiries = result.registries.flatMap((r) => (r.expiresAt ? [r.expiresAt.getTime()] : []));
  setOutput('registry', result.registries.map((r) => r.registry).join('\n'), env);
  setOutput('username', result.registries.map((r) => r.username).join('\n'), env);
  setOutput('expires-at', expiries.length > 0 ? new Date(Math.min(...expiries)).toISOString() : '', env);
  setOutput('logged-in', String(result.loggedIn), env);
}
