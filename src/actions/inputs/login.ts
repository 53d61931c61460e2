import { UserError } from '../../base/errors.js';
import type { Log } from '../../base/log.js';
import { parseList } from '../../base/lists.js';
import { endpointUrl, type Network } from '../../acr/endpoints.js';
import { parseAcrHost } from '../../acr/hosts.js';
import type { Inputs } from '../../github/inputs.js';
import type { AccessKeySource, AcrTarget, CloudCredentials, LoginRequest, LoginTarget, OidcSource } from '../../login/request.js';

/**
 * The login inputs (and the ALIBABA_CLOUD_* variables an earlier configure-aliyun-credentials
 * step exports) as a LoginRequest. Every secret is masked here, the moment it is read.
 *
 * Registries: `registry` (one host per line or comma-separated) with the step's credentials, and/or
 * a `registries` YAML list whose entries carry their own `username`/`password`, or ACR settings
 * (`region`, `instance-id`, `instance-name`, `endpoint`) to use the step's cloud credentials.
 */
const ENTRY_KEYS = ['registry', 'username', 'password', 'region', 'instance-id', 'instance-name', 'endpoint'] as const;
type EntryKey = (typeof ENTRY_KEYS)[number];

const NETWORKS: readonly Network[] = ['public', 'vpc'];
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;

function secret(log: Log, value: string | undefined): string | undefined {
  if (value) log.mask(value);
  return value;
}

function accessKeyFromInputs(inputs: Inputs, log: Log): { source?: AccessKeySource; partial?: string } {
  const id = secret(log, inputs.optional('access-key-id'));
  const key = secret(log, inputs.optional('access-key-secret'));
  const token = secret(log, inputs.optional('security-token'));
  if (id && key) {
    return {
      source: {
        accessKey: { id, secret: key, securityToken: token },
        origin: token ? "inputs 'access-key-id', 'access-key-secret', 'security-token'" : "inputs 'access-key-id', 'access-key-secret'",
        secretName: "input 'access-key-secret'",
        tokenName: "input 'security-token'",
      },
    };
  }
  if (id || key || token)
    return { partial: `input '${id ? 'access-key-secret' : 'access-key-id'}' is empty: set both 'access-key-id' and 'access-key-secret'` };
  return {};
}

function accessKeyFromEnv(env: NodeJS.ProcessEnv, log: Log): AccessKeySource | undefined {
  const id = secret(log, env.ALIBABA_CLOUD_ACCESS_KEY_ID);
  const key = secret(log, env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
  const token = secret(log, env.ALIBABA_CLOUD_SECURITY_TOKEN);
  if (!id || !key) return undefined;
  return {
    accessKey: { id, secret: key, securityToken: token || undefined },
    origin: token ? 'ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET/_SECURITY_TOKEN' : 'ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET',
    secretName: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    tokenName: 'ALIBABA_CLOUD_SECURITY_TOKEN',
  };
}

function oidcFromInputs(inputs: Inputs, env: NodeJS.ProcessEnv): OidcSource | undefined {
  const roleArn = inputs.optional('role-arn');
  const oidcProviderArn = inputs.optional('oidc-provider-arn');
  if (!roleArn && !oidcProviderArn) return undefined;
  if (!roleArn || !oidcProviderArn) {
    throw new UserError(
      `input '${roleArn ? 'oidc-provider-arn' : 'role-arn'}' is required for keyless OIDC: set both 'role-arn' and 'oidc-provider-arn'`,
    );
  }
  if (!/^acs:ram::\d+:role\/.+/.test(roleArn))
    throw new UserError(`input 'role-arn': '${roleArn}' is not a RAM role ARN (acs:ram::<account id>:role/<name>)`);
  if (!/^acs:ram::\d+:oidc-provider\/.+/.test(oidcProviderArn)) {
    throw new UserError(
      `input 'oidc-provider-arn': '${oidcProviderArn}' is not an OIDC provider ARN (acs:ram::<account id>:oidc-provider/<name>)`,
    );
  }
  const fallbackName = `acr-ship-${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
  const roleSessionName = inputs.optional('role-session-name') ?? fallbackName;
  if (!SESSION_NAME.test(roleSessionName)) {
    throw new UserError(`input 'role-session-name': '${roleSessionName}' must be 2–64 characters of letters, digits and . @ _ -`);
  }
  return {
    roleArn,
    oidcProviderArn,
    audience: inputs.optional('audience') ?? 'sts.aliyuncs.com',
    roleSessionName,
    durationSeconds: inputs.integer('role-duration', 3600, { min: 900, max: 43200 }),
  };
}

interface TargetFields {
  registries: string[];
  username?: string;
  password?: string;
  region?: string;
  instanceId?: string;
  instanceName?: string;
  network: Network;
}

/** One registry target from its fields: password if given, else ACR with the step's cloud credentials. */
function target(
  fields: TargetFields,
  origin: string,
  names: { username: string; password: string },
  cloud: boolean,
  partialKey?: string,
): LoginTarget {
  if (fields.username || fields.password) {
    const registries = fields.registries.length > 0 ? fields.registries : ['docker.io'];
    if (!fields.password)
      return {
        kind: 'missing',
        registries,
        origin,
        missing: `${names.password} is empty (is the secret set and available to this workflow?)`,
      };
    if (!fields.username) return { kind: 'missing', registries, origin, missing: `${names.username} is empty: set the registry username` };
    return { kind: 'password', registries, username: fields.username, password: fields.password, origin };
  }
  const acrHints = fields.region || fields.instanceId || fields.instanceName || fields.registries.some((r) => parseAcrHost(r));
  if (partialKey && !cloud) return { kind: 'missing', registries: fields.registries, origin, missing: partialKey };
  if (cloud || acrHints) {
    const acr: AcrTarget = {
      kind: 'acr',
      registries: fields.registries,
      region: fields.region,
      instanceId: fields.instanceId,
      instanceName: fields.instanceName,
      network: fields.network,
      origin,
    };
    return acr;
  }
  return {
    kind: 'missing',
    registries: fields.registries,
    origin,
    missing:
      "no credentials: set inputs 'username' and 'password', or 'access-key-id' and 'access-key-secret' (or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET), or 'role-arn' and 'oidc-provider-arn' for keyless OIDC",
  };
}

function entryString(value: unknown, what: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new UserError(`${what} must be a string`);
}

/** The `registries` YAML list; yaml is loaded only when the input is used (it is most of a bundle). */
async function registryEntries(text: string, log: Log, cloud: boolean, partialKey?: string): Promise<LoginTarget[]> {
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new UserError(`input 'registries' is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(doc)) throw new UserError("input 'registries' must be a YAML list of entries like '- registry: ghcr.io'");
  return doc.map((raw: unknown, i) => {
    const where = `input 'registries' entry ${i + 1}`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw new UserError(`${where} must be a mapping with 'registry' and credentials`);
    const entry = raw as Record<string, unknown>;
    for (const key of Object.keys(entry)) {
      if (!(ENTRY_KEYS as readonly string[]).includes(key))
        throw new UserError(`${where}: unknown key '${key}' (use ${ENTRY_KEYS.join(', ')})`);
    }
    const get = (key: EntryKey): string | undefined => entryString(entry[key], `${where} '${key}'`);
    const registryValue = entry.registry;
    const registries = Array.isArray(registryValue)
      ? registryValue.map((r, j) => entryString(r, `${where} 'registry' item ${j + 1}`) ?? '').filter(Boolean)
      : parseList(get('registry') ?? '');
    const network = get('endpoint') ?? 'public';
    if (!(NETWORKS as readonly string[]).includes(network))
      throw new UserError(`${where} 'endpoint' must be public or vpc; got '${network}'`);
    const fields: TargetFields = {
      registries,
      username: get('username'),
      password: secret(log, get('password')),
      region: get('region'),
      instanceId: get('instance-id'),
      instanceName: get('instance-name'),
      network: network as Network,
    };
    return target(fields, where, { username: `${where} 'username'`, password: `${where} 'password'` }, cloud, partialKey);
  });
}

export async function readLoginRequest(inputs: Inputs, env: NodeJS.ProcessEnv, log: Log): Promise<LoginRequest> {
  const password = secret(log, inputs.optional('password'));
  const fromInputs = accessKeyFromInputs(inputs, log);
  const cloud: CloudCredentials = {
    accessKey: fromInputs.source,
    oidc: oidcFromInputs(inputs, env),
    environmentAccessKey: accessKeyFromEnv(env, log),
  };
  const hasCloud = Boolean(cloud.accessKey || cloud.oidc || cloud.environmentAccessKey);
  const network = inputs.oneOf('endpoint', NETWORKS, 'public');
  const topLevel: TargetFields = {
    registries: inputs.list('registry'),
    username: inputs.optional('username'),
    password,
    region: inputs.optional('region'),
    instanceId: inputs.optional('instance-id'),
    instanceName: inputs.optional('instance-name'),
    network,
  };
  const registriesText = inputs.string('registries');
  const targets = registriesText ? await registryEntries(registriesText, log, hasCloud, fromInputs.partial) : [];
  const topLevelGiven = Boolean(
    topLevel.registries.length || topLevel.username || topLevel.password || topLevel.region || topLevel.instanceId || topLevel.instanceName,
  );
  // With a registries list, the top-level inputs form a target only if they name something.
  if (topLevelGiven || targets.length === 0) {
    const top = target(topLevel, '', { username: "input 'username'", password: "input 'password'" }, hasCloud, fromInputs.partial);
    targets.unshift(top);
  }
  const api = inputs.optional('api-endpoint');
  const sts = inputs.optional('sts-endpoint');
  return {
    targets,
    cloud,
    apiEndpoint: api ? endpointUrl(api, "input 'api-endpoint'") : undefined,
    stsEndpoint: sts ? endpointUrl(sts, "input 'sts-endpoint'") : undefined,
    scope: inputs.oneOf('config-scope', ['job', 'user'], 'job'),
    logout: inputs.boolean('logout', true),
  };
}
