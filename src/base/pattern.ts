import { RE2JS } from 're2js';
import { UserError } from './errors.js';

/**
 * User-written regular expressions, run on a linear-time engine (RE2 semantics via re2js).
 * Branch and tag names are attacker-controlled in pull requests: a backtracking engine could be
 * made to hang on `(a+)+b`; this one cannot. JavaScript-style `(?<name>…)` groups work;
 * lookaround and backreferences do not exist in RE2 and are rejected when compiled.
 */
export interface SafePattern {
  readonly source: string;
  /** Names of the named groups, in pattern order. */
  readonly groupNames: readonly string[];
  /** Whole-input match (as ACR, a Java service, matches rules); named groups on success. */
  matchWhole(input: string): Record<string, string> | undefined;
  /** Whether the pattern occurs anywhere in the input. */
  test(input: string): boolean;
}

/** Longest pattern and input we accept: both come from users or attackers. */
export const MAX_PATTERN_LENGTH = 1024;
export const MAX_INPUT_LENGTH = 1024;

/** Compiles `source`; `what` names it in the error (e.g. "rule 'release' match"). */
export function compilePattern(source: string, what: string): SafePattern {
  if (source.length > MAX_PATTERN_LENGTH) throw new UserError(`${what}: pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^error parsing regexp:\s*/, '') : String(err);
    throw new UserError(`${what}: invalid regular expression '${source}': ${reason} (RE2 syntax: no lookaround or backreferences)`);
  }
  const groups = re.namedGroups();
  const groupNames = Object.entries(groups)
    .sort(([, a], [, b]) => a - b)
    .map(([name]) => name);
  return {
    source,
    groupNames,
    matchWhole(input: string): Record<string, string> | undefined {
      if (input.length > MAX_INPUT_LENGTH) return undefined;
      const m = re.matcher(input);
      if (!m.matches()) return undefined;
      const values: Record<string, string> = {};
      for (const name of groupNames) values[name] = m.group(name) ?? '';
      return values;
    },
    test(input: string): boolean {
      return input.length <= MAX_INPUT_LENGTH && re.test(input);
    },
  };
}
