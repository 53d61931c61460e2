import { errorMessage, UserError, UserErrors } from '../base/errors.js';
import type { Log } from '../base/log.js';
import { checkRegion, crApiUrl, enterpriseRegistryHost, personalRegistryHost, stsApiUrl } from '../acr/endpoints.js';
import { parseAcrHost } from '../acr/hosts.js';
import { ApiError, OpenApiClient, type AccessKey, type ApiClientOptions } from '../acr/openapi.js';
import { assumeRoleWithOidc } from '../acr/sts.js';
import { enterpriseRegistryPassword, personalRegistryPassword, type RegistryPassword } from '../acr/tokens.js';
import { hostOfKey } from '../docker/config.js';
import { registryApiHost, RegistryClient, RegistryError } from '../docker/registry.js';
import { HttpNetworkError } from '../net/http.js';
import { withRetries } from '../net/retry.js';
import { explainStsError, explainTokenError, explainVerifyError, type VerifyContext } from './explain.js';
import type {
  AccessKeySource,
  AcrTarget,
  CredentialSource,
  LoggedIn,
  LoginRequest,
  LoginResult,
  LoginTarget,
  OidcSource,
} from './request.js';
import { CredentialStore, undoSession, type UndoResult } from './store.js';

/**
 * Logs in to every registry of a request without a Docker daemon: picks each registry's
 * credential source (and says which), turns cloud credentials into ACR temporary passwords,
 * stores them where docker and buildx look, then checks each one against the registry exactly as
 * `docker login` would. Nothing is changed until every target has been checked for missing
 * inputs; a failure after that undoes what was stored.
 */
export interface LoginDeps {
  log: Log;
  /** Environment for credential helpers (PATH) and proxies. */
  env: NodeJS.ProcessEnv;
  /** The Docker config directory in use before this step (DOCKER_CONFIG or ~/.docker). */
  userConfigDir: string;
  /** This login's session directory under RUNNER_TEMP; record it for the post step first. */
  sessionDir: string;
  /** The OIDC ID token for an audience; absent when the job cannot get one. */
  idToken?: (audience: string) => Promise<string>;
  /** Why there is no ID token and how to get one (the caller knows its platform). */
  idTokenMissing?: string;
  /** A pull request from a fork: registries without credentials are skipped, not an error. */
  forkPullRequest: boolean;
  /** Test knobs for the OpenAPI client (retry delays). */
  api?: Partial<ApiClientOptions>;
}

const NO_CREDENTIALS =
  "set inputs 'username' and 'password', or 'access-key-id' and 'access-key-secret' (or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET), or 'role-arn' and 'oidc-provider-arn' for keyless OIDC";

function noIdToken(deps: Pick<LoginDeps, 'idTokenMissing'>): string {
  return `keyless OIDC needs an OIDC ID token: ${deps.idTokenMissing ?? 'none is available to this job'}`;
}

type CloudChoice = { kind: 'key'; key: AccessKeySource } | { kind: 'oidc'; oidc: OidcSource } | { kind: 'none'; why: string };

function chooseCloud(request: LoginRequest, deps: Pick<LoginDeps, 'idToken' | 'idTokenMissing'>): CloudChoice {
  const { cloud } = request;
  if (cloud.accessKey) return { kind: 'key', key: cloud.accessKey };
  if (cloud.oidc) {
    return deps.idToken ? { kind: 'oidc', oidc: cloud.oidc } : { kind: 'none', why: noIdToken(deps) };
  }
  if (cloud.environmentAccessKey) return { kind: 'key', key: cloud.environmentAccessKey };
  return { kind: 'none', why: `no credentials for ACR: ${NO_CREDENTIALS}` };
}

/** Message prefix naming where a target came from ('' for the step's own inputs). */
function at(origin: string): string {
  return origin ? `${origin}: ` : '';
}

interface AcrPlan {
  target: AcrTarget;
  region: string;
  hosts: string[];
}

/** Region and registry hosts of an ACR target, checked against each other before any call. */
function planAcr(target: AcrTarget): AcrPlan {
  const parsed = target.registries.map((host) => ({ host, info: parseAcrHost(host) }));
  const named = parsed.find((p) => p.info)?.info?.region;
  if (!target.region && !named) {
    const host = target.registries[0];
    throw new UserError(
      `${at(target.origin)}input 'region' is required${host ? ` (registry ${host} does not name one)` : ''}, e.g. cn-hangzhou`,
    );
  }
  const region = checkRegion(target.region ?? named ?? '');
  for (const { host, info } of parsed) {
    if (!info) continue;
    if (info.region !== region) {
      throw new UserError(
        `${at(target.origin)}registry ${host} is in region ${info.region} but input 'region' is '${region}': make them agree`,
      );
    }
    if (info.edition === 'enterprise' && !target.instanceId) {
      throw new UserError(`${at(target.origin)}registry ${host} is an Enterprise Edition instance: set input 'instance-id' (cri-…)`);
    }
    if (info.edition === 'personal' && !info.instance && target.instanceId) {
      throw new UserError(
        `${at(target.origin)}registry ${host} is the Personal Edition registry; remove input 'instance-id' or name that instance's registry`,
      );
    }
  }
  let hosts = target.registries;
  if (hosts.length === 0) {
    if (!target.instanceId) hosts = [personalRegistryHost(region, target.network)];
    else if (target.instanceName) hosts = [enterpriseRegistryHost(target.instanceName, region, target.network)];
    else
      throw new UserError(
        `${at(target.origin)}set input 'registry' (or 'instance-name') to name the registry of Enterprise Edition instance ${target.instanceId}`,
      );
  }
  return { target, region, hosts };
}

/** `sub` and `aud` of a JWT, for messages only (STS verifies the token, not us). */
function jwtClaims(token: string): { sub?: string; aud?: string } {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown; aud?: unknown };
    const aud = Array.isArray(payload.aud) ? payload.aud.join(',') : payload.aud;
    return { sub: typeof payload.sub === 'string' ? payload.sub : undefined, aud: typeof aud === 'string' ? aud : undefined };
  } catch {
    return {};
  }
}

interface Credential {
  username: string;
  password: string;
  source: CredentialSource;
  expiresAt?: Date;
  verify: Omit<VerifyContext, 'username'>;
}

const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

function verifyRetryable(err: unknown): boolean {
  if (err instanceof RegistryError) return err.kind === 'transient';
  return err instanceof HttpNetworkError && TRANSIENT_NETWORK.has(err.code);
}

/** Gets ACR temporary passwords, one API call per region and instance. */
class AcrPasswords {
  private key: Promise<{ accessKey: AccessKey; source: CredentialSource; origin: AccessKeySource }> | undefined;
  private readonly passwords = new Map<string, Promise<RegistryPassword>>();

  constructor(
    private readonly request: LoginRequest,
    private readonly cloud: Exclude<CloudChoice, { kind: 'none' }>,
    private readonly deps: LoginDeps,
  ) {}

  private options(): ApiClientOptions {
    return { log: this.deps.log, env: this.deps.env, ...this.deps.api };
  }

  get source(): CredentialSource {
    if (this.cloud.kind === 'oidc') return 'oidc';
    return this.cloud.key.accessKey.securityToken ? 'sts' : 'access-key';
  }

  describe(): string {
    if (this.cloud.kind === 'oidc') return `keyless OIDC (GitHub ID token → STS AssumeRoleWithOIDC, role ${this.cloud.oidc.roleArn})`;
    const kind = this.cloud.key.accessKey.securityToken ? 'STS credentials' : 'AccessKey';
    return `${kind} from ${this.cloud.key.origin}`;
  }

  /** The AccessKey to sign with: given, or from STS for the GitHub ID token. */
  private accessKey(plan: AcrPlan): Promise<{ accessKey: AccessKey; source: CredentialSource; origin: AccessKeySource }> {
    if (this.key) return this.key;
    const cloud = this.cloud;
    if (cloud.kind === 'key') {
      this.key = Promise.resolve({ accessKey: cloud.key.accessKey, source: this.source, origin: cloud.key });
      return this.key;
    }
    this.key = (async () => {
      const { oidc } = cloud;
      const idToken = this.deps.idToken;
      if (!idToken) throw new UserError(noIdToken(this.deps));
      const token = await idToken(oidc.audience);
      const endpoint = this.request.stsEndpoint ?? stsApiUrl(plan.target.network === 'vpc' ? plan.region : undefined, plan.target.network);
      const client = new OpenApiClient(endpoint, undefined, this.options());
      try {
        const sts = await assumeRoleWithOidc(
          client,
          {
            roleArn: oidc.roleArn,
            oidcProviderArn: oidc.oidcProviderArn,
            oidcToken: token,
            roleSessionName: oidc.roleSessionName,
            durationSeconds: oidc.durationSeconds,
          },
          this.deps.log,
        );
        this.deps.log.info(`STS: assumed role ${oidc.roleArn}${sts.expiresAt ? ` until ${sts.expiresAt.toISOString()}` : ''}`);
        const origin: AccessKeySource = {
          accessKey: sts,
          origin: `STS AssumeRoleWithOIDC (role ${oidc.roleArn})`,
          secretName: 'the STS AccessKey secret',
          tokenName: 'the STS security token',
        };
        return { accessKey: sts, source: 'oidc' as const, origin };
      } catch (err) {
        throw err instanceof ApiError ? explainStsError(err, oidc, jwtClaims(token)) : err;
      }
    })();
    return this.key;
  }

  async password(plan: AcrPlan): Promise<RegistryPassword> {
    const { region } = plan;
    const instanceId = plan.target.instanceId;
    const cacheKey = `${region}|${instanceId ?? ''}`;
    let pending = this.passwords.get(cacheKey);
    if (!pending) {
      pending = (async () => {
        const { accessKey, origin } = await this.accessKey(plan);
        const client = new OpenApiClient(this.request.apiEndpoint ?? crApiUrl(region), accessKey, this.options());
        try {
          return instanceId
            ? await enterpriseRegistryPassword(client, region, instanceId, this.deps.log)
            : await personalRegistryPassword(client, region, this.deps.log);
        } catch (err) {
          if (err instanceof ApiError)
            throw explainTokenError(err, { region, key: origin, instanceId, apiOverride: Boolean(this.request.apiEndpoint) });
          throw err;
        }
      })();
      this.passwords.set(cacheKey, pending);
    }
    return pending;
  }
}

function hostsOf(target: LoginTarget): string[] {
  return target.registries.map((r) => hostOfKey(r));
}

export async function login(request: LoginRequest, deps: LoginDeps): Promise<LoginResult> {
  const { log } = deps;
  const cloud = chooseCloud(request, deps);

  // Plan every target first: missing inputs are reported together, before anything changes.
  const problems: UserError[] = [];
  const skipped: string[] = [];
  const passwordTargets: Extract<LoginTarget, { kind: 'password' }>[] = [];
  const acrPlans: AcrPlan[] = [];
  for (const target of request.targets) {
    const missing = target.kind === 'missing' ? target.missing : target.kind === 'acr' && cloud.kind === 'none' ? cloud.why : undefined;
    if (missing !== undefined) {
      const names = hostsOf(target).join(', ') || 'the registry';
      if (deps.forkPullRequest) {
        log.notice(
          `skipping login to ${names}: this pull request comes from a fork, which gets no secrets or OIDC token (${missing}); build without pushing`,
        );
        skipped.push(...(hostsOf(target).length ? hostsOf(target) : [target.origin || 'login']));
      } else {
        problems.push(new UserError(`${at(target.origin)}${missing}`));
      }
      continue;
    }
    try {
      if (target.kind === 'password') passwordTargets.push({ ...target, registries: hostsOf(target) });
      else if (target.kind === 'acr') acrPlans.push(planAcr({ ...target, registries: hostsOf(target) }));
    } catch (err) {
      if (err instanceof UserError) problems.push(err);
      else throw err;
    }
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new UserErrors(problems);
  if (passwordTargets.length === 0 && acrPlans.length === 0) {
    return { loggedIn: false, registries: [], skipped, dockerConfig: undefined };
  }

  const store = CredentialStore.open(deps.sessionDir, request.scope, deps.userConfigDir, deps.env);
  try {
    const credentials = new Map<string, Credential>();
    const assign = (host: string, credential: Credential): void => {
      // A host listed twice with different credentials: the later listing wins, visibly.
      const earlier = credentials.get(host);
      if (earlier && (earlier.username !== credential.username || earlier.password !== credential.password)) {
        log.warning(`${host} is listed more than once; using the credentials from ${credential.verify.origin}`);
      }
      credentials.set(host, credential);
    };
    for (const target of passwordTargets) {
      const origin = target.origin || "inputs 'username' and 'password'";
      log.info(`${target.registries.join(', ')}: username and password from ${origin}`);
      for (const host of target.registries) {
        assign(host, {
          username: target.username,
          password: target.password,
          source: 'password',
          verify: { source: 'password', origin },
        });
      }
    }
    if (acrPlans.length > 0 && cloud.kind !== 'none') {
      const acr = new AcrPasswords(request, cloud, deps);
      for (const plan of acrPlans) {
        const api = plan.target.instanceId
          ? `cr 2018-12-01 GetAuthorizationToken (instance ${plan.target.instanceId})`
          : 'cr 2016-06-07 GET /tokens';
        log.info(`${plan.hosts.join(', ')}: ACR temporary password from ${api} in ${plan.region}, signed with ${acr.describe()}`);
      }
      const passwords = await Promise.all(acrPlans.map((plan) => acr.password(plan)));
      acrPlans.forEach((plan, i) => {
        const pw = passwords[i] as RegistryPassword;
        for (const host of plan.hosts) {
          assign(host, {
            username: pw.username,
            password: pw.password,
            source: acr.source,
            expiresAt: pw.expiresAt,
            verify: { source: acr.source, origin: acr.describe(), region: plan.region, instanceId: plan.target.instanceId },
          });
        }
      });
    }

    for (const [host, c] of credentials) await store.store(host, { username: c.username, secret: c.password });
    const registries = await Promise.all(
      [...credentials].map(async ([host, c]): Promise<LoggedIn> => {
        await verify(store, host, { ...c.verify, username: c.username }, deps);
        log.info(`Logged in to ${host} as ${c.username}${c.expiresAt ? ` (expires ${c.expiresAt.toISOString()})` : ''}`);
        return { registry: host, username: c.username, source: c.source, expiresAt: c.expiresAt };
      }),
    );
    if (!request.logout) {
      store.keep();
      log.info(`logout: false — the credentials stay in ${store.configDir}`);
    }
    return { loggedIn: skipped.length === 0, registries, skipped, dockerConfig: store.configDir };
  } catch (err) {
    try {
      await undoSession(deps.sessionDir, deps.env, log);
    } catch (undoErr) {
      log.warning(errorMessage(undoErr));
    }
    throw err;
  }
}

/** Reads the stored credential back (as docker would) and checks it against the registry. */
async function verify(store: CredentialStore, host: string, ctx: VerifyContext, deps: LoginDeps): Promise<void> {
  const stored = await store.read(host);
  if (!stored) throw new UserError(`the credentials for ${host} could not be read back from ${store.configDir} after storing them`);
  const client = new RegistryClient(registryApiHost(host), { credentials: stored, env: deps.env, timeoutMs: 30_000 });
  try {
    await withRetries(() => client.verifyLogin(), {
      retries: 3,
      baseDelayMs: deps.api?.baseDelayMs ?? 500,
      deadline: Date.now() + 60_000,
      retryable: verifyRetryable,
      onRetry: ({ delayMs, error }) => deps.log.info(`${host}: ${errorMessage(error)}; retrying in ${(delayMs / 1000).toFixed(1)} s`),
    });
  } catch (err) {
    throw explainVerifyError(err, host, ctx);
  }
}

/** The post step: undoes what the login stored (no-op when there is nothing recorded). */
export function logout(sessionDir: string, deps: { log: Log; env: NodeJS.ProcessEnv }): Promise<UndoResult> {
  return undoSession(sessionDir, deps.env, deps.log);
}
