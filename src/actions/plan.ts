/** Entry point of the `plan` action (not implemented yet). */
import { UserError } from '../base/errors.js';
import { runAction } from '../github/run.js';

void runAction({
  main: () => Promise.reject(new UserError('the plan action is not implemented yet in this version of acr-ship')),
});
