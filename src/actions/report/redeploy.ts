import { appendSummary, setOutput } from '../../github/commands.js';
import type { Delivery } from '../../redeploy/deliver.js';
import type { PushedImage } from '../../redeploy/push.js';

/** `deliveries`: every trigger's record as JSON (no URL beyond scheme, host and path). */
export function setRedeployOutputs(deliveries: readonly Delivery[]): void {
  setOutput('deliveries', JSON.stringify(deliveries));
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

/** `2 delivered, 1 failed, 0 skipped`: the outcome in one line, for the log and the summary. */
export function tally(deliveries: readonly Delivery[]): string {
  const count = (result: Delivery['result']): number => deliveries.filter((d) => d.result === result).length;
  return `${count('delivered')} delivered, ${count('failed')} failed, ${count('skipped')} skipped`;
}

const RESULT_MARK: Record<Delivery['result'], string> = { delivered: '✅ delivered', failed: '❌ failed', skipped: '⏭️ skipped' };

/** One row per trigger: name, masked URL, result, last status, attempts, time. */
export function redeploySummary(deliveries: readonly Delivery[], push: PushedImage | undefined): string {
  const lines = ['### acr-ship redeploy', ''];
  if (push)
    lines.push(`Image \`${push.registry}/${push.repository}@${push.digest}\`, tags ${push.tags.map((t) => `\`${t}\``).join(', ')}`, '');
  if (deliveries.length === 0) return [...lines, 'No webhook was given: nothing was sent.', ''].join('\n');
  lines.push(`${tally(deliveries)}.`, '', '| Trigger | URL | Result | HTTP | Attempts | Time |', '|---|---|---|---|---|---|');
  for (const d of deliveries) {
    const result = d.result === 'delivered' ? `${RESULT_MARK.delivered} (tag \`${d.tag}\`)` : `${RESULT_MARK[d.result]}: ${d.error ?? ''}`;
    const time = d.result === 'skipped' ? '—' : `${(d.durationMs / 1000).toFixed(1)} s`;
    lines.push(`| ${cell(d.trigger)} | \`${cell(d.url)}\` | ${cell(result)} | ${d.status ?? '—'} | ${d.attempts} | ${time} |`);
  }
  return [...lines, ''].join('\n');
}

export function writeRedeploySummary(deliveries: readonly Delivery[], push: PushedImage | undefined): void {
  appendSummary(redeploySummary(deliveries, push));
}
