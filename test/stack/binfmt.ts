import { existsSync, readFileSync } from 'node:fs';
import { isRoot, run, succeeds } from './shell.js';

const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

/** The binfmt_misc entries that let linux/arm64 and linux/arm/* RUN steps execute under QEMU. */
const EMULATORS = ['qemu-aarch64', 'qemu-arm'];

function enabled(name: string): boolean {
  try {
    const text = readFileSync(`${BINFMT_DIR}/${name}`, 'utf8');
    // F (fix binary): the kernel opens the interpreter now, so it works inside build containers.
    return text.startsWith('enabled') && /^flags:.*F/m.test(text);
  } catch {
    return false;
  }
}

/** Mounts binfmt_misc if needed and enables the QEMU entries from qemu-user-static. */
export async function ensureEmulation(say: (line: string) => void): Promise<void> {
  if (EMULATORS.every(enabled)) return;
  if (!isRoot()) {
    throw new Error(
      `arm emulation is not registered (${EMULATORS.join(', ')} in ${BINFMT_DIR}); as root run: update-binfmts --enable qemu-aarch64`,
    );
  }
  if (!existsSync(`${BINFMT_DIR}/register`)) {
    say(`mounting binfmt_misc on ${BINFMT_DIR}`);
    await run('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT_DIR]);
  }
  for (const name of EMULATORS) {
    if (enabled(name)) continue;
    say(`registering ${name} with binfmt_misc`);
    if (!(await succeeds('update-binfmts', ['--enable', name]))) {
      throw new Error(`could not register ${name}: update-binfmts --enable ${name} failed (is qemu-user-static installed?)`);
    }
  }
  const broken = EMULATORS.filter((n) => !enabled(n));
  if (broken.length > 0) throw new Error(`binfmt entries ${broken.join(', ')} are not enabled with the F flag`);
}
