/** Entry point of the `merge` action. */
import { runAction } from '../github/run.js';
import { mergeStep } from './steps/merge.js';

void runAction({ main: mergeStep });
