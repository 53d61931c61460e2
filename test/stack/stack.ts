import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../../src/base/exec.js';
import { ensureEmulation } from './binfmt.js';
import { createRemoteBuilder, startBuildkitd } from './buildkit.js';
import { pushBaseImage } from './images.js';
import { ensureAptPackages, ensureBinaries, ensureBusybox } from './install.js';
import { alive, freePort, stopDaemon } from './processes.js';
import { emulatorAccount, emulatorAnswers, emulatorState, REGISTRY_SERVICE, startEmulatorProcess } from './emulator.js';
import { registryAnswers, startRegistry } from './registry.js';
import { clearState, readState, writeState, type StackState } from './state.js';
import { makeTls, makeTokenSigner, writeTrustBundle } from './tls.js';

export type Say = (line: string) => void;

const BUILDER = 'acr-ship-stack';

/** True when every process of the recorded stack runs and answers. */
export async function healthy(state: StackState): Promise<boolean> {
  // A stack recorded before the emulator existed is restarted rather than used.
  if (!state.emulator || !state.caBundle) return false;
  if (!Object.values(state.processes).every(alive)) return false;
  if (!(await registryAnswers(state.registry.port, state.registry.caCert))) return false;
  if (!(await emulatorAnswers(state.emulator.port, state.registry.caCert))) return false;
  const workers = await exec(state.binaries.buildctl, ['--addr', state.buildkit.address, 'debug', 'workers']).catch(() => undefined);
  return workers?.code === 0;
}

/** Writes the runner-side Docker config: the buildx plugin and the registry credentials. */
function writeDockerConfig(dir: string, buildx: string, registry: StackState['registry']): void {
  mkdirSync(join(dir, 'cli-plugins'), { recursive: true });
  symlinkSync(buildx, join(dir, 'cli-plugins', 'docker-buildx'));
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }, null, 2) + '\n', { mode: 0o600 });
}

/**
 * Brings the stack up, installing what is missing. Idempotent: a healthy stack is returned as is;
 * a broken one is taken down first. A failure part-way stops what this call started.
 */
export async function up(say: Say): Promise<{ state: StackState; started: boolean }> {
  const existing = readState();
  if (existing) {
    if (await healthy(existing)) return { state: existing, started: false };
    say('the recorded stack is not healthy; restarting it');
    await down(() => {});
  }

  // Packages, emulation and the base-image binaries in one chain (they share apt); the Go
  // builds, the slow part on a new machine, alongside it.
  const system = (async () => {
    await ensureAptPackages(say);
    await ensureEmulation(say);
    return ensureBusybox(say);
  })();
  const [busybox, binaries] = await Promise.all([system, ensureBinaries(say)]);

  const dir = mkdtempSync(join(tmpdir(), 'acr-ship-stack-'));
  const processes: Record<string, number> = {};
  try {
    const [tls, signer] = await Promise.all([makeTls(dir), makeTokenSigner(dir)]);
    const caBundle = writeTrustBundle(dir, tls.caCert);
    const port = await freePort();
    let emulatorPort = await freePort();
    while (emulatorPort === port) emulatorPort = await freePort();
    const registry = {
      host: `127.0.0.1:${port}`,
      port,
      username: 'acr-ship',
      password: randomBytes(12).toString('hex'),
      caCert: tls.caCert,
    };
    // The registry trusts tokens from the emulator, which knows the stack's fixed account.
    const emulatorConfig = emulatorAccount(emulatorPort, tls, signer, [{ username: registry.username, password: registry.password }]);
    const emulator = emulatorState(emulatorConfig);
    const [emulatorPid, registryPid] = await Promise.all([
      startEmulatorProcess(join(dir, 'emulator'), emulatorConfig, tls.caCert),
      startRegistry({
        dir: join(dir, 'registry'),
        port,
        tls,
        auth: {
          kind: 'token',
          realm: `${emulator.url}/token`,
          service: REGISTRY_SERVICE,
          issuer: emulatorConfig.registry.issuer,
          rootCertBundle: signer.cert,
        },
      }),
    ]);
    processes.emulator = emulatorPid;
    processes.registry = registryPid;
    const bk = await startBuildkitd({
      dir: join(dir, 'buildkit'),
      buildkitd: binaries.buildkitd,
      buildctl: binaries.buildctl,
      // The same registry under a second name, for logins to several registries in one step.
      registries: [registry.host, `localhost:${port}`],
      caCert: tls.caCert,
    });
    processes.buildkitd = bk.pid;
    const dockerConfig = join(dir, 'docker-config');
    writeDockerConfig(dockerConfig, binaries.buildx, registry);
    await createRemoteBuilder(dockerConfig, BUILDER, bk.address, true);
    const baseImage = `${registry.host}/library/busybox:latest`;
    await pushBaseImage({ dir, busybox, ref: baseImage, dockerConfig, builder: BUILDER, env: { SSL_CERT_FILE: caBundle } });
    const state: StackState = {
      version: 1,
      dir,
      startedAt: new Date().toISOString(),
      registry,
      buildkit: { address: bk.address, builder: BUILDER },
      dockerConfig,
      baseImage,
      binaries,
      processes,
      caBundle,
      emulator,
    };
    writeState(state);
    return { state, started: true };
  } catch (err) {
    for (const pid of Object.values(processes)) await stopDaemon(pid);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Stops every process the stack started and removes its files. */
export async function down(say: Say): Promise<void> {
  const state = readState();
  if (!state) {
    say('no stack is recorded; nothing to stop');
    return;
  }
  // buildkitd first: it may still be talking to the registry.
  const order = Object.entries(state.processes).sort(([a], [b]) => (a === 'buildkitd' ? -1 : b === 'buildkitd' ? 1 : 0));
  for (const [name, pid] of order) {
    await stopDaemon(pid);
    say(`stopped ${name} (pid ${pid})`);
  }
  rmSync(state.dir, { recursive: true, force: true });
  clearState();
}
