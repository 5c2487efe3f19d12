import { AsyncLocalStorage } from "node:async_hooks";
import { UserError } from "../errors/user-error.js";

/**
 * A per-request time budget for reads. The server runs an expensive request inside
 * `withDeadline`; the stores read it from here and cancel a query still running when it passes
 * (DuckDB: the connection is interrupted), so one costly request cannot hold the database.
 */
const current = new AsyncLocalStorage<{ at: number; ms: number }>();

export function withDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  return ms > 0 ? current.run({ at: Date.now() + ms, ms }, fn) : fn();
}

/** The running request's deadline, if any. */
export function deadline(): { at: number; ms: number } | undefined {
  return current.getStore();
}

export function deadlineExceeded(ms: number): UserError {
  return new UserError(
    "query_timeout",
    `the query ran past this server's ${ms} ms limit per request (DESKPULSE_QUERY_TIMEOUT_MS) and was cancelled; ask for a shorter range, a coarser grain or fewer groups`,
    503,
  );
}
