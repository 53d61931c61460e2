/**
 * An error the user can fix: bad input, bad configuration, an unusable environment.
 * Entry points print its message as one line (plus an annotation where a location is known)
 * and exit non-zero, never with a stack trace.
 */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
}

export class UserError extends Error {
  readonly location: ErrorLocation | undefined;

  constructor(message: string, location?: ErrorLocation) {
    super(message);
    this.name = 'UserError';
    this.location = location;
  }
}

/** Several user errors found in one pass (e.g. every problem in a config file). */
export class UserErrors extends Error {
  readonly errors: readonly UserError[];

  constructor(errors: readonly UserError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'UserErrors';
    this.errors = errors;
  }
}

export function isUserError(err: unknown): err is UserError | UserErrors {
  return err instanceof UserError || err instanceof UserErrors;
}

/** The message of anything thrown, on one line. */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Collects user errors so one pass reports every problem; anything else propagates at once. */
export class ErrorList {
  private readonly errors: UserError[] = [];

  add(error: UserError): void {
    this.errors.push(error);
  }

  /** Runs `fn`; a user error is recorded (and undefined returned) instead of thrown. */
  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (err instanceof UserErrors) this.errors.push(...err.errors);
      else if (err instanceof UserError) this.errors.push(err);
      else throw err;
      return undefined;
    }
  }

  get size(): number {
    return this.errors.length;
  }

  /** Throws the one error, or all as UserErrors; returns when there were none. */
  throwIfAny(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new UserErrors(this.errors);
  }
}
