import { UserError, UserErrors } from '../../base/errors.js';
import type { Log } from '../../base/log.js';
import { readRunContext, runUrl } from '../../github/context.js';
import { Inputs } from '../../github/inputs.js';
import { deliverAll, type Delivery } from '../../redeploy/deliver.js';
import { readRedeployRequest } from '../inputs/redeploy.js';
import { setRedeployOutputs, tally, writeRedeploySummary } from '../report/redeploy.js';

/**
 * The redeploy step as the `redeploy` and root actions run it: inputs → one delivery per trigger
 * → outputs and summary. With fail-on-error the step fails only after every delivery was tried.
 */
export async function redeployStep(log: Log): Promise<void> {
  const run = readRunContext();
  const request = readRedeployRequest(new Inputs(), log, {
    commit: run.pullRequest?.headSha || run.sha,
    runUrl: runUrl(run) ?? '',
    pushedAt: new Date(),
  });
  const push = request.described?.push;
  if (!push || request.triggers.length === 0) {
    log.warning("input 'webhooks' is empty: no redeploy trigger was called (a fork's run gets no secrets)");
    setRedeployOutputs([]);
    writeRedeploySummary([], undefined);
    return;
  }
  for (const other of request.described?.otherImages ?? []) log.info(`not sent: ${other} is another repository than the image`);
  const deliveries = await log.group(`Redeploy: ${request.triggers.length} webhook(s)`, () =>
    deliverAll(request.triggers, push, {
      log,
      retries: request.retries,
      timeoutMs: request.timeoutMs,
      totalTimeoutMs: request.totalTimeoutMs,
      baseDelayMs: request.baseDelayMs,
    }),
  );
  log.info(`redeploy: ${tally(deliveries)}`);
  setRedeployOutputs(deliveries);
  writeRedeploySummary(deliveries, push);
  reportFailures(deliveries, request.failOnError, log);
}

/** One line per failed delivery: errors that fail the step, or warnings when asked not to fail. */
export function reportFailures(deliveries: readonly Delivery[], failOnError: boolean, log: Log): void {
  const failed = deliveries.filter((d) => d.result === 'failed');
  const lines = failed.map((d) => `redeploy ${d.trigger} (${d.url}) failed: ${d.error}`);
  if (!failOnError) {
    for (const line of lines) log.warning(line);
    return;
  }
  if (lines.length === 1) throw new UserError(lines[0] ?? '');
  if (lines.length > 1) throw new UserErrors(lines.map((line) => new UserError(line)));
}
