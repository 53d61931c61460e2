import { readFileSync } from 'node:fs';
import { normalizePlatform } from './platforms.js';

/**
 * Whether this machine can run a platform's binaries: natively, or through a QEMU entry in
 * binfmt_misc registered with the F flag (the interpreter is opened at registration, so it works
 * inside build containers). A file read — the check can precede the build at no cost when the
 * builder runs here.
 */
const NATIVE: Record<string, string[]> = {
  x64: ['linux/amd64', 'linux/386'],
  arm64: ['linux/arm64', 'linux/arm/v7', 'linux/arm/v6'],
};

/** binfmt_misc entry names of qemu-user-static, by platform. */
const QEMU: Record<string, string> = {
  'linux/amd64': 'qemu-x86_64',
  'linux/386': 'qemu-i386',
  'linux/arm64': 'qemu-aarch64',
  'linux/arm/v7': 'qemu-arm',
  'linux/arm/v6': 'qemu-arm',
  'linux/ppc64le': 'qemu-ppc64le',
  'linux/s390x': 'qemu-s390x',
  'linux/riscv64': 'qemu-riscv64',
};

function emulatorEnabled(name: string, dir: string): boolean {
  try {
    const text = readFileSync(`${dir}/${name}`, 'utf8');
    return text.startsWith('enabled') && /^flags:.*F/m.test(text);
  } catch {
    return false;
  }
}

export function runnableHere(platforms: readonly string[], arch: string = process.arch, binfmtDir = '/proc/sys/fs/binfmt_misc'): boolean {
  return platforms.every((p) => {
    const platform = normalizePlatform(p);
    if (NATIVE[arch]?.includes(platform)) return true;
    const qemu = QEMU[platform];
    return qemu !== undefined && emulatorEnabled(qemu, binfmtDir);
  });
}
