import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerConfigDir } from '../docker/config.js';

/**
 * The builder buildx will use and its driver, read from buildx's own store
 * (`$DOCKER_CONFIG/buildx/current` and `instances/<name>`) without starting buildx — so the build
 * can start at once while `buildx inspect` runs beside it for the platform check. Only the plain
 * cases are answered; anything else (Docker contexts, another engine) is undefined, and the
 * caller asks buildx as before.
 */
export interface StoredBuilder {
  name: string;
  driver: string;
  /** Node endpoints (unix://…, tcp://…, a Docker context name). */
  endpoints: string[];
}

const DEFAULT_ENGINE = 'unix:///var/run/docker.sock';

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function storedBuilder(env: NodeJS.ProcessEnv, requested?: string): StoredBuilder | undefined {
  const dir = dockerConfigDir(env);
  // A Docker context other than the default changes which builder is current: ask buildx.
  if (env.DOCKER_CONTEXT || readJson(join(dir, 'config.json'))?.currentContext) return undefined;
  let name = requested ?? env.BUILDX_BUILDER;
  if (!name) {
    const current = readJson(join(dir, 'buildx', 'current'));
    if (!current || typeof current.Name !== 'string') return undefined;
    // `current` is per engine unless global.
    if (current.Global !== true && current.Key !== (env.DOCKER_HOST || DEFAULT_ENGINE)) return undefined;
    name = current.Name;
  }
  const instance = readJson(join(dir, 'buildx', 'instances', name));
  if (!instance || typeof instance.Driver !== 'string' || typeof instance.Name !== 'string') return undefined;
  const nodes = Array.isArray(instance.Nodes) ? (instance.Nodes as { Endpoint?: unknown }[]) : [];
  return { name: instance.Name, driver: instance.Driver, endpoints: nodes.map((n) => (typeof n.Endpoint === 'string' ? n.Endpoint : '')) };
}

/**
 * Whether every node of the builder runs on this machine — a BuildKit socket here, or containers
 * of the local engine — so this machine's binfmt_misc is the builder's.
 */
export function runsHere(builder: StoredBuilder, env: NodeJS.ProcessEnv): boolean {
  const localEngine = !env.DOCKER_HOST || env.DOCKER_HOST.startsWith('unix://');
  if (builder.endpoints.length === 0) return false;
  return builder.endpoints.every((e) => {
    if (builder.driver === 'remote') return e.startsWith('unix://');
    if (builder.driver === 'docker-container') return e.startsWith('unix://') || (e === 'default' && localEngine);
    return false;
  });
}
