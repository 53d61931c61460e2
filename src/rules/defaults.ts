import type { MatchTarget } from './subject.js';

/**
 * The zero-config defaults, for a repository with no rules: the default branch → `latest` and
 * `sha-<7>`; another branch → its name; a tag vX.Y.Z → X.Y.Z, X.Y, X and `latest` (a prerelease
 * gets only its full version, so `latest` never moves to an RC); another tag → its name; a pull
 * request → `pr-<n>`, built but not pushed. Names are sanitized by the caller like any version.
 */
export const DEFAULT_RULE_NAME = 'default';

// Build metadata (+…) is ignored, as semver says it must be for precedence; a tag cannot hold '+'.
const SEMVER = /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function semverVersions(tag: string): string[] | undefined {
  const m = SEMVER.exec(tag);
  if (!m) return undefined;
  const [, major, minor, patch, prerelease] = m;
  if (prerelease !== undefined) return [`${major}.${minor}.${patch}-${prerelease}`];
  return [`${major}.${minor}.${patch}`, `${major}.${minor}`, `${major}`, 'latest'];
}

export function defaultVersions(target: MatchTarget, defaultBranch: string | undefined): string[] {
  switch (target.type) {
    case 'branch':
      return target.name === defaultBranch ? ['latest', `sha-${target.sha.slice(0, 7)}`] : [target.name];
    case 'tag':
      return semverVersions(target.name) ?? [target.name];
    case 'pull_request':
      return [`pr-${target.values.pr}`];
  }
}

/** Whether the defaults need the commit SHA for this target. */
export function defaultsUseSha(target: MatchTarget, defaultBranch: string | undefined): boolean {
  return target.type === 'branch' && target.name === defaultBranch;
}
