import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runsHere, storedBuilder } from '../../../src/buildx/store.js';
import { scratchDir } from '../../support/scratch.js';

/** A Docker config with buildx's store as buildx writes it. */
function dockerConfig(current: object | undefined, instances: Record<string, object>, config: object = {}): string {
  const dir = scratchDir('buildx-store-');
  mkdirSync(join(dir, 'buildx', 'instances'), { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  if (current) writeFileSync(join(dir, 'buildx', 'current'), JSON.stringify(current));
  for (const [name, body] of Object.entries(instances)) writeFileSync(join(dir, 'buildx', 'instances', name), JSON.stringify(body));
  return dir;
}

const remote = {
  Name: 'ci',
  Driver: 'remote',
  Nodes: [{ Name: 'ci0', Endpoint: 'unix:///run/buildkit/buildkitd.sock', Platforms: null }],
  Dynamic: false,
};

describe('storedBuilder', () => {
  it('reads the current builder of the default engine and its driver', () => {
    const dir = dockerConfig({ Key: 'unix:///var/run/docker.sock', Name: 'ci', Global: false }, { ci: remote });
    expect(storedBuilder({ DOCKER_CONFIG: dir })).toEqual({
      name: 'ci',
      driver: 'remote',
      endpoints: ['unix:///run/buildkit/buildkitd.sock'],
    });
  });
  it('prefers the builder asked for, then BUILDX_BUILDER', () => {
    const dir = dockerConfig(undefined, { ci: remote, other: { ...remote, Name: 'other', Driver: 'docker-container' } });
    expect(storedBuilder({ DOCKER_CONFIG: dir }, 'other')?.driver).toBe('docker-container');
    expect(storedBuilder({ DOCKER_CONFIG: dir, BUILDX_BUILDER: 'ci' })?.name).toBe('ci');
  });
  it('answers nothing when buildx itself would have to decide', () => {
    const current = { Key: 'unix:///var/run/docker.sock', Name: 'ci', Global: false };
    // No current builder: the engine's own.
    expect(storedBuilder({ DOCKER_CONFIG: dockerConfig(undefined, { ci: remote }) })).toBeUndefined();
    // Another engine than the one `current` was chosen for.
    expect(storedBuilder({ DOCKER_CONFIG: dockerConfig(current, { ci: remote }), DOCKER_HOST: 'tcp://10.0.0.1:2376' })).toBeUndefined();
    // A Docker context in use.
    expect(storedBuilder({ DOCKER_CONFIG: dockerConfig(current, { ci: remote }, { currentContext: 'lab' }) })).toBeUndefined();
    expect(storedBuilder({ DOCKER_CONFIG: dockerConfig(current, { ci: remote }), DOCKER_CONTEXT: 'lab' })).toBeUndefined();
    // A broken or missing instance file.
    expect(storedBuilder({ DOCKER_CONFIG: dockerConfig(current, {}) })).toBeUndefined();
  });
  it('honours a global current builder whatever the engine', () => {
    const dir = dockerConfig({ Key: 'unix:///var/run/docker.sock', Name: 'ci', Global: true }, { ci: remote });
    expect(storedBuilder({ DOCKER_CONFIG: dir, DOCKER_HOST: 'tcp://10.0.0.1:2376' })?.name).toBe('ci');
  });
});

describe('runsHere', () => {
  it('is true for local BuildKit sockets and the local engine’s containers only', () => {
    expect(runsHere({ name: 'a', driver: 'remote', endpoints: ['unix:///run/b.sock'] }, {})).toBe(true);
    expect(runsHere({ name: 'a', driver: 'remote', endpoints: ['unix:///run/b.sock', 'tcp://arm:1234'] }, {})).toBe(false);
    expect(runsHere({ name: 'a', driver: 'docker-container', endpoints: ['default'] }, {})).toBe(true);
    expect(runsHere({ name: 'a', driver: 'docker-container', endpoints: ['default'] }, { DOCKER_HOST: 'tcp://h:2376' })).toBe(false);
    expect(runsHere({ name: 'a', driver: 'kubernetes', endpoints: ['kubernetes:///b'] }, {})).toBe(false);
  });
});
