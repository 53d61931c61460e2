import { normalizePlatform } from '../docker/platform.js';

// The platform grammar moved to src/docker/platform.ts (the build rules need it too).
export { normalizePlatform, parsePlatform } from '../docker/platform.js';

/** The requested platforms none of `served` can build. */
export function unservedPlatforms(requested: readonly string[], served: readonly string[]): string[] {
  const have = new Set(served.map(normalizePlatform));
  return requested.filter((p) => !have.has(normalizePlatform(p)));
}
