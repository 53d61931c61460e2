// Fails when dist/ is not byte for byte what `npm run build` makes from src/ — users and CI run
// dist/, so a stale bundle would ship code nobody reviewed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'acr-ship-dist-'));
try {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', out], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
  const names = new Set([...readdirSync('dist'), ...readdirSync(out)]);
  const drift = [...names].filter((name) => {
    try {
      return !readFileSync(join('dist', name)).equals(readFileSync(join(out, name)));
    } catch {
      return true;
    }
  });
  if (drift.length > 0) {
    // exitCode, not exit(): the finally below must still remove the scratch build.
    process.stderr.write(`dist/ is stale (${drift.join(', ')}): run npm run build and commit dist/\n`);
    process.exitCode = 1;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
