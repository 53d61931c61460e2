/** Entry point of the `build` action. */
import { runAction } from '../github/run.js';
import { buildMain, buildPost } from './steps/build.js';

void runAction({ main: async (log) => void (await buildMain(log)), post: buildPost });
