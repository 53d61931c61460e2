import { randomBytes } from 'node:crypto';
import { UserError } from '../base/errors.js';
import type { Log } from '../base/log.js';
import type { DockerCli } from '../docker/cli.js';
import { inspectBuilder, type BuilderInfo } from './builder.js';
import { parsePlatform } from './platforms.js';

/**
 * Which builder runs the build. A given `builder` is used as is; `builder-endpoints` become a
 * multi-node `remote` builder (one native node per platform, no QEMU); otherwise the current
 * builder, unless it is the Docker engine's own (`docker` driver), which cannot build several
 * platforms or export a cache — then a `docker-container` builder with a pinned BuildKit image.
 * Builders we create are removed in the post step.
 */
export const DEFAULT_BUILDKIT_IMAGE = 'moby/buildkit:v0.33.1';

export interface BuilderEndpoint {
  endpoint: string;
  platforms: string[];
}

export interface BuilderNeeds {
  platforms: string[];
  /** A cache exporter other than inline (registry, gha, local). */
  exportsCache: boolean;
}

export interface PreparedBuilder {
  name: string;
  info: BuilderInfo;
  /** We made it, so the post step removes it. */
  created: boolean;
}

/** `builder-endpoints` lines: `<endpoint> [platform,platform…]`. */
export function parseEndpoints(lines: readonly string[]): BuilderEndpoint[] {
  return lines.map((line) => {
    const [endpoint = '', platforms = '', ...rest] = line.trim().split(/\s+/);
    if (rest.length > 0 || !/^(tcp|unix|ssh|docker-container|kube-pod):\/\/.+/.test(endpoint)) {
      throw new UserError(
        `input 'builder-endpoints': '${line}' is not '<endpoint> [platforms]' (e.g. 'tcp://10.0.0.5:1234 linux/arm64' or 'unix:///run/buildkit/buildkitd.sock')`,
      );
    }
    return { endpoint, platforms: platforms ? platforms.split(',').map((p) => parsePlatform(p, "input 'builder-endpoints'")) : [] };
  });
}

/** Why the current builder cannot do the job, or undefined if it can. */
export function currentBuilderShortfall(info: BuilderInfo, needs: BuilderNeeds): string | undefined {
  if (info.driver !== 'docker') return undefined;
  if (needs.platforms.length > 1)
    return `the '${info.name}' builder (docker driver) cannot build ${needs.platforms.length} platforms at once`;
  if (needs.exportsCache) return `the '${info.name}' builder (docker driver) cannot export a build cache`;
  return undefined;
}

async function create(docker: DockerCli, args: string[]): Promise<void> {
  const result = await docker.run(['buildx', 'create', ...args]);
  if (result.code !== 0) {
    const reason = (result.stderr || result.stdout).trim().split('\n').pop() ?? '';
    throw new UserError(`could not create a buildx builder: ${reason}`);
  }
}

export interface PrepareOptions {
  builder?: string;
  endpoints: BuilderEndpoint[];
  needs: BuilderNeeds;
  buildkitImage: string;
  /** Distinguishes our builder's name (e.g. the run id). */
  nameHint: string;
}

export async function prepareBuilder(docker: DockerCli, log: Log, opts: PrepareOptions): Promise<PreparedBuilder> {
  if (opts.builder) return { name: opts.builder, info: await inspectBuilder(docker, opts.builder), created: false };
  const name = `acr-ship-${opts.nameHint.replace(/[^A-Za-z0-9_-]/g, '') || 'local'}-${randomBytes(3).toString('hex')}`;
  if (opts.endpoints.length > 0) {
    for (const [i, ep] of opts.endpoints.entries()) {
      const platform = ep.platforms.length > 0 ? ['--platform', ep.platforms.join(',')] : [];
      await create(docker, [...(i > 0 ? ['--append'] : []), '--name', name, '--driver', 'remote', ...platform, ep.endpoint]);
    }
    log.info(
      `created builder '${name}' with ${opts.endpoints.length} remote node(s): ${opts.endpoints.map((e) => `${e.endpoint}${e.platforms.length ? ` (${e.platforms.join(', ')})` : ''}`).join('; ')}`,
    );
    return { name, info: await inspectBuilder(docker, name), created: true };
  }
  const current = await inspectBuilder(docker);
  const shortfall = currentBuilderShortfall(current, opts.needs);
  if (!shortfall) return { name: current.name, info: current, created: false };
  log.info(`${shortfall}: creating builder '${name}' (docker-container, ${opts.buildkitImage})`);
  await create(docker, ['--name', name, '--driver', 'docker-container', '--driver-opt', `image=${opts.buildkitImage}`]);
  return { name, info: await startCreated(docker, name), created: true };
}

/** Starts a builder we just created; one that cannot start is removed, not left behind. */
async function startCreated(docker: DockerCli, name: string): Promise<BuilderInfo> {
  try {
    return await inspectBuilder(docker, name);
  } catch (err) {
    await removeBuilder(docker, name);
    throw err;
  }
}

/** Removes a builder we created; a builder that is already gone is fine. */
export async function removeBuilder(docker: DockerCli, name: string): Promise<string | undefined> {
  const result = await docker.run(['buildx', 'rm', name]);
  if (result.code === 0 || /not found|no builder/i.test(result.stderr)) return undefined;
  return (result.stderr || result.stdout).trim().split('\n').pop();
}
