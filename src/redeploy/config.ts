import { ErrorList, UserError } from '../base/errors.js';
import type { Log } from '../base/log.js';
import type { TriggerConfig } from '../rules/config.js';
import { compileTagFilter } from './filter.js';
import { maskTrigger, parseWebhookUrl, type Trigger } from './trigger.js';

function envValue(env: Readonly<Record<string, string | undefined>>, name: string, trigger: string, key: string): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new UserError(
      `trigger '${trigger}': environment variable ${name} (${key}) is not set: add it to the step's env, e.g. ${name}: \${{ secrets.${name} }}`,
    );
  }
  return value;
}

/**
 * Reads the URL and secret each trigger names from `env`, masks them, and checks URL and filter.
 * Every problem is reported at once, one line each.
 */
export function resolveTriggers(configs: readonly TriggerConfig[], env: Readonly<Record<string, string | undefined>>, log: Log): Trigger[] {
  const errors = new ErrorList();
  const triggers: Trigger[] = [];
  const seen = new Set<string>();
  for (const config of configs) {
    errors.attempt(() => {
      if (seen.has(config.name)) throw new UserError(`trigger '${config.name}' is defined twice: give each trigger its own name`);
      seen.add(config.name);
      const url = envValue(env, config.urlEnv, config.name, 'url-env');
      const secret = config.secretEnv ? envValue(env, config.secretEnv, config.name, 'secret-env') : undefined;
      maskTrigger(log, url, secret);
      parseWebhookUrl(url, `trigger '${config.name}': the URL in ${config.urlEnv}`);
      compileTagFilter(config.filter, `trigger '${config.name}'`);
      triggers.push({ name: config.name, url, filter: config.filter, method: config.method, headers: { ...config.headers }, secret });
    });
  }
  errors.throwIfAny();
  return triggers;
}
