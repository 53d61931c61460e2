import { describe, expect, it } from 'vitest';
import { currentBuilderShortfall, parseEndpoints } from '../../../src/buildx/builder-setup.js';

describe('parseEndpoints', () => {
  it('reads endpoints with optional platforms', () => {
    expect(parseEndpoints(['tcp://10.0.0.5:1234 linux/arm64,linux/arm/v7', 'unix:///run/buildkit/buildkitd.sock'])).toEqual([
      { endpoint: 'tcp://10.0.0.5:1234', platforms: ['linux/arm64', 'linux/arm/v7'] },
      { endpoint: 'unix:///run/buildkit/buildkitd.sock', platforms: [] },
    ]);
  });
  it('names a line that is not an endpoint', () => {
    expect(() => parseEndpoints(['10.0.0.5:1234'])).toThrow("input 'builder-endpoints': '10.0.0.5:1234' is not '<endpoint> [platforms]'");
    expect(() => parseEndpoints(['tcp://a:1 linux/arm64 extra'])).toThrow(/is not '<endpoint> \[platforms\]'/);
    expect(() => parseEndpoints(['tcp://a:1 linux/arm65'])).toThrow(/'linux\/arm65' is not a platform/);
  });
});

describe('currentBuilderShortfall', () => {
  const docker = { name: 'default', driver: 'docker', nodes: [] };
  it('accepts any non-docker driver', () => {
    expect(
      currentBuilderShortfall({ ...docker, driver: 'remote' }, { platforms: ['linux/amd64', 'linux/arm64'], exportsCache: true }),
    ).toBeUndefined();
  });
  it('explains why the docker driver cannot do the job', () => {
    expect(currentBuilderShortfall(docker, { platforms: ['linux/amd64', 'linux/arm64'], exportsCache: false })).toBe(
      "the 'default' builder (docker driver) cannot build 2 platforms at once",
    );
    expect(currentBuilderShortfall(docker, { platforms: ['linux/amd64'], exportsCache: true })).toBe(
      "the 'default' builder (docker driver) cannot export a build cache",
    );
    expect(currentBuilderShortfall(docker, { platforms: ['linux/amd64'], exportsCache: false })).toBeUndefined();
  });
});
