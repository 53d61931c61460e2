/**
 * The ACR emulator's configuration: the emulated Alibaba Cloud account (AccessKeys, Enterprise
 * instances, RAM role trusting a GitHub-style OIDC provider) and the registry it is the token
 * server for. Written by the stack as JSON; tests build one in memory.
 */
export interface EmulatorConfig {
  /** Loopback port; 0 picks one. */
  port: number;
  /** PEM files; without them the emulator speaks plain HTTP (unit tests). */
  tls?: { cert: string; key: string };
  /** Region of the registry this emulator issues tokens for; passwords from other regions are refused there. */
  registryRegion: string;
  /** Regions whose cr API answers. */
  regions: string[];
  /** Distribution `auth: token` settings: the tokens' issuer, audience (service) and signing key + certificate (PEM files). */
  registry: {
    service: string;
    issuer: string;
    signingKey: string;
    signingCert: string;
    tokenTtlSeconds: number;
    /** Repositories anyone may pull (ACR's public repositories), as patterns where `*` matches anything. */
    publicRepositories?: string[];
  };
  /** Fixed registry passwords ("permanent" passwords, as ACR Personal Edition has). */
  accounts: { username: string; password: string }[];
  /** Long-term AccessKeys of the account. */
  accessKeys: { id: string; secret: string }[];
  /** Enterprise Edition instances. */
  instances: { id: string; name: string; region: string }[];
  /** Lifetime of temporary registry passwords (ACR: one hour). */
  passwordTtlSeconds: number;
  oidc: {
    /** What ACTIONS_ID_TOKEN_REQUEST_TOKEN must be. */
    requestToken: string;
    providerArn: string;
    /** The provider's client IDs: accepted `aud` values. */
    clientIds: string[];
    /** Roles trusting the provider; `subjects` are oidc:sub patterns where `*` matches anything. */
    roles: { arn: string; subjects: string[]; maxSessionDuration: number }[];
  };
  /** Bearer token for the /__emulator control endpoints. */
  controlToken: string;
}
