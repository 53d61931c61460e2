import { describe, expect, it } from 'vitest';
import { UserErrors } from '../../../src/base/errors.js';
import { TextLog } from '../../../src/base/log.js';
import { resolveTriggers } from '../../../src/redeploy/config.js';
import type { TriggerConfig } from '../../../src/rules/config.js';

const PROD: TriggerConfig = {
  name: 'prod',
  urlEnv: 'ACK_PROD_URL',
  filter: { type: 'regex', expression: 'release-v.*' },
  method: 'GET',
  headers: { 'X-Team': 'web' },
  secretEnv: 'PROD_HMAC',
};

function logged(): { log: TextLog; lines: string[] } {
  const lines: string[] = [];
  return { log: new TextLog((l) => lines.push(l)), lines };
}

describe('rules-file triggers → resolved triggers', () => {
  it('reads URL and secret from the variables the rules name, and masks them', () => {
    const { log, lines } = logged();
    const env = { ACK_PROD_URL: 'https://cs.console.aliyun.com/hook/trigger?token=abcdefghijklmnop', PROD_HMAC: 'k3y-value' };
    const [trigger] = resolveTriggers([PROD], env, log);
    expect(trigger).toEqual({
      name: 'prod',
      url: env.ACK_PROD_URL,
      filter: { type: 'regex', expression: 'release-v.*' },
      method: 'GET',
      headers: { 'X-Team': 'web' },
      secret: 'k3y-value',
    });
    log.info(`${env.ACK_PROD_URL} abcdefghijklmnop k3y-value`);
    expect(lines).toEqual(['*** *** ***']);
  });

  it('names the unset variable and the fix in one line', () => {
    expect(() => resolveTriggers([PROD], { PROD_HMAC: 'x' }, logged().log)).toThrow(
      "trigger 'prod': environment variable ACK_PROD_URL (url-env) is not set: add it to the step's env, e.g. ACK_PROD_URL: ${{ secrets.ACK_PROD_URL }}",
    );
    expect(() => resolveTriggers([PROD], { ACK_PROD_URL: 'https://h.example/' }, logged().log)).toThrow(
      "trigger 'prod': environment variable PROD_HMAC (secret-env) is not set",
    );
  });

  it('reports every bad trigger at once: bad URL, bad regex, duplicate name', () => {
    const configs: TriggerConfig[] = [
      { ...PROD, secretEnv: undefined, urlEnv: 'A' },
      { ...PROD, name: 'staging', secretEnv: undefined, urlEnv: 'B', filter: { type: 'regex', expression: '(' } },
      { ...PROD, secretEnv: undefined, urlEnv: 'B' },
    ];
    let caught: unknown;
    try {
      resolveTriggers(configs, { A: 'ftp://h.example/x?token=SECRETSECRET', B: 'https://h.example/' }, logged().log);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserErrors);
    const messages = (caught as UserErrors).errors.map((e) => e.message);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toBe("trigger 'prod': the URL in A uses ftp:// which acr-ship cannot call: use an http:// or https:// URL");
    expect(messages[1]).toMatch(/^trigger 'staging' filter expression: invalid regular expression '\('/);
    expect(messages[2]).toBe("trigger 'prod' is defined twice: give each trigger its own name");
    for (const m of messages) expect(m).not.toContain('SECRETSECRET');
  });
});
