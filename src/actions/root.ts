/**
 * Entry point of the root action. For now it builds and pushes from explicit inputs; login, plan
 * and redeploy join the pipeline as their issues land.
 */
import { runAction } from '../github/run.js';
import { buildStep } from './steps/build.js';

void runAction({ main: buildStep });
