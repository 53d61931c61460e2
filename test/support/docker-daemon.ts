/**
 * A Docker engine for the tests that need one (Docker's own `docker` builder, `load: true`):
 * dockerd with its own socket, data and exec roots, started by the test and stopped after it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from '../../src/base/exec.js';
import { startDaemon, stopDaemon } from '../stack/processes.js';
import { run, waitFor } from '../stack/shell.js';
import { scratchDir } from './scratch.js';

export interface DockerDaemon {
  /** unix:///…/docker.sock, for DOCKER_HOST. */
  host: string;
  stop(): Promise<void>;
}

export async function startDockerDaemon(): Promise<DockerDaemon> {
  const dir = scratchDir('dockerd-');
  for (const sub of ['data', 'exec']) mkdirSync(join(dir, sub));
  const host = `unix://${join(dir, 'docker.sock')}`;
  const hadBridge = existsSync('/sys/class/net/docker0');
  // No iptables rules: tests only need the bridge BuildKit's RUN steps attach to.
  const args = [
    '--data-root',
    join(dir, 'data'),
    '--exec-root',
    join(dir, 'exec'),
    '--pidfile',
    join(dir, 'docker.pid'),
    '-H',
    host,
    '--iptables=false',
    '--ip-masq=false',
  ];
  const pid = startDaemon('dockerd', args, join(dir, 'dockerd.log'));
  const env = { ...process.env, DOCKER_HOST: host };
  if (!(await waitFor(async () => (await exec('docker', ['version'], { env })).code === 0, 30_000, 200))) {
    await stopDaemon(pid);
    throw new Error(`dockerd did not start: ${readFileSync(join(dir, 'dockerd.log'), 'utf8').trim().split('\n').slice(-2).join(' | ')}`);
  }
  return {
    host,
    stop: async () => {
      await stopDaemon(pid);
      if (!hadBridge && existsSync('/sys/class/net/docker0')) await run('ip', ['link', 'delete', 'docker0']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether this machine lets containers run privileged (the docker-container driver needs it). */
export async function privilegedContainersWork(dockerHost: string, image: string): Promise<boolean> {
  const result = await exec('docker', ['run', '--rm', '--privileged', '--entrypoint', 'buildctl', image, '--version'], {
    env: { ...process.env, DOCKER_HOST: dockerHost },
  });
  return result.code === 0;
}
