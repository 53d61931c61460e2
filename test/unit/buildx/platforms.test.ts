import { describe, expect, it } from 'vitest';
import { normalizePlatform, parsePlatform, unservedPlatforms } from '../../../src/buildx/platforms.js';

describe('platforms', () => {
  it('normalises as BuildKit compares', () => {
    expect(normalizePlatform('Linux/ARM64/v8')).toBe('linux/arm64');
    expect(normalizePlatform('linux/arm')).toBe('linux/arm/v7');
    expect(normalizePlatform('linux/amd64/v1')).toBe('linux/amd64');
    expect(normalizePlatform('linux/arm/v6')).toBe('linux/arm/v6');
  });
  it('rejects what BuildKit does not know, naming the input', () => {
    expect(parsePlatform(' linux/arm64 ')).toBe('linux/arm64');
    expect(() => parsePlatform('linux/arm65', "input 'platforms'")).toThrow(
      "input 'platforms': 'linux/arm65' is not a platform BuildKit knows",
    );
    expect(() => parsePlatform('amd64')).toThrow(/write os\/arch/);
  });
  it('finds requested platforms nobody serves', () => {
    expect(unservedPlatforms(['linux/amd64', 'linux/arm64', 'linux/s390x'], ['linux/amd64', 'linux/arm64/v8'])).toEqual(['linux/s390x']);
  });
});

describe('runnableHere (binfmt_misc)', () => {
  it('needs no emulator for native platforms, and an enabled F-flag QEMU entry for the others', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { scratchDir } = await import('../../support/scratch.js');
    const { runnableHere } = await import('../../../src/buildx/emulation.js');
    const dir = scratchDir('binfmt-');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'qemu-aarch64'), 'enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PF\noffset 0\n');
    writeFileSync(join(dir, 'qemu-arm'), 'enabled\ninterpreter /usr/bin/qemu-arm-static\nflags: \n');
    writeFileSync(join(dir, 'qemu-s390x'), 'disabled\nflags: F\n');
    expect(runnableHere(['linux/amd64', 'linux/386'], 'x64', dir)).toBe(true);
    expect(runnableHere(['linux/amd64', 'linux/arm64/v8'], 'x64', dir)).toBe(true);
    // Without F the interpreter is not reachable from inside a build container.
    expect(runnableHere(['linux/arm/v7'], 'x64', dir)).toBe(false);
    expect(runnableHere(['linux/s390x'], 'x64', dir)).toBe(false);
    expect(runnableHere(['linux/arm64'], 'arm64', join(dir, 'none'))).toBe(true);
  });
});
