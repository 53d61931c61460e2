import { describe, expect, it } from 'vitest';
import { buildArgv } from '../../../src/buildx/args.js';
import { emptyBuildRequest } from '../../../src/buildx/request.js';

describe('buildArgv', () => {
  it('builds a fixed-order argv array with the context last, after --', () => {
    const req = {
      ...emptyBuildRequest('examples/hello'),
      file: 'examples/hello/Dockerfile',
      target: 'runtime',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['r.example/a/b:1', 'r.example/a/b:latest'],
      labels: { 'org.opencontainers.image.version': '1' },
      buildArgs: { A: '1 2' },
      secrets: [{ id: 'npm', src: '/tmp/npmrc' }, { id: 'TOKEN' }],
      cacheFrom: ['type=registry,ref=r.example/a/b:buildcache'],
      cacheTo: ['type=inline'],
      provenance: 'false',
      push: true,
      builder: 'b1',
    };
    expect(buildArgv(req, '/tmp/meta.json')).toEqual([
      'buildx',
      'build',
      '--builder',
      'b1',
      '--progress',
      'rawjson',
      '--metadata-file',
      '/tmp/meta.json',
      '--file',
      'examples/hello/Dockerfile',
      '--target',
      'runtime',
      '--platform',
      'linux/amd64,linux/arm64',
      '--tag',
      'r.example/a/b:1',
      '--tag',
      'r.example/a/b:latest',
      '--label',
      'org.opencontainers.image.version=1',
      '--build-arg',
      'A=1 2',
      '--secret',
      'id=npm,src=/tmp/npmrc',
      '--secret',
      'id=TOKEN,env=TOKEN',
      '--cache-from',
      'type=registry,ref=r.example/a/b:buildcache',
      '--cache-to',
      'type=inline',
      '--provenance=false',
      '--push',
      '--',
      'examples/hello',
    ]);
  });
  it('keeps a hostile context path a single argument', () => {
    const argv = buildArgv(emptyBuildRequest('--push; rm -rf /'), '/m');
    expect(argv.slice(-2)).toEqual(['--', '--push; rm -rf /']);
  });
});

describe('push by digest', () => {
  it('pushes to every repository of the tags, by digest only, with no --tag', () => {
    const req = {
      ...emptyBuildRequest('.'),
      tags: ['r.io/a/web:1', 'r.io/a/web:latest', 'q.io/b/web:1'],
      push: true,
      pushByDigest: true,
      platforms: ['linux/arm64'],
    };
    const argv = buildArgv(req, '/m');
    expect(argv).not.toContain('--tag');
    expect(argv).not.toContain('--push');
    expect(argv[argv.indexOf('--output') + 1]).toBe(
      'type=image,"name=r.io/a/web,q.io/b/web",push-by-digest=true,name-canonical=true,push=true',
    );
  });

  it('clamps layer file times to SOURCE_DATE_EPOCH when asked, by digest or tagged', () => {
    const req = { ...emptyBuildRequest('.'), tags: ['r.io/a/web:1'], push: true, rewriteTimestamps: true };
    const tagged = buildArgv(req, '/m');
    expect(tagged).not.toContain('--push');
    expect(tagged[tagged.indexOf('--output') + 1]).toBe('type=image,push=true,rewrite-timestamp=true');
    expect(tagged).toContain('--tag');
    const byDigest = buildArgv({ ...req, pushByDigest: true }, '/m');
    expect(byDigest[byDigest.indexOf('--output') + 1]).toMatch(/,push=true,rewrite-timestamp=true$/);
  });
});
