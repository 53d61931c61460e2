import type { Network } from '../acr/endpoints.js';
import type { AccessKey } from '../acr/openapi.js';
import type { ConfigScope } from './store.js';

/**
 * What a login step is asked to do, as typed values (the action's inputs and environment are
 * turned into this by src/actions/inputs/login.ts; the CLI or the root pipeline can build it too).
 */

/** Username and password for one or more registries (any registry, ACR included). */
export interface PasswordTarget {
  kind: 'password';
  registries: string[];
  username: string;
  password: string;
  /** Where the values came from, for messages: "inputs 'username' and 'password'". */
  origin: string;
}

/** An ACR registry logged in to with a temporary password from the ACR API. */
export interface AcrTarget {
  kind: 'acr';
  /** Registry hosts; empty = derived from region, edition and `network`. */
  registries: string[];
  region?: string;
  /** Enterprise Edition instance (`cri-…`): switches to cr 2018-12-01 GetAuthorizationToken. */
  instanceId?: string;
  /** Enterprise Edition instance name, to derive `<name>-registry.<region>.cr.aliyuncs.com`. */
  instanceName?: string;
  network: Network;
  origin: string;
}

/** A registry named without any credential for it (e.g. a password secret that is empty). */
export interface MissingTarget {
  kind: 'missing';
  registries: string[];
  origin: string;
  /** One line naming what to set. */
  missing: string;
}

export type LoginTarget = PasswordTarget | AcrTarget | MissingTarget;

export interface AccessKeySource {
  accessKey: AccessKey;
  /** "inputs 'access-key-id', 'access-key-secret'" or "ALIBABA_CLOUD_ACCESS_KEY_ID/…_SECRET". */
  origin: string;
  /** Input (or variable) names to point at when ACR refuses the key. */
  secretName: string;
  tokenName: string;
}

export interface OidcSource {
  roleArn: string;
  oidcProviderArn: string;
  audience: string;
  roleSessionName: string;
  durationSeconds: number;
}

/**
 * Cloud credentials for ACR targets, in the order they apply: AccessKey inputs, keyless OIDC
 * inputs, then an AccessKey from the environment (an earlier configure-aliyun-credentials step).
 * Explicit inputs of this step win over ambient variables.
 */
export interface CloudCredentials {
  accessKey?: AccessKeySource;
  oidc?: OidcSource;
  environmentAccessKey?: AccessKeySource;
}

export interface LoginRequest {
  targets: LoginTarget[];
  cloud: CloudCredentials;
  /** Overrides of the cr OpenAPI and STS endpoints (private endpoints, tests). */
  apiEndpoint?: URL;
  stsEndpoint?: URL;
  scope: ConfigScope;
  /** false: leave the credentials in place after the job. */
  logout: boolean;
}

export type CredentialSource = 'password' | 'access-key' | 'sts' | 'oidc';

export interface LoggedIn {
  registry: string;
  username: string;
  source: CredentialSource;
  expiresAt?: Date;
}

export interface LoginResult {
  /** False when every target was skipped (a fork pull request without credentials). */
  loggedIn: boolean;
  registries: LoggedIn[];
  skipped: string[];
  /** Where docker now finds the credentials (export as DOCKER_CONFIG in job scope). */
  dockerConfig: string | undefined;
}
