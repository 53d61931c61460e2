/**
 * What went wrong in a failed `docker buildx build`, read from buildx's final error and the
 * failed step, so the user gets one line that names the cause and the fix, and the caller knows
 * whether trying again can help.
 */
export type FailureKind =
  'unreachable' | 'transient' | 'auth' | 'refused-manifest' | 'dockerfile' | 'emulation' | 'emulator-crash' | 'unknown';

export interface BuildFailure {
  kind: FailureKind;
  /** One line for the user. */
  message: string;
  /** Worth retrying the whole build (the cache makes a retry cheap). */
  retryable: boolean;
}

/**
 * Token-auth registries (ACR among them) fail at their token service, whose host is not the
 * registry's: then the registry is the host of the image reference in the failed step or error.
 */
const TOKEN_SERVICE = /failed to (?:fetch (?:anonymous |oauth )?token|authorize)/i;
const IMAGE_HOST = /\b((?:[a-z0-9-]+(?:\.[a-z0-9-]+)+|localhost)(?::\d+)?)\/[a-z0-9._/-]+[:@]/i;

function hostOf(text: string, failedStep?: string, registries: readonly string[] = []): string | undefined {
  if (TOKEN_SERVICE.test(text)) {
    const registry = IMAGE_HOST.exec(failedStep ?? '')?.[1] ?? IMAGE_HOST.exec(text)?.[1];
    if (registry) return registry;
    // The error names only the token service; the build knows where it was pushing.
    if (registries.length > 0) return registries.join(' or ');
  }
  const url = /https?:\/\/([^/\s"]+)/.exec(text)?.[1];
  if (url) return url;
  return /dial tcp ([^\s:]+:\d+)/.exec(text)?.[1] ?? /lookup ([^\s:]+)/.exec(text)?.[1] ?? /failed to push ([^/\s]+)\//.exec(text)?.[1];
}

/** `registries`: the hosts the build pushes to, for errors that name only a token service. */
export function classifyFailure(error: string, failedStep?: string, registries: readonly string[] = []): BuildFailure {
  const text = error.replace(/\s+/g, ' ').trim();
  const host = hostOf(text, failedStep, registries);
  const at = host ? ` ${host}` : '';

  if (/exec format error/i.test(text)) {
    const platform = /\[(linux\/[^\s\]]+)/.exec(failedStep ?? text)?.[1];
    return {
      kind: 'emulation',
      message: `a RUN step for ${platform ?? 'a foreign platform'} could not execute (exec format error): register QEMU emulation for it on the builder's host`,
      retryable: false,
    };
  }
  if (/qemu: uncaught target signal|illegal instruction|SIGILL|SIGSEGV|segmentation fault/i.test(text)) {
    const platform = /\[(linux\/[^\s\]]+)/.exec(failedStep ?? text)?.[1];
    return {
      kind: 'emulator-crash',
      message: `a step${platform ? ` for ${platform}` : ''} crashed under emulation (${/qemu: uncaught target signal[^)]*\)?|illegal instruction|segmentation fault/i.exec(text)?.[0] ?? 'crash'}): QEMU is flaky for some workloads — set retry-emulation: true, pin a known-good QEMU, or build that platform natively (builder-endpoints)`,
      retryable: false,
    };
  }
  if (/connection refused/i.test(text)) {
    return {
      kind: 'unreachable',
      message: `registry${at} is unreachable (connection refused): check the registry address and that it is running`,
      retryable: false,
    };
  }
  if (/no such host|server misbehaving|name resolution|Temporary failure in name resolution/i.test(text)) {
    return { kind: 'transient', message: `registry host${at} could not be resolved (DNS)`, retryable: true };
  }
  // ACR answers `denied: unknown manifest class for …` to manifests it does not store: the
  // credentials are fine, the content is not — checked before the generic "denied" below.
  const manifestClass = /unknown manifest class for ([\w./+-]+)/i.exec(text)?.[1];
  if (manifestClass) {
    const fix = /cacheconfig/.test(manifestClass)
      ? 'it refuses BuildKit cache manifests: use cache: inline (cache: auto does for ACR Personal Edition) or a cache-ref on another registry'
      : 'it refuses attestation manifests: set provenance: false and sbom: false (the default when a tag is on ACR)';
    return { kind: 'refused-manifest', message: `registry${at} refused a manifest of type ${manifestClass}: ${fix}`, retryable: false };
  }
  if (/insufficient_scope|unauthorized|authentication required|denied|401 Unauthorized|403 Forbidden/i.test(text)) {
    return {
      kind: 'auth',
      message: `registry${at} refused the credentials: log in first (acr-ship login) and check the user may push to this repository — ${shorten(text)}`,
      retryable: false,
    };
  }
  if (
    /failed to read dockerfile|dockerfile parse error|failed to parse stage name|unknown instruction|failed to compute cache key|"\/[^"]*": not found/i.test(
      text,
    )
  ) {
    return { kind: 'dockerfile', message: `the Dockerfile could not be built: ${shorten(text)}`, retryable: false };
  }
  // Registries answer overload with a status (503, 429) or only with its error code
  // (`UNAVAILABLE`, `TOOMANYREQUESTS`); networks fail with resets, EOFs and timeouts.
  const transient =
    /\b5\d\d (Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)|\b429\b|too ?many ?requests|\bunavailable\b|connection reset|broken pipe|unexpected EOF|\bEOF\b|i\/o timeout|TLS handshake timeout|context deadline exceeded/i;
  if (transient.test(text)) {
    return { kind: 'transient', message: `transient registry or network fault${at}: ${shorten(text)}`, retryable: true };
  }
  if (failedStep && /process .* did not complete successfully|exit code: \d+/.test(text)) {
    return { kind: 'dockerfile', message: `step ${failedStep} failed: ${shorten(text)}`, retryable: false };
  }
  return { kind: 'unknown', message: shorten(text) || 'docker buildx build failed', retryable: false };
}

function shorten(text: string): string {
  const cleaned = text.replace(/^(failed to build: )?(failed to solve: )?/, '');
  return cleaned.length > 400 ? cleaned.slice(0, 400) + '…' : cleaned;
}
