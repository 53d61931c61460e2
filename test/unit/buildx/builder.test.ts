import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlatforms, parseInspect } from '../../../src/buildx/builder.js';
import { REPO_ROOT } from '../../stack/state.js';

const remote = readFileSync(join(REPO_ROOT, 'test/fixtures/buildx/inspect-remote.txt'), 'utf8');

describe('parseInspect', () => {
  it('reads a real `docker buildx inspect` of a remote builder', () => {
    const info = parseInspect(remote);
    expect(info.name).toBe('acr-ship-stack');
    expect(info.driver).toBe('remote');
    expect(info.nodes).toHaveLength(1);
    expect(info.nodes[0]).toMatchObject({ name: 'acr-ship-stack0', status: 'running', buildkitVersion: 'v0.33.1' });
    expect(info.nodes[0]?.platforms).toContain('linux/arm64');
  });
  it('reads several nodes and strips the user-set marker', () => {
    const text =
      'Name: multi\nDriver: remote\n\nNodes:\nName: amd\nEndpoint: tcp://a:1234\nStatus: running\nPlatforms: linux/amd64*, linux/386\n\nName: arm\nEndpoint: tcp://b:1234\nStatus: running\nPlatforms: linux/arm64*\n';
    const info = parseInspect(text);
    expect(info.nodes.map((n) => n.platforms)).toEqual([['linux/amd64', 'linux/386'], ['linux/arm64']]);
  });
});

describe('checkPlatforms', () => {
  const amd64Only = {
    name: 'b',
    driver: 'remote',
    nodes: [{ name: 'b0', endpoint: '', status: 'running', platforms: ['linux/amd64', 'linux/amd64/v2'] }],
  };
  it('passes when every platform is served (arm64 equals arm64/v8)', () => {
    expect(() => checkPlatforms(parseInspect(remote), ['linux/amd64', 'linux/arm64/v8', 'linux/arm'])).not.toThrow();
  });
  it('names the missing platform and the emulator to register', () => {
    expect(() => checkPlatforms(amd64Only, ['linux/amd64', 'linux/arm64'])).toThrow(
      /^platform linux\/arm64 cannot be built by builder 'b' \(it serves linux\/amd64, linux\/amd64\/v2\).*update-binfmts --enable qemu-aarch64/,
    );
  });
  it('suggests enabling every emulator when several are missing', () => {
    expect(() => checkPlatforms(amd64Only, ['linux/arm64', 'linux/arm/v7'])).toThrow(
      /platform linux\/arm64, linux\/arm\/v7 .*'update-binfmts --enable'\)/,
    );
  });
});
