/** Shared helpers for e2e tests: the running stack, a registry client, extra builders. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteBuilder, startBuildkitd } from '../stack/buildkit.js';
import { freePort, stopDaemon } from '../stack/processes.js';
import { run } from '../stack/shell.js';
import { readState, REPO_ROOT, stackEnv, type StackState } from '../stack/state.js';
import { Job, type StepResult } from './runner.js';
import { TestRegistry } from './registry-client.js';

export function stack(): StackState {
  const state = readState();
  if (!state) throw new Error('the local stack is not up (the e2e global setup should have started it)');
  return state;
}

export function registryClient(state = stack()): TestRegistry {
  return new TestRegistry(state.registry.host, state.registry, state.registry.caCert);
}

export function runnerEnv(state = stack()): Record<string, string> {
  return stackEnv(state);
}

/** A repository name no other test uses. */
export function uniqueRepo(prefix: string): string {
  return `e2e/${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Platform entries of an index that are images (attestation manifests left out). */
export function imagePlatforms(index: Record<string, unknown>): { platform: string; digest: string }[] {
  const manifests = (index.manifests ?? []) as {
    digest: string;
    platform?: { os: string; architecture: string; variant?: string };
    annotations?: Record<string, string>;
  }[];
  return manifests
    .filter((m) => m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest')
    .map((m) => ({
      platform: [m.platform?.os, m.platform?.architecture, m.platform?.variant].filter(Boolean).join('/'),
      digest: m.digest,
    }));
}

/**
 * A second buildkitd with its own Docker config and builder — for tests that need a builder
 * different from the stack's (no emulation, a fresh cache). Stop it when done.
 *
 * `withoutEmulation`: BuildKit finds emulators by executing probe binaries from $TMPDIR; on a
 * noexec mount that fails, so this builder truly cannot run foreign-platform steps — as on a
 * host where QEMU was never registered — while the machine's binfmt stays as it is for others.
 */
export async function extraBuilder(
  name: string,
  options: { withoutEmulation?: boolean; registries?: string[]; overTcp?: boolean } = {},
): Promise<{ env: Record<string, string>; builder: string; address: string; stop: () => Promise<void> }> {
  const state = stack();
  const dir = mkdtempSync(join(tmpdir(), `acr-ship-${name}-`));
  const probeDir = join(dir, 'noexec-tmp');
  if (options.withoutEmulation) {
    mkdirSync(probeDir);
    await run('mount', ['-t', 'tmpfs', '-o', 'noexec,size=16m', 'tmpfs', probeDir]);
  }
  const bk = await startBuildkitd({
    dir: join(dir, 'buildkit'),
    buildkitd: state.binaries.buildkitd,
    buildctl: state.binaries.buildctl,
    registries: [state.registry.host, ...(options.registries ?? [])],
    caCert: state.registry.caCert,
    env: options.withoutEmulation ? { TMPDIR: probeDir } : {},
    tcpPort: options.overTcp ? await freePort() : undefined,
  });
  const dockerConfig = join(dir, 'docker-config');
  mkdirSync(join(dockerConfig, 'cli-plugins'), { recursive: true });
  symlinkSync(state.binaries.buildx, join(dockerConfig, 'cli-plugins', 'docker-buildx'));
  // Extra hosts (a proxy in front of the registry) get the registry's credentials.
  const config = JSON.parse(readFileSync(join(state.dockerConfig, 'config.json'), 'utf8')) as { auths: Record<string, unknown> };
  for (const host of options.registries ?? []) config.auths[host] = config.auths[state.registry.host];
  writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify(config), { mode: 0o600 });
  await createRemoteBuilder(dockerConfig, name, bk.address, true);
  return {
    env: { ...stackEnv(state), DOCKER_CONFIG: dockerConfig },
    builder: name,
    address: bk.address,
    stop: async () => {
      await stopDaemon(bk.pid);
      if (options.withoutEmulation) await run('umount', [probeDir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs one action step on a fresh extra builder (its own buildkitd, so no local cache) and
 * cleans everything up afterwards.
 */
export async function stepOnFreshBuilder(
  name: string,
  action: string,
  inputs: Record<string, string>,
  options: { registries?: string[]; withoutEmulation?: boolean } = {},
): Promise<StepResult> {
  const builder = await extraBuilder(name, options);
  const job = new Job({ workspace: REPO_ROOT, env: builder.env });
  try {
    return await job.step(action, inputs);
  } finally {
    job.cleanup();
    await builder.stop();
  }
}
