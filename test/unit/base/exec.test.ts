import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/base/errors.js';
import { exec } from '../../../src/base/exec.js';

describe('exec', () => {
  it('passes argv literally — no shell expansion of hostile names', async () => {
    const hostile = 'feature/$(touch /tmp/pwned);`id`|&&*';
    const result = await exec(process.execPath, ['-e', 'process.stdout.write(process.argv[1])', hostile]);
    expect(result.stdout).toBe(hostile);
  });
  it('delivers stdin and returns the exit code without throwing', async () => {
    const result = await exec(
      process.execPath,
      ['-e', 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{process.stdout.write(s.toUpperCase());process.exit(3)})'],
      {
        input: 'secret',
      },
    );
    expect(result).toMatchObject({ code: 3, stdout: 'SECRET' });
  });
  it('streams complete lines to callbacks, including a last line without newline', async () => {
    const lines: string[] = [];
    await exec(process.execPath, ['-e', 'process.stderr.write("a\\nb\\r\\nc")'], { onStderrLine: (l) => lines.push(l) });
    expect(lines).toEqual(['a', 'b', 'c']);
  });
  it('keeps only the tail of a long stream', async () => {
    const result = await exec(process.execPath, ['-e', 'process.stdout.write("x".repeat(5000)+"END")'], { captureLimit: 100 });
    expect(result.stdout.length).toBeLessThanOrEqual(100);
    expect(result.stdout.endsWith('END')).toBe(true);
  });
  it('turns a missing program into a one-line user error', async () => {
    await expect(exec('acr-ship-no-such-program', [])).rejects.toThrow(UserError);
    await expect(exec('acr-ship-no-such-program', [])).rejects.toThrow('acr-ship-no-such-program is not installed or not on PATH');
  });
});
