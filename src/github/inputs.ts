import { UserError } from '../base/errors.js';
import { parseKeyValues, parseList, type ListOptions } from '../base/lists.js';

/**
 * Reading `with:` inputs. The runner passes each declared input as INPUT_<NAME> (upper-cased,
 * spaces to underscores, hyphens kept), filled with the action.yml default when not given.
 * Every parse error names the input and what to write instead.
 */
export class Inputs {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** Raw value, trimmed; '' when unset. */
  string(name: string): string {
    return (this.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
  }

  /** Unset or empty means "not given": undefined. */
  optional(name: string): string | undefined {
    const value = this.string(name);
    return value === '' ? undefined : value;
  }

  required(name: string, hint = ''): string {
    const value = this.string(name);
    if (value === '') throw new UserError(`input '${name}' is required${hint ? `: ${hint}` : ''}`);
    return value;
  }

  /** YAML 1.2 core-schema booleans, as the runner documents them. */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.string(name);
    if (value === '') return fallback;
    if (['true', 'True', 'TRUE'].includes(value)) return true;
    if (['false', 'False', 'FALSE'].includes(value)) return false;
    throw new UserError(`input '${name}' must be true or false, not '${value}'`);
  }

  /** Like boolean, but also accepts the given keywords (e.g. `auto`). */
  booleanOr<K extends string>(name: string, keywords: readonly K[], fallback: boolean | K): boolean | K {
    const value = this.string(name);
    if ((keywords as readonly string[]).includes(value)) return value as K;
    if (value === '') return fallback;
    try {
      return this.boolean(name, false);
    } catch {
      throw new UserError(`input '${name}' must be true, false or ${keywords.join(', ')}; got '${value}'`);
    }
  }

  integer(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const value = this.string(name);
    if (value === '') return fallback;
    const n = Number(value);
    const { min = -Infinity, max = Infinity } = range;
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      const bounds = Number.isFinite(min) && Number.isFinite(max) ? ` from ${min} to ${max}` : min >= 0 ? ' ≥ ' + min : '';
      throw new UserError(`input '${name}' must be a whole number${bounds}; got '${value}'`);
    }
    return n;
  }

  /** Seconds, possibly fractional (timeouts). */
  seconds(name: string, fallback: number): number {
    const value = this.string(name);
    if (value === '') return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new UserError(`input '${name}' must be a positive number of seconds; got '${value}'`);
    return n;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(name);
    if (value === '') return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      throw new UserError(`input '${name}' must be one of ${allowed.join(', ')}; got '${value}'`);
    }
    return value as T;
  }

  /** Docker-actions list syntax: newline- and (unless ignoreComma) comma-separated. */
  list(name: string, options: ListOptions = {}): string[] {
    return parseList(this.string(name), options);
  }

  /** `KEY=VALUE` per line (build-args, labels…). */
  keyValues(name: string): Record<string, string> {
    const { values, bad } = parseKeyValues(this.list(name, { ignoreComma: true }));
    if (bad !== undefined) throw new UserError(`input '${name}': '${bad}' is not KEY=VALUE`);
    return values;
  }
}
