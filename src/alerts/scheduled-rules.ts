import type { MetricRow } from "../api/types.js";
import type { WorkspaceSettings } from "../config/settings.js";
import { METRICS } from "../metrics/catalog.js";
import { runMetrics } from "../metrics/compiler.js";
import type { MetricRequest } from "../metrics/request.js";
import type { Store } from "../store/store.js";
import type { Alert } from "./alert.js";
import { judge } from "./anomaly.js";
import type { AlertRule } from "./rules.js";
import type { Finding } from "./ticket-conditions.js";

const MIN = 60_000;
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

type ScheduledFinding = Finding & { metric: string; band: Alert["band"] };

/** The metric request's filters from a rule's filters (same dimension names as the metrics API). */
function filtersOf(rule: AlertRule): Record<string, string[]> {
  const f: Record<string, string[]> = {};
  for (const k of ["team", "channel", "priority", "agent"] as const) if (rule.filters[k]?.length) f[k] = rule.filters[k]!;
  return f;
}

const compare = (v: number, op: string, t: number) => (op === ">" ? v > t : op === ">=" ? v >= t : op === "<" ? v < t : v <= t);

/** Which number of a metric row the rule watches: value, or a duration's median / p90 / mean. */
function pick(row: MetricRow, statistic: string): number | null {
  const v = row[statistic as keyof MetricRow];
  return v === null || v === undefined ? null : Number(v);
}

/**
 * Metric rules (a catalog metric over a trailing window vs a threshold or its target) and
 * anomaly rules (the last complete hour vs the same weekday × hour of earlier weeks), computed
 * by the metric compiler like any API request.
 */
export async function evaluateScheduledRule(
  store: Store,
  workspace: string,
  settings: WorkspaceSettings,
  rule: AlertRule,
  now: number,
): Promise<ScheduledFinding[]> {
  const c = rule.condition;
  const base = {
    key: c.kind,
    ticket_id: null,
    team: rule.filters.team?.length === 1 ? rule.filters.team[0] : null,
    channel: null,
    priority: null,
    agent_id: null,
    due_at: null,
  };
  if (c.kind === "metric") {
    const def = METRICS.get(c.metric)!;
    const threshold = c.threshold ?? settings.targets[c.metric] ?? def.target;
    if (threshold === null || threshold === undefined) return [];
    const op = c.op ?? (def.direction === "lower_is_better" ? ">" : "<");
    const req: MetricRequest = {
      metrics: [c.metric],
      from: new Date(now - c.window_minutes * MIN).toISOString(),
      to: new Date(now).toISOString(),
      filters: filtersOf(rule),
    };
    const res = await runMetrics(store, workspace, settings, req);
    const row = res.rows.find((r) => r.metric === c.metric && !r.group);
    const value = row ? pick(row, c.statistic) : null;
    const count = row ? Number(row.count ?? row.denominator ?? (value === null ? 0 : 1)) : 0;
    if (value === null || count < c.min_count || !compare(value, op, threshold)) return [];
    return [{ ...base, metric: c.metric, value, threshold, unit: def.unit as Finding["unit"], band: null }];
  }
  if (c.kind === "anomaly") {
    const hourStart = Math.floor(now / HOUR) * HOUR - HOUR;
    const history = await hourlySeries(store, workspace, settings, rule, c.series, hourStart - c.history_weeks * WEEK, hourStart + HOUR);
    const value = history.get(hourStart) ?? (c.series === "ticket_volume" ? 0 : null);
    if (value === null) return [];
    history.delete(hourStart);
    const v = judge(hourStart, value, history, settings.timezone, {
      k: c.k,
      minWeeks: c.min_weeks,
      minDelta: c.min_delta,
      direction: c.direction,
      counts: c.series === "ticket_volume",
    });
    if (!v.anomalous) return [];
    const def = METRICS.get(c.series)!;
    return [
      {
        ...base,
        metric: c.series,
        value,
        threshold: value > v.median ? v.upper : v.lower,
        unit: def.unit as Finding["unit"],
        due_at: hourStart,
        band: { median: v.median, lower: v.lower, upper: v.upper },
      },
    ];
  }
  return [];
}

/** Hour start → value of a series over [from, to); ticket volume counts empty hours as 0. */
export async function hourlySeries(
  store: Store,
  workspace: string,
  settings: WorkspaceSettings,
  rule: AlertRule,
  series: string,
  from: number,
  to: number,
): Promise<Map<number, number>> {
  const res = await runMetrics(store, workspace, settings, {
    metrics: [series],
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    grain: "hour",
    filters: filtersOf(rule),
  });
  const out = new Map<number, number>();
  if (series === "ticket_volume") for (let t = from; t < to; t += HOUR) out.set(t, 0);
  for (const r of res.rows) {
    if (!r.bucket || r.group) continue;
    const v = series === "first_response_time" ? r.median : r.value;
    if (v !== null && v !== undefined) out.set(Date.parse(r.bucket), Number(v));
  }
  return out;
}
