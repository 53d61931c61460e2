import { describe, expect, it } from 'vitest';
import { buildLogTable, buildSummary } from '../../../src/actions/report/build.js';
import type { ImageBuild } from '../../../src/buildx/image.js';
import { emptyBuildRequest } from '../../../src/buildx/request.js';
import { formatBytes } from '../../../src/docker/manifest.js';

const build: ImageBuild = {
  request: {
    ...emptyBuildRequest('.'),
    tags: ['registry.cn-hangzhou.aliyuncs.com/acme/web:v1', 'registry.cn-hangzhou.aliyuncs.com/acme/web:latest'],
    platforms: ['linux/amd64', 'linux/arm64'],
    push: true,
  },
  builder: { name: 'b', created: true, info: { name: 'b', driver: 'remote', nodes: [] } },
  cache: { cacheFrom: [], cacheTo: ['type=inline'], explanation: 'cache: inline (ACR Personal Edition rejects registry cache manifests)' },
  attestations: { provenance: 'false', sbom: 'false', explanation: 'attestations: provenance=false, sbom=false (ACR)' },
  result: {
    digest: 'sha256:' + 'a'.repeat(64),
    metadata: { raw: {} },
    steps: { total: 8, cached: 6, executed: 2, runsExecuted: 2, slowest: [{ name: '[linux/arm64 build 4/4] RUN make', seconds: 12.34 }] },
    seconds: 20.5,
    exportSeconds: 3.25,
    registryRetries: ['connection reset'],
    warnings: [],
  },
  attempts: 2,
};
const pushed = {
  repository: 'registry.cn-hangzhou.aliyuncs.com/acme/web',
  platforms: [
    { platform: 'linux/amd64', digest: 'sha256:' + 'b'.repeat(64), layers: 3, compressedSize: 5 * 1024 * 1024 },
    { platform: 'linux/arm64', digest: 'sha256:' + 'c'.repeat(64), layers: 3, compressedSize: 4.5 * 1024 * 1024 },
  ],
  tagDigests: {
    'registry.cn-hangzhou.aliyuncs.com/acme/web:v1': 'sha256:' + 'a'.repeat(64),
    'registry.cn-hangzhou.aliyuncs.com/acme/web:latest': 'sha256:' + 'd'.repeat(64),
  },
};

describe('build report', () => {
  it('summarises what shipped, how big, cache, time, retries and the console link', () => {
    const md = buildSummary(build, pushed);
    expect(md).toContain(
      '| Image | registry.cn-hangzhou.aliyuncs.com/acme/web ([console](https://cr.console.aliyun.com/repository/cn-hangzhou/acme/web/details)) |',
    );
    expect(md).toContain('| Cache | 6/8 steps from cache, 2 executed — inline (ACR Personal Edition rejects registry cache manifests) |');
    expect(md).toContain('| Time | 20.5 s total, 3.3 s exporting/pushing |');
    expect(md).toContain('| Retries | 1 whole-build retry, 1 registry request retry by BuildKit |');
    expect(md).toContain('| linux/amd64 | sha256:bbbbbbbbbbbb… | 3 | 5.00 MiB |');
    expect(md).toContain('| linux/arm64 | sha256:cccccccccccc… | 3 | 4.50 MiB |');
    // A tag that does not point at what was built is called out.
    expect(md).toContain(`| Tag check | registry.cn-hangzhou.aliyuncs.com/acme/web:latest → sha256:${'d'.repeat(64)} |`);
    expect(md).toContain('RUN make | 12.3');
  });
  it('prints the same facts as aligned text for the log', () => {
    const text = buildLogTable(build, pushed);
    expect(text).toContain('Tags         registry.cn-hangzhou.aliyuncs.com/acme/web:v1, registry.cn-hangzhou.aliyuncs.com/acme/web:latest');
    expect(text).toMatch(/linux\/arm64 +3 layers +4\.50 MiB +sha256:c{64}/);
  });
  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(123 * 1024 * 1024)).toBe('123.0 MiB');
  });
});
