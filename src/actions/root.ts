/** Entry point of the root action: the whole pipeline in one step. */
import { runAction } from '../github/run.js';
import { rootMain, rootPost } from './steps/root.js';

void runAction({ main: rootMain, post: rootPost });
