/**
 * Brings the local stack up for the e2e run (installing what is missing on a new machine) and
 * takes it down afterwards — unless it was already running, in which case it is left as found.
 */
import { down, up } from '../stack/stack.js';

let startedHere = false;

export async function setup(): Promise<void> {
  const { started } = await up((line) => process.stderr.write(`stack: ${line}\n`));
  startedHere = started;
}

export async function teardown(): Promise<void> {
  if (startedHere) await down((line) => process.stderr.write(`stack: ${line}\n`));
}
