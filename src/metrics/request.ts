import { localToUtc } from "../calendar/tz.js";
import { UserError } from "../errors/user-error.js";
import { realDate } from "../events/validate.js";
import { AGENT_SCORECARD, METRICS } from "./catalog.js";
import { GRAIN_SHORTEST_MS, GRAINS, type Grain } from "./grains.js";

export interface MetricRequest {
  metrics: string[];
  from: string;
  to: string;
  grain?: Grain;
  groupBy?: string[];
  filters?: Record<string, string | string[]>;
  clock?: "calendar" | "business";
  percentiles?: number[];
  compare?: boolean;
  /** "facts": answer from the fact tables even where a rollup fits (to check it); "rollup": from the rollup wherever it fits, even for a small workspace; default "auto" (the rollup for workspaces of ROLLUP_MIN_TICKETS, 5,000,000 tickets, or more: planner.ts) */
  source?: "auto" | "facts" | "rollup";
}

export interface Resolved {
  metrics: string[];
  fromMs: number;
  toMs: number;
  grain?: Grain;
  groupBy: string[];
  filters: Record<string, string[]>;
  clock: "calendar" | "business";
  percentiles: number[];
  compare: boolean;
}

/** Percentiles every duration row carries (median, p90), whatever the request asks on top. */
export const ALWAYS_PERCENTILES = [50, 90];

/** Dimensions a user may group or filter by, and the fact column behind each. */
export const DIMENSIONS: Record<string, string> = {
  channel: "channel",
  agent: "agent_id",
  team: "team_id",
  priority: "priority",
  topic: "topic",
  segment: "segment",
  step: "abandon_step",
  queue: "queue",
  touchpoint: "touchpoint",
  question: "question",
  status: "status",
};

function isDimension(d: string): boolean {
  return d in DIMENSIONS || d === "tag" || /^field\.[A-Za-z0-9_ .-]{1,64}$/.test(d);
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * One end of a time range. Ranges are [from, to): `from` is included, `to` is not. A date alone
 * (2026-03-01) is that day's local midnight in the workspace zone, like the day buckets; a time
 * without an offset is read in that zone too. Anything else — 01/10/2026 (1 October or 10
 * January?), 2026-02-30 — is refused rather than guessed.
 */
export function rangeInstant(s: unknown, name: string, tz: string): number {
  if (typeof s !== "string" || s === "") throw new UserError("invalid_request", `"${name}" is required: an ISO 8601 date or time, e.g. 2026-01-01`);
  const m = ISO_DATE_TIME.exec(s.trim());
  if (!m)
    throw new UserError(
      "invalid_date",
      `"${name}" must be an ISO 8601 date (2026-03-01) or time (2026-03-01T09:00:00Z); "${s}" is not one (dates like 01/10/2026 read differently across countries)`,
    );
  const [y, mo, d, hh, mi, ss] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number);
  if (!realDate(y, mo, d, hh, mi, ss)) throw new UserError("invalid_date", `"${name}" is not a real date or time: "${s}"`);
  if (m[8]) return Date.parse(s.trim().replace(" ", "T"));
  return localToUtc(y, mo, d, hh * 60 + mi, tz) + ss * 1000 + (m[7] ? Math.round(Number(m[7]) * 1000) : 0);
}

/** More buckets than this in one answer is an error with a hint, never a silent cut. */
export const MAX_BUCKETS = 10_000;

/** Checks a request and says exactly what is wrong; expands composite metrics. */
export function resolveRequest(req: MetricRequest, timezone = "UTC"): Resolved {
  if (!req || typeof req !== "object") throw new UserError("invalid_request", "send a JSON object with metrics, from and to");
  if (!Array.isArray(req.metrics) || req.metrics.length === 0)
    throw new UserError("invalid_request", '"metrics" must be a non-empty list of metric ids (see GET /api/v1/metrics/catalog)');
  const metrics: string[] = [];
  let groupBy = Array.isArray(req.groupBy) ? req.groupBy.map(String) : [];
  for (const m of req.metrics) {
    if (m === "agent_scorecard") {
      metrics.push(...AGENT_SCORECARD);
      if (!groupBy.includes("agent")) groupBy = ["agent", ...groupBy];
    } else if (METRICS.has(m)) metrics.push(m);
    else throw new UserError("unknown_metric", `unknown metric "${m}"; GET /api/v1/metrics/catalog lists them`);
  }
  const fromMs = rangeInstant(req.from, "from", timezone);
  const toMs = rangeInstant(req.to, "to", timezone);
  if (toMs <= fromMs) throw new UserError("invalid_request", `"to" (${req.to}) must be after "from" (${req.from}); the range is [from, to)`);
  if (req.grain !== undefined && !GRAINS.includes(req.grain)) throw new UserError("invalid_request", `"grain" must be one of ${GRAINS.join(", ")}`);
  if (req.grain !== undefined && Math.floor((toMs - fromMs) / GRAIN_SHORTEST_MS[req.grain]) + 1 > MAX_BUCKETS) {
    const fits = GRAINS.find((g) => Math.floor((toMs - fromMs) / GRAIN_SHORTEST_MS[g]) + 1 <= MAX_BUCKETS);
    throw new UserError(
      "too_many_buckets",
      `${req.from} … ${req.to} by ${req.grain} is more than ${MAX_BUCKETS.toLocaleString("en-US")} buckets; use a shorter range${fits ? ` or "grain": "${fits}"` : ""}`,
    );
  }
  for (const d of groupBy)
    if (!isDimension(d))
      throw new UserError("unknown_dimension", `cannot group by "${d}"; use ${[...Object.keys(DIMENSIONS), "tag", "field.<name>"].join(", ")}`);
  const filters: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(req.filters ?? {})) {
    if (!isDimension(k))
      throw new UserError("unknown_dimension", `cannot filter by "${k}"; use ${[...Object.keys(DIMENSIONS), "tag", "field.<name>"].join(", ")}`);
    const list = (Array.isArray(v) ? v : [v]).map(String);
    if (list.length > 0) filters[k] = list;
  }
  if (req.source !== undefined && !["auto", "facts", "rollup"].includes(req.source))
    throw new UserError("invalid_request", '"source" must be "auto" (the rollup where it fits, for big workspaces), "facts" or "rollup"');
  const clock = req.clock ?? "calendar";
  if (clock !== "calendar" && clock !== "business") throw new UserError("invalid_request", '"clock" must be "calendar" or "business"');
  if (req.percentiles !== undefined && !Array.isArray(req.percentiles))
    throw new UserError("invalid_request", '"percentiles" must be a list of numbers between 0 and 100, e.g. [75, 95]');
  const asked = (req.percentiles ?? []).map(Number);
  for (const p of asked) if (!(p > 0 && p < 100)) throw new UserError("invalid_request", `percentiles must be numbers between 0 and 100, got ${p}`);
  // every duration row carries the median and p90, plus whatever was asked
  const percentiles = [...new Set([...ALWAYS_PERCENTILES, ...asked])].sort((a, b) => a - b);
  return { metrics: [...new Set(metrics)], fromMs, toMs, grain: req.grain, groupBy, filters, clock, percentiles, compare: Boolean(req.compare) };
}
