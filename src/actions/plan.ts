/** Entry point of the `plan` action. */
import { runAction } from '../github/run.js';
import { planStep } from './steps/plan.js';

void runAction({
  main: async (log) => {
    await planStep(log);
  },
});
