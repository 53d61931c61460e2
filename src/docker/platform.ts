import { UserError } from '../base/errors.js';

/**
 * Platform strings (`os/arch[/variant]`), normalised the way BuildKit compares them:
 * arm64 means arm64/v8, arm means arm/v7, amd64/v1 is amd64. They live with the other image
 * grammar here because both the build rules and buildx need them.
 */
const KNOWN_OS = new Set(['linux', 'windows', 'darwin', 'freebsd']);
const KNOWN_ARCH = new Set(['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le', 'mips64', 'loong64']);

export function normalizePlatform(platform: string): string {
  const [os = '', arch = '', variant = ''] = platform.trim().toLowerCase().split('/');
  if (arch === 'arm64' && (variant === '' || variant === 'v8')) return `${os}/arm64`;
  if (arch === 'arm' && variant === '') return `${os}/arm/v7`;
  if (arch === 'amd64' && (variant === '' || variant === 'v1')) return `${os}/amd64`;
  return variant ? `${os}/${arch}/${variant}` : `${os}/${arch}`;
}

/** Validates a requested platform; throws a one-line error naming it. */
export function parsePlatform(platform: string, input = 'platforms'): string {
  const parts = platform.trim().split('/');
  const [os = '', arch = ''] = parts;
  if (parts.length < 2 || parts.length > 3 || !KNOWN_OS.has(os.toLowerCase()) || !KNOWN_ARCH.has(arch.toLowerCase())) {
    throw new UserError(
      `${input}: '${platform}' is not a platform BuildKit knows; write os/arch[/variant], e.g. linux/amd64 or linux/arm64`,
    );
  }
  return normalizePlatform(platform);
}
