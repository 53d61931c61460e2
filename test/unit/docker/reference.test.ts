import { describe, expect, it } from 'vitest';
import { formatImageRef, isValidTag, parseImageRef } from '../../../src/docker/reference.js';

describe('parseImageRef', () => {
  it('parses ACR personal and enterprise references', () => {
    expect(parseImageRef('registry.cn-hangzhou.aliyuncs.com/acme/web:v1')).toEqual({
      registry: 'registry.cn-hangzhou.aliyuncs.com',
      repository: 'acme/web',
      tag: 'v1',
      digest: undefined,
    });
    expect(parseImageRef('inst-registry-vpc.cn-shanghai.cr.aliyuncs.com/ns/repo').tag).toBeUndefined();
  });
  it('handles ports, digests and Docker Hub short names', () => {
    expect(parseImageRef('127.0.0.1:5443/a/b:1@sha256:' + 'a'.repeat(64))).toMatchObject({
      registry: '127.0.0.1:5443',
      repository: 'a/b',
      tag: '1',
    });
    expect(parseImageRef('busybox')).toMatchObject({ registry: 'docker.io', repository: 'library/busybox' });
    expect(parseImageRef('localhost/x:y').registry).toBe('localhost');
    expect(formatImageRef(parseImageRef('busybox:1'))).toBe('docker.io/library/busybox:1');
  });
  it('rejects bad tags, names and digests with a reason', () => {
    expect(() => parseImageRef('r.io/a/b:-x', "input 'tags'")).toThrow(
      "input 'tags': 'r.io/a/b:-x' is not a valid image reference (bad tag '-x'",
    );
    expect(() => parseImageRef('r.io/A/b:1')).toThrow(/repository path must be lowercase/);
    expect(() => parseImageRef('r.io/a/b@sha256:xyz')).toThrow(/bad digest/);
    expect(() => parseImageRef('')).toThrow(/empty/);
    expect(() => parseImageRef('r.io/a/b:' + 'x'.repeat(129))).toThrow(/bad tag/);
  });
  it('validates tags by the distribution grammar', () => {
    expect(isValidTag('v1-202010151625-d4ef3dc3b77a011a5779eec7efdd45')).toBe(true);
    expect(isValidTag('_x.y-z')).toBe(true);
    expect(isValidTag('.x')).toBe(false);
    expect(isValidTag('a/b')).toBe(false);
    expect(isValidTag('x'.repeat(128))).toBe(true);
    expect(isValidTag('x'.repeat(129))).toBe(false);
  });
});
