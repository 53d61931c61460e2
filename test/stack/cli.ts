/**
 * npm run stack -- up | down | status
 * The local stack every e2e test, bench and the demo run against: a TLS + auth registry, buildkitd
 * driven by docker buildx, QEMU emulation and a multi-arch busybox base image — loopback only.
 */
import { errorMessage } from '../../src/base/errors.js';
import { healthy, up, down } from './stack.js';
import { readState, statePath } from './state.js';

const say = (line: string): void => void process.stderr.write(`stack: ${line}\n`);

async function main(verb: string | undefined): Promise<number> {
  switch (verb) {
    case 'up': {
      const started = Date.now();
      const { state, started: fresh } = await up(say);
      say(
        `${fresh ? 'up' : 'already up'} in ${((Date.now() - started) / 1000).toFixed(1)}s: registry https://${state.registry.host} (token auth by the ACR emulator ${state.emulator.url}), builder ${state.buildkit.builder}, base image ${state.baseImage}`,
      );
      say(`state: ${statePath()}`);
      return 0;
    }
    case 'down':
      await down(say);
      return 0;
    case 'status': {
      const state = readState();
      if (!state) {
        say('down');
        return 1;
      }
      const ok = await healthy(state);
      const emulator = state.emulator && {
        ...state.emulator,
        controlToken: '***',
        accessKey: { ...state.emulator.accessKey, secret: '***' },
        accounts: state.emulator.accounts.map((a) => ({ ...a, password: '***' })),
        oidc: { ...state.emulator.oidc, requestToken: '***' },
      };
      process.stdout.write(
        JSON.stringify({ healthy: ok, ...state, registry: { ...state.registry, password: '***' }, emulator }, null, 2) + '\n',
      );
      return ok ? 0 : 1;
    }
    default:
      say('usage: npm run stack -- up|down|status');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`error: ${errorMessage(err)}`);
    process.exit(1);
  },
);
