/** Entry point of the `redeploy` action. */
import { runAction } from '../github/run.js';
import { redeployStep } from './steps/redeploy.js';

void runAction({ main: redeployStep });
