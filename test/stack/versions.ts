/**
 * Pinned versions of the parts we build from source. buildkit v0.33.1 and buildx v0.37.2 are a
 * paired release whose whole dependency graph is available from the module proxy this project
 * can reach (later ones need module versions it does not serve).
 */
export const BUILDKIT_VERSION = 'v0.33.1';
export const BUILDX_VERSION = 'v0.37.2';

export const APT_PACKAGES = {
  registry: 'docker-registry',
  qemu: 'qemu-user-static',
  binfmt: 'binfmt-support',
  htpasswd: 'apache2-utils',
  runc: 'runc',
  openssl: 'openssl',
  // Only for the tests of Docker's own builder and load: true (a daemon the test starts itself).
  dockerd: 'docker.io',
} as const;

/** Architectures the stack's base image is assembled for (Debian names). */
export const BASE_IMAGE_ARCHES = ['amd64', 'arm64'] as const;
