import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from '../../src/base/exec.js';
import { startDaemon } from './processes.js';
import { run, waitFor } from './shell.js';

export interface BuildkitdOptions {
  /** Directory for its state, socket, config and log. */
  dir: string;
  buildkitd: string;
  buildctl: string;
  /** Registries (host:port) whose TLS certificates are signed by `caCert`. */
  registries: string[];
  caCert: string;
  /** Extra environment (tests point TMPDIR at a noexec mount to take emulation away). */
  env?: NodeJS.ProcessEnv;
  /** Listen on this loopback TCP port instead of a unix socket (a builder that is not "here"). */
  tcpPort?: number;
}

export interface Buildkitd {
  pid: number;
  /** unix:///…/buildkitd.sock */
  address: string;
}

function configToml(opts: BuildkitdOptions): string {
  let toml = '[worker.oci]\n  enabled = true\n[worker.containerd]\n  enabled = false\n';
  for (const host of opts.registries) {
    // Loopback registries would otherwise be tried over plain HTTP.
    toml += `[registry."${host}"]\n  http = false\n  insecure = false\n  ca = ["${opts.caCert}"]\n`;
  }
  return toml;
}

export async function startBuildkitd(opts: BuildkitdOptions): Promise<Buildkitd> {
  mkdirSync(opts.dir, { recursive: true });
  const config = join(opts.dir, 'buildkitd.toml');
  writeFileSync(config, configToml(opts));
  const address = opts.tcpPort ? `tcp://127.0.0.1:${opts.tcpPort}` : `unix://${join(opts.dir, 'buildkitd.sock')}`;
  const args = ['--root', join(opts.dir, 'root'), '--addr', address, '--config', config, '--oci-worker-net', 'host'];
  const logFile = join(opts.dir, 'buildkitd.log');
  const pid = startDaemon(opts.buildkitd, args, logFile, { ...process.env, ...opts.env });
  const ready = await waitFor(async () => (await exec(opts.buildctl, ['--addr', address, 'debug', 'workers'])).code === 0, 30_000, 200);
  if (!ready) {
    const log = readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ');
    throw new Error(`buildkitd did not start: ${log}`);
  }
  return { pid, address };
}

/** A buildx builder on the `remote` driver pointing at buildkitd's socket; no Docker daemon. */
export async function createRemoteBuilder(dockerConfig: string, name: string, address: string, use: boolean): Promise<void> {
  const env = { ...process.env, DOCKER_CONFIG: dockerConfig };
  const args = ['buildx', 'create', '--name', name, '--driver', 'remote'];
  if (use) args.push('--use');
  args.push(address);
  await run('docker', args, { env });
  await run('docker', ['buildx', 'inspect', '--bootstrap', name], { env });
}
