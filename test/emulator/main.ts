/**
 * The emulator as its own process (started by `npm run stack -- up`, bundled by esbuild first):
 * node emulator.mjs <config.json>. Logs one line when it listens; stops on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import type { EmulatorConfig } from './config.js';
import { startEmulator } from './server.js';

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as EmulatorConfig;
const emulator = await startEmulator(config);
process.stdout.write(`acr-ship emulator listening on ${emulator.url}\n`);
const stop = (): void => void emulator.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
