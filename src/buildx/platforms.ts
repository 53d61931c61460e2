import { normalizePlatform } from '../docker/platform.js';

// The platform grammar moved to src/docker/platform.ts (the build rules need it too).
export { normalizePlatform, parsePlatform } from '../docker/platform.js';

/** The requested platforms none of `served` can build. */
export function unservedPlatforms(requested: readonly string[], served: readonly string[]): string[] {
  const have = new Set(served.map(normalizePlatform));
  return requested.filter((p) => !have.has(normalizePlatform(p)));
}

/** The machine's own platform in BuildKit's terms. */
export function hostPlatform(): string {
  const arch =
    { x64: 'amd64', arm64: 'arm64', arm: 'arm/v7', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' }[
      process.arch as string
    ] ?? process.arch;
  return `linux/${arch}`;
}
