/**
 * Entry point of the root action. For now it builds and pushes from explicit inputs; login, plan
 * and redeploy join the pipeline as their issues land.
 */
import { runAction } from '../github/run.js';
import { buildMain, buildPost } from './steps/build.js';

void runAction({ main: async (log) => void (await buildMain(log)), post: buildPost });
