/** Entry point of the `build` action. */
import { runAction } from '../github/run.js';
import { buildStep } from './steps/build.js';

void runAction({ main: buildStep });
