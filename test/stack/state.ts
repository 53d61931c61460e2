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
    ACR_SHIP_STACK_STATE: statePath(),
  };
}
