import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, cpSync, chmodSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../../src/base/exec.js';
import { isRoot, run, sleep } from './shell.js';
import { APT_PACKAGES, BASE_IMAGE_ARCHES, BUILDKIT_VERSION, BUILDX_VERSION } from './versions.js';

/** Where built binaries and downloaded packages are kept between runs, keyed by version. */
export function cacheDir(): string {
  return process.env.ACR_SHIP_CACHE ?? join(homedir(), '.cache', 'acr-ship');
}

export interface Binaries {
  buildkitd: string;
  buildctl: string;
  buildx: string;
}

type Say = (line: string) => void;

async function installed(pkg: string): Promise<boolean> {
  const result = await exec('dpkg-query', ['-W', '-f=${Status}', pkg]).catch(() => undefined);
  return result?.code === 0 && result.stdout.includes('install ok installed');
}

/** Installs the Debian packages the stack needs, only those missing. */
export async function ensureAptPackages(say: Say): Promise<void> {
  const missing: string[] = [];
  for (const pkg of Object.values(APT_PACKAGES)) if (!(await installed(pkg))) missing.push(pkg);
  if (missing.length === 0) return;
  if (!isRoot()) {
    throw new Error(
      `the stack needs these Debian packages: ${missing.join(' ')}; install them as root (apt-get install ${missing.join(' ')})`,
    );
  }
  say(`installing ${missing.join(', ')} from Debian`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env });
  await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
}

/**
 * One builder at a time per cache directory: parallel `stack up`s (several work trees on one
 * machine) wait for the first to finish instead of compiling the same thing twice.
 */
async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(cacheDir(), `${name}.lock`);
  mkdirSync(cacheDir(), { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 30 minutes belongs to a process that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone already */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function moduleDir(module: string, version: string): Promise<string> {
  const out = await run('go', ['mod', 'download', '-json', `${module}@${version}`], { cwd: tmpdir() });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}@${version}: ${info.Error ?? 'no directory'}`);
  return info.Dir;
}

/**
 * Builds a command from a Go module at a pinned version. `go install pkg@version` refuses modules
 * whose go.mod has `exclude` directives (buildkit's does), so the module is copied to a
 * writable directory and built there.
 */
async function goBuild(module: string, version: string, pkgs: Record<string, string>, versionVar: string, outDir: string): Promise<void> {
  const src = await moduleDir(module, version);
  const work = join(tmpdir(), `acr-ship-go-${process.pid}-${Date.now()}`);
  cpSync(src, work, { recursive: true });
  try {
    execChmodWritable(work);
    const staging = `${outDir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    for (const [name, pkg] of Object.entries(pkgs)) {
      await run('go', ['build', '-trimpath', '-ldflags', `-s -w -X ${versionVar}=${version}`, '-o', join(staging, name), pkg], {
        cwd: work,
        env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
      });
    }
    rmSync(outDir, { recursive: true, force: true });
    renameSync(staging, outDir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function execChmodWritable(dir: string): void {
  // The module cache is read-only; the copy must be writable for `go build` to use it.
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    chmodSync(path, entry.isDirectory() ? 0o755 : 0o644);
  }
  chmodSync(dir, 0o755);
}

export async function ensureBinaries(say: Say): Promise<Binaries> {
  const bkDir = join(cacheDir(), 'bin', `buildkit-${BUILDKIT_VERSION}`);
  const bxDir = join(cacheDir(), 'bin', `buildx-${BUILDX_VERSION}`);
  const binaries: Binaries = {
    buildkitd: join(bkDir, 'buildkitd'),
    buildctl: join(bkDir, 'buildctl'),
    buildx: join(bxDir, 'docker-buildx'),
  };
  if (Object.values(binaries).every((p) => existsSync(p))) return binaries;
  if ((await exec('go', ['version']).catch(() => undefined))?.code !== 0) {
    throw new Error('Go is needed once to build buildkitd and buildx (install Go 1.26 or newer and put it on PATH)');
  }
  await withLock('go-build', async () => {
    if (!existsSync(binaries.buildkitd) || !existsSync(binaries.buildctl)) {
      say(`building buildkitd and buildctl ${BUILDKIT_VERSION} from source (once; cached in ${bkDir})`);
      await goBuild(
        'github.com/moby/buildkit',
        BUILDKIT_VERSION,
        { buildkitd: './cmd/buildkitd', buildctl: './cmd/buildctl' },
        'github.com/moby/buildkit/version.Version',
        bkDir,
      );
    }
    if (!existsSync(binaries.buildx)) {
      say(`building buildx ${BUILDX_VERSION} from source (once; cached in ${bxDir})`);
      await goBuild(
        'github.com/docker/buildx',
        BUILDX_VERSION,
        { 'docker-buildx': './cmd/buildx' },
        'github.com/docker/buildx/version.Version',
        bxDir,
      );
    }
  });
  return binaries;
}

/**
 * Debian's busybox-static for each architecture, unpacked (amd64 and arm64 packages both install
 * /bin/busybox, so they are downloaded and unpacked side by side rather than installed).
 */
export async function ensureBusybox(say: Say): Promise<Record<string, string>> {
  const dir = join(cacheDir(), 'busybox');
  const binaries = Object.fromEntries(BASE_IMAGE_ARCHES.map((arch) => [arch, join(dir, arch, 'bin', 'busybox')]));
  if (Object.values(binaries).every((p) => existsSync(p))) return binaries;
  await withLock('busybox', async () => {
    const foreign = await run('dpkg', ['--print-foreign-architectures']);
    const needed = BASE_IMAGE_ARCHES.filter((a) => a !== 'amd64' && !foreign.split('\n').includes(a));
    if (needed.length > 0) {
      if (!isRoot())
        throw new Error(
          `downloading busybox-static for ${needed.join(', ')} needs root once (dpkg --add-architecture ${needed.join(' ')})`,
        );
      say(`enabling Debian architectures ${needed.join(', ')} for package downloads`);
      for (const arch of needed) await run('dpkg', ['--add-architecture', arch]);
      await run('apt-get', ['update']);
    }
    const debs = join(dir, 'debs');
    rmSync(debs, { recursive: true, force: true });
    mkdirSync(debs, { recursive: true });
    say('downloading busybox-static (amd64, arm64) from Debian');
    // apt drops privileges for downloads; a directory it cannot write just makes it warn.
    await run('apt-get', ['download', ...BASE_IMAGE_ARCHES.map((a) => `busybox-static:${a}`)], { cwd: debs });
    for (const arch of BASE_IMAGE_ARCHES) {
      const deb = readdirSync(debs).find((f) => f.endsWith(`_${arch}.deb`));
      if (!deb) throw new Error(`busybox-static for ${arch} was not downloaded`);
      rmSync(join(dir, arch), { recursive: true, force: true });
      await run('dpkg-deb', ['-x', join(debs, deb), join(dir, arch)]);
    }
  });
  return binaries;
}
