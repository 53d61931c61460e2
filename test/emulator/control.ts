/** Tests' handle on a running emulator's control endpoints (issued secrets, expiry, minted STS keys). */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { IssuedPassword, IssuedSts } from './server.js';

export class EmulatorControl {
  constructor(
    readonly url: string,
    private readonly controlToken: string,
    private readonly ca?: Buffer,
  ) {}

  private call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const send = this.url.startsWith('https:') ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        `${this.url}${path}`,
        { method, headers: { authorization: `Bearer ${this.controlToken}`, 'content-type': 'application/json' }, ca: this.ca },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') as T }));
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  async issued(): Promise<{ passwords: IssuedPassword[]; sts: IssuedSts[]; idTokens: string[] }> {
    return (await this.call<{ passwords: IssuedPassword[]; sts: IssuedSts[]; idTokens: string[] }>('GET', '/__emulator/issued')).json;
  }

  /** Makes a temporary registry password or STS key expire now. */
  async expire(what: { password?: string; accessKeyId?: string }): Promise<number> {
    return (await this.call<{ expired: number }>('POST', '/__emulator/expire', what)).json.expired;
  }

  /** STS credentials as an earlier configure-aliyun-credentials step would export them (negative = already expired). */
  async mintSts(expiresInSeconds: number): Promise<IssuedSts> {
    return (await this.call<IssuedSts>('POST', '/__emulator/sts', { expiresInSeconds })).json;
  }
}
