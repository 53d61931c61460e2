/** Entry point of the `merge` action (not implemented yet). */
import { UserError } from '../base/errors.js';
import { runAction } from '../github/run.js';

void runAction({
  main: () => Promise.reject(new UserError('the merge action is not implemented yet in this version of acr-ship')),
});
