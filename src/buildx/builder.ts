import { UserError } from '../base/errors.js';
import type { DockerCli } from '../docker/cli.js';
import { unservedPlatforms } from './platforms.js';

export interface BuilderNode {
  name: string;
  endpoint: string;
  status: string;
  buildkitVersion?: string;
  platforms: string[];
}

export interface BuilderInfo {
  name: string;
  driver: string;
  nodes: BuilderNode[];
}

/** Parses `docker buildx inspect` text: a builder block, then one block per node. */
export function parseInspect(text: string): BuilderInfo {
  const info: BuilderInfo = { name: '', driver: '', nodes: [] };
  let node: BuilderNode | undefined;
  let inNodes = false;
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z][A-Za-z ]*?):\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key = '', value = ''] = m;
    if (key === 'Nodes') {
      inNodes = true;
      continue;
    }
    if (!inNodes) {
      if (key === 'Name') info.name = value;
      if (key === 'Driver') info.driver = value;
      continue;
    }
    if (key === 'Name') {
      node = { name: value, endpoint: '', status: '', platforms: [] };
      info.nodes.push(node);
    } else if (node) {
      if (key === 'Endpoint') node.endpoint = value;
      else if (key === 'Status') node.status = value;
      else if (key === 'BuildKit version' || key === 'Buildkit') node.buildkitVersion = value;
      else if (key === 'Platforms') {
        node.platforms = value
          .split(',')
          .map((p) => p.trim().replace(/\*$/, ''))
          .filter(Boolean);
      }
    }
  }
  return info;
}

/** Starts the builder if needed and describes it. */
export async function inspectBuilder(docker: DockerCli, name?: string): Promise<BuilderInfo> {
  const args = ['buildx', 'inspect', '--bootstrap'];
  if (name) args.push(name);
  const result = await docker.run(args);
  if (result.code !== 0) {
    const reason = (result.stderr || result.stdout).trim().split('\n').pop() ?? '';
    if (/unknown command|is not a docker command/.test(reason)) {
      throw new UserError('docker buildx is not installed: set it up first (e.g. docker/setup-buildx-action)');
    }
    throw new UserError(`builder ${name ? `'${name}'` : '(current)'} is not usable: ${reason}`);
  }
  return parseInspect(result.stdout);
}

/** binfmt entry names of qemu-user-static, by OCI architecture. */
const QEMU_NAMES: Record<string, string> = {
  arm64: 'aarch64',
  arm: 'arm',
  '386': 'i386',
  amd64: 'x86_64',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** Fails before building when a requested platform is served by no node of the builder. */
export function checkPlatforms(builder: BuilderInfo, requested: readonly string[]): void {
  const served = builder.nodes.flatMap((n) => n.platforms);
  const missing = unservedPlatforms(requested, served);
  if (missing.length === 0) return;
  const emulators = missing.map((p) => `qemu-${QEMU_NAMES[p.split('/')[1] ?? ''] ?? p.split('/')[1]}`);
  throw new UserError(
    `platform ${missing.join(', ')} cannot be built by builder '${builder.name}' (it serves ${served.join(', ') || 'nothing'}): ` +
      `register QEMU emulation on the builder's host (docker/setup-qemu-action, or as root 'update-binfmts --enable${emulators.length === 1 ? ' ' + emulators[0] : ''}') ` +
      `or add a native node for it with builder-endpoints`,
  );
}
