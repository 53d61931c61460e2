/**
 * node dist/cli.js <command> — the same core code as the actions, for local runs.
 * Commands arrive with their issues (plan, redeploy replay…).
 */
import { errorMessage, isUserError } from './base/errors.js';

const USAGE = 'usage: node dist/cli.js <command> [options]\ncommands: (none yet)';

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  process.stderr.write(`error: unknown command '${command}'\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`error: ${isUserError(err) ? err.message : errorMessage(err)}\n`);
    process.exitCode = 1;
  },
);
