import { copyFileSync, chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './shell.js';

/** Every applet busybox has (asked of the binary that runs natively here), linked as in Debian's image. */
async function applets(busybox: Record<string, string>): Promise<string[]> {
  const native = busybox[process.arch === 'arm64' ? 'arm64' : 'amd64'];
  if (!native) throw new Error('no busybox binary for this machine');
  const list = await run(native, ['--list']);
  return list
    .split('\n')
    .map((a) => a.trim())
    .filter((a) => a !== '' && a !== 'busybox');
}

/** Debian arch names to OCI ones (they agree for the two we use, but say so once). */
const OCI_ARCH: Record<string, string> = { amd64: 'amd64', arm64: 'arm64' };

/**
 * Assembles a multi-arch `busybox` image from Debian's static binaries and pushes it with buildx,
 * so Dockerfiles can start `FROM <registry>/library/busybox` with no outside registry.
 */
export async function pushBaseImage(opts: {
  dir: string;
  busybox: Record<string, string>;
  ref: string;
  dockerConfig: string;
  builder: string;
  /** Extra environment for buildx (e.g. SSL_CERT_FILE to trust the registry's token server). */
  env?: Record<string, string>;
}): Promise<void> {
  const ctx = join(opts.dir, 'base-image');
  mkdirSync(ctx, { recursive: true });
  const platforms: string[] = [];
  const names = await applets(opts.busybox);
  for (const [arch, binary] of Object.entries(opts.busybox)) {
    const ociArch = OCI_ARCH[arch] ?? arch;
    const bin = join(ctx, `rootfs-${ociArch}`, 'bin');
    mkdirSync(bin, { recursive: true });
    mkdirSync(join(ctx, `rootfs-${ociArch}`, 'tmp'), { recursive: true });
    copyFileSync(binary, join(bin, 'busybox'));
    chmodSync(join(bin, 'busybox'), 0o755);
    for (const applet of names) symlinkSync('busybox', join(bin, applet));
    platforms.push(`linux/${ociArch}`);
  }
  writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\nARG TARGETARCH\nCOPY rootfs-${TARGETARCH}/ /\nENV PATH=/bin\nCMD ["sh"]\n');
  await run(
    'docker',
    [
      'buildx',
      'build',
      '--builder',
      opts.builder,
      '--platform',
      platforms.join(','),
      '--provenance=false',
      '--sbom=false',
      '--push',
      '--tag',
      opts.ref,
      '--progress',
      'quiet',
      ctx,
    ],
    { env: { ...process.env, ...opts.env, DOCKER_CONFIG: opts.dockerConfig } },
  );
}
