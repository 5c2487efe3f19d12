import { UserError } from "../errors/user-error.js";
import { AGENT_SCORECARD, METRICS } from "./catalog.js";
import { GRAINS, type Grain } from "./dialect.js";

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

function instant(s: unknown, name: string): number {
  if (typeof s !== "string" || s === "") throw new UserError("invalid_request", `"${name}" is required: an ISO 8601 date or time, e.g. 2026-01-01`);
  const t = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : Date.parse(s);
  if (Number.isNaN(t)) throw new UserError("invalid_request", `"${name}" is not a date: "${s}"`);
  return t;
}

/** Checks a request and says exactly what is wrong; expands composite metrics. */
export function resolveRequest(req: MetricRequest): Resolved {
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
  const fromMs = instant(req.from, "from");
  const toMs = instant(req.to, "to");
  if (toMs <= fromMs) throw new UserError("invalid_request", `"to" (${req.to}) must be after "from" (${req.from})`);
  if (req.grain !== undefined && !GRAINS.includes(req.grain)) throw new UserError("invalid_request", `"grain" must be one of ${GRAINS.join(", ")}`);
  for (const d of groupBy) if (!isDimension(d)) throw new UserError("unknown_dimension", `cannot group by "${d}"; use ${[...Object.keys(DIMENSIONS), "tag", "field.<name>"].join(", ")}`);
  const filters: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(req.filters ?? {})) {
    if (!isDimension(k)) throw new UserError("unknown_dimension", `cannot filter by "${k}"; use ${[...Object.keys(DIMENSIONS), "tag", "field.<name>"].join(", ")}`);
    const list = (Array.isArray(v) ? v : [v]).map(String);
    if (list.length > 0) filters[k] = list;
  }
  const clock = req.clock ?? "calendar";
  if (clock !== "calendar" && clock !== "business") throw new UserError("invalid_request", '"clock" must be "calendar" or "business"');
  const percentiles = (req.percentiles ?? [50, 90]).map(Number);
  for (const p of percentiles) if (!(p > 0 && p < 100)) throw new UserError("invalid_request", `percentiles must be numbers between 0 and 100, got ${p}`);
  return { metrics: [...new Set(metrics)], fromMs, toMs, grain: req.grain, groupBy, filters, clock, percentiles, compare: Boolean(req.compare) };
}
