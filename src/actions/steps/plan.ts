import type { Log } from '../../base/log.js';
import { readRunContext } from '../../github/context.js';
import { Inputs } from '../../github/inputs.js';
import { planBuilds, type Plan } from '../../rules/plan.js';
import { planRequest, readPlanInputs } from '../inputs/plan.js';
import { logPlan, setPlanOutputs, writePlanSummary } from '../report/plan.js';

/** The plan step as the `plan` action (and later the root action) runs it: inputs → planBuilds → outputs, summary. */
export async function planStep(log: Log): Promise<Plan> {
  const inputs = readPlanInputs(new Inputs());
  const run = readRunContext();
  const request = planRequest(inputs, run, { now: new Date(), sourceDateEpoch: process.env.SOURCE_DATE_EPOCH });
  const plan = planBuilds(request);
  logPlan(log, plan, request.config?.file);
  setPlanOutputs(plan);
  writePlanSummary(plan);
  return plan;
}
