import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src/buildx/failure.js';

describe('classifyFailure', () => {
  it('names an unreachable registry by address, not retryable', () => {
    const f = classifyFailure(
      'failed to solve: failed to push 127.0.0.1:1/a/b:1: failed to do request: Head "https://127.0.0.1:1/v2/a/b/blobs/sha256:ab": dial tcp 127.0.0.1:1: connect: connection refused',
    );
    expect(f).toEqual({
      kind: 'unreachable',
      message: 'registry 127.0.0.1:1 is unreachable (connection refused): check the registry address and that it is running',
      retryable: false,
    });
  });
  it('marks transient registry faults retryable', () => {
    for (const text of [
      'failed to push r.example/a:1: unexpected status from PUT request to https://r.example/v2/a/manifests/1: 503 Service Unavailable',
      'failed to copy: read tcp 1.2.3.4:5->6.7.8.9:443: read: connection reset by peer',
      'failed to do request: Put "https://r.example/v2/": unexpected EOF',
      'failed to push: 429 Too Many Requests',
      'failed to do request: dial tcp: i/o timeout',
    ]) {
      expect(classifyFailure(text)).toMatchObject({ kind: 'transient', retryable: true });
    }
    expect(classifyFailure('dial tcp: lookup dockerauth.cn-hangzhou.aliyuncs.com: no such host')).toMatchObject({
      kind: 'transient',
      message: 'registry host dockerauth.cn-hangzhou.aliyuncs.com could not be resolved (DNS)',
    });
  });
  it('explains auth denials without retrying', () => {
    const f = classifyFailure('failed to push r.example/a:1: server message: insufficient_scope: authorization failed');
    expect(f.kind).toBe('auth');
    expect(f.retryable).toBe(false);
  });
  it('names the registry, not its token service, when the token fetch is refused', () => {
    const pull = classifyFailure(
      'failed to solve: failed to fetch anonymous token: unexpected status from GET request to https://auth.example.com:8443/token?scope=repository%3Alibrary%2Fbusybox%3Apull&service=reg: 401 Unauthorized',
      '[internal] load metadata for 127.0.0.1:5000/library/busybox:latest',
    );
    expect(pull.kind).toBe('auth');
    expect(pull.message).toMatch(/^registry 127\.0\.0\.1:5000 refused the credentials/);
    const push = classifyFailure(
      'failed to push registry.cn-hangzhou.aliyuncs.com/acme/web:1: failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://dockerauth.cn-hangzhou.aliyuncs.com/auth: 401 Unauthorized',
    );
    expect(push.message).toMatch(/^registry registry\.cn-hangzhou\.aliyuncs\.com refused the credentials/);
  });

  it('explains emulation and Dockerfile failures', () => {
    expect(
      classifyFailure('process "/bin/sh -c uname" did not complete: exec /bin/sh: exec format error', '[linux/arm64 build 2/2] RUN uname'),
    ).toMatchObject({ kind: 'emulation', message: expect.stringContaining('linux/arm64') });
    expect(classifyFailure('failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory').kind).toBe(
      'dockerfile',
    );
    expect(classifyFailure('process "/bin/sh -c false" did not complete successfully: exit code: 1', '[2/2] RUN false')).toMatchObject({
      kind: 'dockerfile',
      message: expect.stringContaining('step [2/2] RUN false failed'),
    });
  });
});

describe('classifyFailure for token-auth registries', () => {
  it('names the registry pushed to when the error names only its token service', () => {
    const f = classifyFailure(
      'failed to solve: failed to fetch anonymous token: unexpected status from GET request to https://auth.example/token?scope=repository%3Ae2e%2Fx%3Apull%2Cpush: 401 Unauthorized',
      'exporting to image',
      ['registry.cn-hangzhou.aliyuncs.com'],
    );
    expect(f.kind).toBe('auth');
    expect(f.message).toMatch(/^registry registry\.cn-hangzhou\.aliyuncs\.com refused the credentials/);
  });
});

describe('classifyFailure for manifests a registry will not store', () => {
  it('explains ACR refusing attestation manifests, not as a credentials problem', () => {
    const f = classifyFailure(
      'failed to push registry.cn-hangzhou.aliyuncs.com/acme/web:1: denied: unknown manifest class for application/vnd.oci.empty.v1+json',
    );
    expect(f).toEqual({
      kind: 'refused-manifest',
      message:
        'registry registry.cn-hangzhou.aliyuncs.com refused a manifest of type application/vnd.oci.empty.v1+json: it refuses attestation manifests: set provenance: false and sbom: false (the default when a tag is on ACR)',
      retryable: false,
    });
  });
  it('explains ACR refusing cache manifests', () => {
    expect(classifyFailure('ERROR: denied: unknown manifest class for application/vnd.buildkit.cacheconfig.v0').message).toContain(
      'use cache: inline',
    );
  });
});
