import { UserError } from '../base/errors.js';
import { exec } from '../base/exec.js';

/**
 * The client side of Docker's credential-helper protocol: an executable
 * `docker-credential-<name>` taking one verb (`store`, `get`, `erase`, `list`) with JSON or a
 * server URL on stdin. Secrets travel on stdin/stdout only, never in argv.
 */
export interface HelperCredentials {
  ServerURL: string;
  /** `<token>` when Secret is an identity token. */
  Username: string;
  Secret: string;
}

const NOT_FOUND = /credentials not found/i;

export class CredentialHelper {
  readonly program: string;

  constructor(
    readonly name: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new UserError(`credential helper name '${name}' is not valid`);
    this.program = `docker-credential-${name}`;
  }

  private async call(verb: string, input: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const result = await exec(this.program, [verb], { input, env: this.env });
    return result;
  }

  private failure(verb: string, result: { stdout: string; stderr: string }): UserError {
    const reason = (result.stdout.trim() || result.stderr.trim()).split('\n')[0] ?? '';
    return new UserError(`credential helper ${this.program} ${verb} failed: ${reason}`);
  }

  async get(serverUrl: string): Promise<HelperCredentials | undefined> {
    const result = await this.call('get', serverUrl);
    if (result.code !== 0) {
      if (NOT_FOUND.test(result.stdout + result.stderr)) return undefined;
      throw this.failure('get', result);
    }
    const parsed = JSON.parse(result.stdout) as Partial<HelperCredentials>;
    if (!parsed.Secret) return undefined;
    return { ServerURL: parsed.ServerURL ?? serverUrl, Username: parsed.Username ?? '', Secret: parsed.Secret };
  }

  async store(credentials: HelperCredentials): Promise<void> {
    const result = await this.call('store', JSON.stringify(credentials));
    if (result.code !== 0) throw this.failure('store', result);
  }

  async erase(serverUrl: string): Promise<void> {
    const result = await this.call('erase', serverUrl);
    if (result.code !== 0 && !NOT_FOUND.test(result.stdout + result.stderr)) throw this.failure('erase', result);
  }

  async list(): Promise<Record<string, string>> {
    const result = await this.call('list', '');
    if (result.code !== 0) throw this.failure('list', result);
    return JSON.parse(result.stdout || '{}') as Record<string, string>;
  }
}
