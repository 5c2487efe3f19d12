import { createMiddleware } from "hono/factory";
import { UserError } from "../errors/user-error.js";
import { withDeadline } from "../store/deadline.js";
import { GRAIN_SHORTEST_MS, type Grain } from "../metrics/grains.js";

export interface AppOptions {
  /** largest accepted body of /events and webhooks, in bytes (after decompression); DESKPULSE_MAX_BODY */
  maxBodyBytes?: number;
  /** largest body of every other route (JSON requests); default 1 MiB or maxBodyBytes if smaller */
  jsonBodyBytes?: number;
  /** requests a minute per key (0 = no limit); DESKPULSE_RATE_LIMIT */
  ratePerMinute?: number;
  /** sign-in attempts a minute per address; DESKPULSE_SIGNIN_LIMIT */
  signInsPerMinute?: number;
  /** time budget of one metrics / drill-down / view request, ms (0 = none); DESKPULSE_QUERY_TIMEOUT_MS */
  queryTimeoutMs?: number;
  /** most buckets × metrics × estimated groups one metrics request may ask for; DESKPULSE_MAX_CELLS */
  maxCells?: number;
  /** how long a dashboard sign-in lasts, ms; DESKPULSE_SESSION_HOURS */
  sessionMs?: number;
  /** folder of the built dashboard */
  webRoot?: string;
}

export type Limits = Required<Omit<AppOptions, "webRoot">>;

function envNumber(name: string, dflt: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new UserError("invalid_config", `${name} must be a number ≥ 0, got "${raw}"`);
  return n;
}

/** The server's bounds on input size, request rate and request cost: options, else environment, else defaults. */
export function serverLimits(o: AppOptions = {}): Limits {
  const maxBodyBytes = o.maxBodyBytes ?? envNumber("DESKPULSE_MAX_BODY", 64 * 1024 * 1024);
  return {
    maxBodyBytes,
    jsonBodyBytes: o.jsonBodyBytes ?? Math.min(maxBodyBytes, 1024 * 1024),
    ratePerMinute: o.ratePerMinute ?? envNumber("DESKPULSE_RATE_LIMIT", 1200),
    signInsPerMinute: o.signInsPerMinute ?? envNumber("DESKPULSE_SIGNIN_LIMIT", 30),
    queryTimeoutMs: o.queryTimeoutMs ?? envNumber("DESKPULSE_QUERY_TIMEOUT_MS", 30_000),
    maxCells: o.maxCells ?? envNumber("DESKPULSE_MAX_CELLS", 1_000_000),
    sessionMs: o.sessionMs ?? envNumber("DESKPULSE_SESSION_HOURS", 12) * 3_600_000,
  };
}

/** A whole number from the query string within [min, max], the default when absent, else a 400 naming it. */
export function queryInt(raw: string | undefined, name: string, min: number, max: number, dflt: number): number {
  if (raw === undefined || raw === "") return dflt;
  const n = /^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= min && n <= max))
    throw new UserError("invalid_request", `${name}: a whole number from ${min} to ${max}, got "${raw.slice(0, 40)}"`, 400, { path: name });
  return n;
}

/** groups a group-by dimension is assumed to have before the query runs (the deadline bounds the rest) */
export const GROUPS_PER_DIMENSION = 20;

/**
 * The size of a metrics answer before it is computed — buckets × metrics × groups, groups
 * estimated at GROUPS_PER_DIMENSION per group-by dimension, doubled by `compare` — refused
 * over `maxCells` with a hint, so an hourly ten-year grouped request never reaches the database.
 */
export function checkCost(req: { metrics: string[]; from: string; to: string; grain?: Grain; groupBy?: string[]; compare?: boolean }, maxCells: number): void {
  if (!(maxCells > 0)) return;
  const span = Date.parse(req.to) - Date.parse(req.from);
  if (!Number.isFinite(span) || span <= 0) return; // the metric request check says what is wrong
  const buckets = req.grain ? Math.ceil(span / GRAIN_SHORTEST_MS[req.grain]) + 1 : 1;
  const groups = GROUPS_PER_DIMENSION ** (req.groupBy?.length ?? 0);
  const cells = buckets * req.metrics.length * groups * (req.compare ? 2 : 1);
  if (cells > maxCells)
    throw new UserError(
      "request_too_costly",
      `this request asks for about ${cells.toLocaleString("en-US")} values (${buckets.toLocaleString("en-US")} ${req.grain ?? ""} buckets × ${req.metrics.length} metrics × ~${groups} groups); the limit is ${maxCells.toLocaleString("en-US")} (DESKPULSE_MAX_CELLS): use a coarser grain, a shorter range, fewer metrics or fewer group-by dimensions`,
      400,
      { cells, limit: maxCells },
    );
}

/** Route middleware: the request's queries run under a deadline of `ms` (0: none); a query still running past it is cancelled (503). */
export const timeBudget = (ms: number) => createMiddleware(async (_c, next) => withDeadline(ms, next));
