/**
 * node dist/cli.js <command> [options] — the same core code as the actions, for local runs.
 * Each command lives in src/cli/<command>.ts and exports `run(argv): Promise<number>`.
 */
import { errorMessage, isUserError, UserErrors } from './base/errors.js';

type Command = { summary: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  plan: {
    summary: 'resolve the build rules for a branch, tag or pull request into builds and tags (JSON)',
    load: () => import('./cli/plan.js'),
  },
  redeploy: { summary: 'call redeploy webhooks, or replay a delivery a receiver missed', load: () => import('./cli/redeploy.js') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ['usage: node dist/cli.js <command> [options]', 'commands:', ...(lines.length ? lines : ['  (none yet)'])].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`error: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  return (await command.load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const lines = err instanceof UserErrors ? err.errors.map((e) => e.message) : [isUserError(err) ? err.message : errorMessage(err)];
    for (const line of lines) process.stderr.write(`error: ${line}\n`);
    process.exitCode = 1;
  },
);
