/**
 * The one error class for anything a user can fix: bad input, bad config, a missing key.
 * `code` is stable (scripts match on it); `message` says what to do. The API turns it into
 * `{ "error": { "code", "message", "details"? } }` with `status`.
 */
export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "UserError";
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
