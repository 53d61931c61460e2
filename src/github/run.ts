import { errorMessage, UserError, UserErrors } from '../base/errors.js';
import { getState, isDebug, saveState, WorkflowLog } from './commands.js';

/**
 * Runs an action's main or post step. The runner invokes the same bundle for both; main records
 * `isPost` in the step state so the second invocation knows it is the post step.
 * Failures end as one `::error::` line per problem and exit code 1 — no stack trace unless the
 * run has step debugging on.
 */
export async function runAction(steps: {
  main: (log: WorkflowLog) => Promise<void>;
  post?: (log: WorkflowLog) => Promise<void>;
}): Promise<void> {
  const log = new WorkflowLog();
  const isPost = getState('isPost') === 'true';
  try {
    if (isPost) {
      await steps.post?.(log);
    } else {
      saveState('isPost', 'true');
      await steps.main(log);
    }
  } catch (err) {
    reportFailure(log, err);
    process.exitCode = 1;
  }
}

export function reportFailure(log: WorkflowLog, err: unknown): void {
  if (err instanceof UserErrors) {
    for (const e of err.errors) log.error(e.message, e.location);
  } else if (err instanceof UserError) {
    log.error(err.message, err.location);
  } else {
    log.error(errorMessage(err));
    if (isDebug() && err instanceof Error && err.stack) log.debug(err.stack);
  }
}
