import pkg from '../../package.json' with { type: 'json' };

/** The version users see in User-Agent headers and reports: package.json's, bundled at build time. */
export const VERSION: string = pkg.version;

/** `acr-ship/<version>`: receivers and proxies can tell our requests apart and by version. */
export const USER_AGENT = `acr-ship/${VERSION}`;
