import type { Log } from '../../base/log.js';
import { dockerConfigDir } from '../../docker/config.js';
import { exportVariable, getState, saveState } from '../../github/commands.js';
import { readRunContext } from '../../github/context.js';
import { Inputs } from '../../github/inputs.js';
import { ID_TOKEN_PERMISSION_HINT, idTokenAvailable, requestIdToken } from '../../github/oidc.js';
import { login, logout } from '../../login/login.js';
import type { LoginRequest, LoginResult } from '../../login/request.js';
import { newSessionDir } from '../../login/store.js';
import { readLoginRequest } from '../inputs/login.js';
import { setLoginOutputs } from '../report/login.js';

const SESSION_STATE = 'login-session';

/**
 * Logs in as a step does: the session directory is saved to the step state before anything
 * changes, so the post step can clean up even after a main step that died half-way; in job scope
 * DOCKER_CONFIG is exported for later steps and for this process.
 */
export async function performLogin(request: LoginRequest, log: Log, env: NodeJS.ProcessEnv = process.env): Promise<LoginResult> {
  const run = readRunContext(env);
  const sessionDir = newSessionDir(run.runnerTemp);
  if (request.logout) saveState(SESSION_STATE, sessionDir, env);
  const result = await login(request, {
    log,
    env,
    userConfigDir: dockerConfigDir(env),
    sessionDir,
    idToken: idTokenAvailable(env) ? (audience) => requestIdToken(audience, log, env) : undefined,
    idTokenMissing: `GitHub gives none here: ${ID_TOKEN_PERMISSION_HINT}`,
    forkPullRequest: Boolean(run.pullRequest?.fromFork) && run.eventName !== 'pull_request_target',
  });
  if (result.dockerConfig && request.scope === 'job') {
    exportVariable('DOCKER_CONFIG', result.dockerConfig, env);
    log.info(`DOCKER_CONFIG=${result.dockerConfig} for the rest of the job`);
  }
  if (!result.loggedIn && result.registries.length === 0) log.info('not logged in: logged-in=false');
  return result;
}

/** The login step as the `login` action runs it: inputs → performLogin → outputs. */
export async function loginStep(log: Log, env: NodeJS.ProcessEnv = process.env): Promise<LoginResult> {
  const result = await performLogin(await readLoginRequest(new Inputs(env), env, log), log, env);
  setLoginOutputs(result, env);
  return result;
}

/** The post step: removes what the main step stored and points DOCKER_CONFIG back. */
export async function logoutStep(log: Log, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const sessionDir = getState(SESSION_STATE, env);
  if (!sessionDir) return;
  const result = await logout(sessionDir, { log, env });
  if (result.restoreDockerConfig) exportVariable('DOCKER_CONFIG', result.restoreDockerConfig, env);
  if (result.undone > 0) log.info(`Logged out: ${result.undone} stored credential(s) removed or restored`);
}
