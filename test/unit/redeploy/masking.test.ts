import { describe, expect, it } from 'vitest';
import { TextLog } from '../../../src/base/log.js';
import { WorkflowLog } from '../../../src/github/commands.js';
import { displayUrl, maskTrigger, parseWebhookUrl, urlSecrets } from '../../../src/redeploy/trigger.js';

const ACK = 'https://cs.console.aliyun.com/hook/trigger?token=eyJhbGciOiJSUzI1NiJ9.eyJjbHVzdGVySWQiOiJjMSJ9.c2lnbmF0dXJl';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJjbHVzdGVySWQiOiJjMSJ9.c2lnbmF0dXJl';
const FEISHU = 'https://open.feishu.cn/open-apis/bot/v2/hook/8c1f3a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b';

describe('webhook URL secrets', () => {
  it('masks the URL and the token in its query, raw and decoded', () => {
    const secrets = urlSecrets(ACK);
    expect(secrets).toContain(ACK);
    expect(secrets).toContain(TOKEN);
    const encoded = urlSecrets('https://h.example/x?secret=a%2Fb%2Bc%3Dlongvalue');
    expect(encoded).toContain('a%2Fb%2Bc%3Dlongvalue');
    expect(encoded).toContain('a/b+c=longvalue');
  });

  it('masks credentials, bare query tokens and token-like path segments', () => {
    const secrets = urlSecrets('https://user:p%40ssw0rd@h.example/hook?abcdefghij123');
    expect(secrets).toEqual(expect.arrayContaining(['user', 'p%40ssw0rd', 'p@ssw0rd', 'abcdefghij123']));
    expect(urlSecrets(FEISHU)).toContain('8c1f3a2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b');
  });

  it('shows a URL with nothing beyond scheme, host and path, as every URL is shown', () => {
    expect(urlSecrets('https://deploy.example.com/hooks/web')).toEqual([]);
    expect(urlSecrets('https://deploy.example.com/hooks/web?')).toContain('https://deploy.example.com/hooks/web?');
  });

  it('spares short values, which would redact ordinary words everywhere', () => {
    const secrets = urlSecrets('https://cs.console.aliyun.com/hook/trigger?type=scale_out&step=1');
    expect(secrets).not.toContain('1');
    expect(secrets).not.toContain('hook');
    expect(secrets).not.toContain('trigger');
  });

  it('shows scheme, host and path only, with path tokens replaced', () => {
    expect(displayUrl(ACK)).toBe('https://cs.console.aliyun.com/hook/trigger');
    expect(displayUrl('http://u:p@127.0.0.1:8080/a/b?x=y#z')).toBe('http://127.0.0.1:8080/a/b');
    expect(displayUrl(FEISHU)).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/***');
    expect(displayUrl('not a url')).toBe('<invalid URL>');
  });

  it('never echoes a URL in its errors', () => {
    for (const bad of ['not a url?token=SECRET123456', 'ftp://h.example/x?token=SECRET123456']) {
      expect(() => parseWebhookUrl(bad, "input 'webhooks' entry 1")).toThrow(/^input 'webhooks' entry 1 /);
      try {
        parseWebhookUrl(bad, "input 'webhooks' entry 1");
      } catch (err) {
        expect((err as Error).message).not.toContain('SECRET123456');
      }
    }
    expect(() => parseWebhookUrl('ftp://h.example/x', 'w')).toThrow(
      'w uses ftp:// which acr-ship cannot call: use an http:// or https:// URL',
    );
  });

  it('registers every part with the workflow log before anything prints it', () => {
    const lines: string[] = [];
    const log = new WorkflowLog((line) => lines.push(line), {});
    maskTrigger(log, ACK, 'hmac-key-123');
    log.info(`calling ${ACK} with token ${TOKEN} and key hmac-key-123`);
    const [last] = lines.slice(-1);
    expect(lines.filter((l) => l.startsWith('::add-mask::'))).toEqual(
      expect.arrayContaining([`::add-mask::${TOKEN}`, `::add-mask::${ACK}`, '::add-mask::hmac-key-123']),
    );
    expect(last).toBe('calling *** with token *** and key ***');
  });

  it('redacts in the CLI log too', () => {
    const lines: string[] = [];
    const log = new TextLog((line) => lines.push(line));
    maskTrigger(log, ACK);
    log.info(`token ${TOKEN}`);
    expect(lines).toEqual(['token ***']);
  });
});
