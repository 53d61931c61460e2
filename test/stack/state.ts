import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Everything tests and the demo need to reach a running stack: one JSON file written by `up`. */
export interface StackState {
  version: 1;
  /** Temporary directory holding every file of this stack run; removed by `down`. */
  dir: string;
  startedAt: string;
  registry: {
    /** host:port, e.g. 127.0.0.1:40123 */
    host: string;
    port: number;
    username: string;
    password: string;
    caCert: string;
  };
  buildkit: {
    /** unix:///…/buildkitd.sock */
    address: string;
    builder: string;
  };
  /** A DOCKER_CONFIG with the buildx plugin, the builder and registry credentials. */
  dockerConfig: string;
  /** Multi-arch busybox in the stack's registry. */
  baseImage: string;
  binaries: { buildkitd: string; buildctl: string; buildx: string };
  /** Every process `up` started, by name, so `down` can stop exactly those. */
  processes: Record<string, number>;
  /** System roots plus the stack CA (SSL_CERT_FILE for Go clients such as buildx). */
  caBundle: string;
  /**
   * The ACR emulator: the cr and STS APIs, a GitHub-style OIDC issuer, and the registry's token
   * server (the registry runs `auth: token` with the emulator as realm). It accepts the fixed
   * `accounts` (registry.username/password is the first) and the temporary passwords it issued.
   */
  emulator: {
    /** https://127.0.0.1:<port>: api-endpoint and sts-endpoint for the login action. */
    url: string;
    port: number;
    /** The region the registry belongs to; passwords issued for `otherRegion` are refused by it. */
    region: string;
    otherRegion: string;
    /** The registry's token service name. */
    service: string;
    /** Bearer token for the /__emulator control endpoints (test/emulator/control.ts). */
    controlToken: string;
    /** A long-term AccessKey of the emulated account. */
    accessKey: { id: string; secret: string };
    /** An Enterprise Edition instance in `region`. */
    instance: { id: string; name: string; region: string };
    /** Fixed ("permanent") registry passwords. */
    accounts: { username: string; password: string }[];
    oidc: {
      /** ACTIONS_ID_TOKEN_REQUEST_URL for a job of repository acme/app (which the role trusts). */
      requestUrl: string;
      /** ACTIONS_ID_TOKEN_REQUEST_TOKEN */
      requestToken: string;
      issuer: string;
      providerArn: string;
      roleArn: string;
      audience: string;
    };
  };
}

export function statePath(): string {
  return process.env.ACR_SHIP_STACK_STATE ?? join(REPO_ROOT, '.stack', 'state.json');
}

export function readState(): StackState | undefined {
  const path = statePath();
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as StackState;
}

export function writeState(state: StackState): void {
  const path = statePath();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}

export function clearState(): void {
  rmSync(statePath(), { force: true });
}

/** Environment for a process that uses the stack as a runner would: docker config and CA trust. */
export function stackEnv(state: StackState): Record<string, string> {
  return {
    DOCKER_CONFIG: state.dockerConfig,
    NODE_EXTRA_CA_CERTS: state.registry.caCert,
    SSL_CERT_FILE: state.caBundle,
    ACR_SHIP_STACK_STATE: statePath(),
  };
}
