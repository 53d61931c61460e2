import { ErrorList } from '../../base/errors.js';
import type { Log } from '../../base/log.js';
import { parsePlatform } from '../../buildx/platforms.js';
import type { Inputs } from '../../github/inputs.js';
import { defaultTotalTimeoutMs } from '../../redeploy/deliver.js';
import { describePush, type DescribedPush } from '../../redeploy/push.js';
import { maskTrigger, parseWebhookUrl, type Trigger } from '../../redeploy/trigger.js';

/**
 * The `webhooks` input as triggers for every tag, signed with the key in `secretInput`. URLs and
 * the key are masked before anything is checked; errors name the entry, never the URL.
 */
export function webhookTriggers(inputs: Inputs, secretInput: string, log: Log, errors: ErrorList): Trigger[] {
  // URLs may hold commas in their query: one URL per line.
  const urls = inputs.list('webhooks', { ignoreComma: true });
  const secret = inputs.optional(secretInput);
  for (const url of urls) maskTrigger(log, url);
  if (secret) log.mask(secret);
  const triggers: Trigger[] = [];
  urls.forEach((url, i) => {
    if (errors.attempt(() => parseWebhookUrl(url, `input 'webhooks' entry ${i + 1}`))) {
      triggers.push({ name: `webhook-${i + 1}`, url, filter: { type: 'all' }, method: 'POST', headers: {}, secret });
    }
  });
  return triggers;
}

export interface RedeployRequest {
  triggers: Trigger[];
  described: DescribedPush | undefined;
  retries: number;
  timeoutMs: number;
  totalTimeoutMs: number;
  baseDelayMs: number;
  failOnError: boolean;
}

/**
 * The redeploy inputs. Webhook URLs and the secret are masked before anything is checked, so no
 * later line (an error included) can show them; errors name the input and entry, never the URL.
 * Every problem is reported at once.
 */
export function readRedeployRequest(inputs: Inputs, log: Log, build: { commit: string; runUrl: string; pushedAt: Date }): RedeployRequest {
  const errors = new ErrorList();
  const urls = inputs.list('webhooks', { ignoreComma: true });
  const triggers = webhookTriggers(inputs, 'secret', log, errors);
  const retries = errors.attempt(() => inputs.integer('retries', 3, { min: 0, max: 20 })) ?? 3;
  const timeout = errors.attempt(() => inputs.seconds('timeout', 10)) ?? 10;
  const retryDelay = errors.attempt(() => inputs.seconds('retry-delay', 1)) ?? 1;
  const totalTimeout = errors.attempt(() => inputs.seconds('total-timeout', defaultTotalTimeoutMs(retries, timeout * 1000) / 1000));
  const failOnError = errors.attempt(() => inputs.boolean('fail-on-error', true)) ?? true;
  const platforms = errors.attempt(() => inputs.list('platforms').map((p) => parsePlatform(p, "input 'platforms'"))) ?? [];
  // Nothing to deliver (e.g. a fork's run without the webhook secret): no push details needed.
  const described =
    triggers.length === 0 && urls.length === 0
      ? undefined
      : errors.attempt(() =>
          describePush(
            {
              image: inputs.optional('image'),
              tags: inputs.list('tags'),
              digest: inputs.string('digest'),
              platforms,
              commit: build.commit,
              runUrl: build.runUrl,
              pushedAt: build.pushedAt,
            },
            { image: "input 'image'", tags: "input 'tags'", digest: "input 'digest'" },
          ),
        );
  errors.throwIfAny();
  return {
    triggers,
    described,
    retries,
    timeoutMs: timeout * 1000,
    totalTimeoutMs: (totalTimeout ?? 0) * 1000,
    baseDelayMs: retryDelay * 1000,
    failOnError,
  };
}
