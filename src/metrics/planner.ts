import type { WorkspaceSettings } from "../config/settings.js";
import { zoneOffset } from "../calendar/zone-offsets.js";
import { rollupZone } from "../rollups/maintain.js";
import {
  binValue,
  clockAt,
  NOW_NEVER,
  ROLLUP_DIMS,
  readsClock,
  SKETCH_DIMS,
  rollable,
  rollupGroupOf,
  SKETCH_RELATIVE_ERROR,
  sketched,
} from "../rollups/ticket-rollup.js";
import type { Row } from "../store/schema.js";
import type { Store } from "../store/store.js";
import { bucketLabelSql } from "./boundaries.js";
import { bucketStart } from "./buckets.js";
import type { MetricDef } from "./catalog.js";
import { aggregates, flaggedCond, type MetricResult } from "./compiler.js";
import { DIMENSIONS, type Resolved } from "./request.js";
import { and, filterConds, Params } from "./sql-builder.js";

const DAY = 86_400_000;
/**
 * Below this many tickets the facts answer: they are fast enough, and exact. Rollups are for the
 * big accounts, where a scan of the facts takes seconds (at 1M the facts were still faster than
 * the rollup, at 25M the rollup took 4.6× less CPU: BENCHMARKS.md, Rollups).
 */
export const ROLLUP_MIN_TICKETS = 5_000_000;

/** isBig, asked once per request */
function bigEnough(plan: Plan, store: Store, workspace: string): Promise<boolean> {
  plan.big = plan.big ?? isBig(store, workspace);
  return plan.big;
}

/** rollupZone, asked once per request (null: the workspace has no rollup) */
function zoneOf(plan: Plan, store: Store, workspace: string): Promise<string | null> {
  plan.zone = plan.zone ?? rollupZone(store, store, workspace);
  return plan.zone;
}

/** The workspace's ticket count, from the rollup (a few hundred thousand rows at most, not the facts). */
async function isBig(store: Store, workspace: string): Promise<boolean> {
  const g = rollupGroupOf(store.dialect, "ticket_volume");
  const col = g?.columns.find((c) => c.metric === "ticket_volume")?.col;
  if (!g || !col) return false;
  const p = new Params(store.dialect);
  const rows = await store.query<Row>(`SELECT sum(${col}) AS n FROM ticket_rollup WHERE workspace = ${p.add(workspace)} AND grp = ${p.add(g.id)}`, p.values);
  return Number(rows[0]?.n ?? 0) >= ROLLUP_MIN_TICKETS;
}

/** Which path answered a request, filled in as its scans run (shared by the request's copies of Resolved). */
export interface Plan {
  /** "facts": never read the rollup (a check, or a comparison); "rollup": wherever it fits, whatever the workspace's size */
  force?: "facts" | "rollup";
  /** whether the workspace is big enough for the rollup (asked once per request) */
  big?: Promise<boolean>;
  /** the zone the workspace's rollup is labelled in, null without one (asked once per request) */
  zone?: Promise<string | null>;
  rollup: number;
  facts: number;
  approximate: boolean;
}

export function newPlan(force?: "facts" | "rollup"): Plan {
  return { force, rollup: 0, facts: 0, approximate: false };
}

/** The result's fields saying which path answered and whether any value is approximate. */
export function planFields(plan: Plan): Pick<MetricResult, "source" | "approximate" | "relative_error"> {
  const source = plan.rollup === 0 ? "facts" : plan.facts === 0 ? "rollup" : "mixed";
  return { source, approximate: plan.approximate, ...(plan.approximate ? { relative_error: SKETCH_RELATIVE_ERROR } : {}) };
}

/** The local-day label of an instant that starts a day of `tz` (null if it does not). */
function dayLabel(ms: number, tz: string): number | null {
  if (bucketStart("day", ms, tz, "mon") !== ms) return null;
  return Math.floor((ms + zoneOffset(ms, tz)) / DAY) * DAY;
}

/**
 * Why a scan cannot be read from the rollup (null: it can). The rollup holds calendar-clock
 * aggregates by local day of the zone it was built in, by channel, priority and team: anything
 * finer (an hour grain, a range not on day boundaries, agent, topic, a custom field, the business
 * clock, a metric that reads a setting) goes to the facts.
 */
function misfit(r: Resolved, metrics: MetricDef[], tz: string, from: number, to: number): string | null {
  if (r.clock !== "calendar") return "business clock";
  if (r.grain === "hour") return "hour grain";
  // metrics of one compiler scan may sit in several rollup groups (other quality flags): each is read from its own
  if (!metrics.every(rollable)) return "metric not in the rollup";
  if (![...r.groupBy, ...Object.keys(r.filters)].every((x) => (ROLLUP_DIMS as readonly string[]).includes(x))) return "dimension not in the rollup";
  const sketches = r.percentiles.length > 0 && metrics.some((m) => sketched(m));
  if (sketches && ![...r.groupBy, ...Object.keys(r.filters)].every((x) => (SKETCH_DIMS as readonly string[]).includes(x)))
    return "percentiles by a dimension the sketch lacks";
  if (dayLabel(from, tz) === null || dayLabel(to, tz) === null) return "range not on day boundaries";
  return null;
}

/** R-7 percentile (as the dialects' exact ones) from sorted (value, count) pairs. */
function percentile(bins: [number, number][], total: number, q: number): number | null {
  if (total <= 0) return null;
  const h = (total - 1) * q;
  const lo = Math.floor(h);
  const at = (rank: number) => {
    let seen = 0;
    for (const [v, n] of bins) {
      seen += n;
      if (rank < seen) return v;
    }
    return bins[bins.length - 1][0];
  };
  const a = at(lo);
  return a + (h - lo) * (at(Math.min(lo + 1, total - 1)) - a);
}

/**
 * The rows a compiler scan would have read from the facts — bucket label b, groups g0…, flagged x,
 * aggregates m<k>_… and percentiles m<k>_q<j> — read from the rollup instead, or null when the
 * request does not fit it (then the compiler reads the facts). Counts and sums are the facts'
 * exactly; percentiles come from the merged log-bucketed histograms, within ±1 %.
 */
export async function readRollup(
  store: Store,
  workspace: string,
  settings: WorkspaceSettings,
  r: Resolved & { plan?: Plan },
  metrics: MetricDef[],
  fromMs: number,
  toMs: number,
  log: MetricResult["queries"],
): Promise<Row[] | null> {
  const plan = r.plan;
  const tz = settings.timezone;
  const d = store.dialect;
  if (
    !plan ||
    plan.force === "facts" ||
    !store.factsHook ||
    misfit(r, metrics, tz, fromMs, toMs) ||
    (await zoneOf(plan, store, workspace)) !== tz ||
    (plan.force !== "rollup" && !(await bigEnough(plan, store, workspace)))
  ) {
    if (plan) plan.facts++;
    return null;
  }
  plan.rollup++;
  const from = dayLabel(fromMs, tz)!;
  const to = dayLabel(toMs, tz)!;
  // bucket labels of local-day labels: the zone's buckets are UTC buckets of the labels
  const bucket = r.grain ? bucketLabelSql(d, r.grain, "day", "UTC", settings.week_start, from, to) : null;
  const dims = r.groupBy.map((x) => DIMENSIONS[x]);
  const keyCols = [...(bucket ? ["b"] : []), ...dims.map((_, i) => `g${i}`)];
  const select = [...(bucket ? [`${bucket} AS b`] : []), ...dims.map((c, i) => `${c} AS g${i}`)];
  const filtered = (table: string, p: Params) =>
    and(`workspace = ${p.add(workspace)}`, `day >= ${p.add(from)}`, `day < ${p.add(to)}`, ...filterConds(d, table, r.filters, p, metrics[0].id));
  // Each metric is read from its rollup group, whose x says "carries one of this metric's flags":
  // its flagged rows then hold everything it leaves out, as the compiler's x rows and m<k>_y together.
  const groups = [...new Set(metrics.map((m) => rollupGroupOf(d, m.id)!))];
  const cols = new Set(groups.flatMap((g) => g.columns.map((c) => c.col)));
  const p = new Params(d);
  const where = and(filtered("ticket_rollup", p), `grp IN (${groups.map((g) => p.add(g.id)).join(", ")})`);
  const groupCols = [...keyCols, "x", "grp"];
  const sql = `SELECT ${[...select, "x", "grp", ...[...cols].map((c) => `sum(${c}) AS ${c}`)].join(", ")} FROM ticket_rollup WHERE ${where} GROUP BY ${groupCols.join(", ")} ORDER BY ${groupCols.join(", ")}`;
  log?.push({ sql, params: p.values });
  const merged = new Map<string, Row>();
  const cell = (row: Row) => {
    const k = JSON.stringify([...keyCols.map((c) => row[c] ?? null), row.x === true || Number(row.x) === 1]);
    const out = merged.get(k) ?? Object.fromEntries([...keyCols, "x"].map((c) => [c, row[c] ?? null]));
    merged.set(k, out);
    return out;
  };
  for (const row of await store.query<Row>(sql, p.values)) {
    const out = cell(row);
    metrics.forEach((m, k) => {
      const g = rollupGroupOf(d, m.id)!;
      if (g.id !== row.grp) return;
      // the aggregates of metric k (its index in this scan) are columns of its rollup group
      for (const c of g.columns) if (c.metric === m.id) out[c.alias.replace(/^m\d+_/, `m${k}_`)] = row[c.col];
    });
  }
  // the clock's part of a due-time test: what the rows still open add now, over what they added at "never"
  for (const [k, m] of metrics.entries()) {
    if (!readsClock(m)) continue;
    const q = new Params(d);
    const calendar = { ...r, percentiles: [] };
    const g = rollupGroupOf(d, m.id)!;
    const now = aggregates(d, m, k, calendar, settings, q);
    const never = aggregates(d, clockAt(m, NOW_NEVER), k, calendar, settings, q).map((a) => a.replace(/ AS m(\d+_)/, " AS z$1"));
    const dueBucket = r.grain ? bucketLabelSql(d, r.grain, m.time, tz, settings.week_start, fromMs, toMs) : null;
    const dueSelect = [...(dueBucket ? [`${dueBucket} AS b`] : []), ...dims.map((c, i) => `${c} AS g${i}`), `${flaggedCond(d, q, g.flags)} AS x`];
    const dueWhere = and(
      `workspace = ${q.add(workspace)}`,
      `${m.time} >= ${q.add(fromMs)}`,
      `${m.time} < ${q.add(toMs)}`,
      ...filterConds(d, "ticket_rollup_due", r.filters, q, m.id),
    );
    const dsql = `SELECT ${[...dueSelect, ...now, ...never].join(", ")} FROM ticket_rollup_due WHERE ${dueWhere} GROUP BY ${[...keyCols, "x"].join(", ")}`;
    log?.push({ sql: dsql, params: q.values });
    for (const row of await store.query<Row>(dsql, q.values)) {
      const out = cell(row);
      for (const [f, v] of Object.entries(row))
        if (f.startsWith(`z${k}_`)) {
          const a = `m${f.slice(1)}`;
          out[a] = Number(out[a] ?? 0) + Number(row[a] ?? 0) - Number(v ?? 0);
        }
    }
  }
  const rows = [...merged.values()];
  const key = (row: Row) => JSON.stringify(keyCols.map((c) => row[c] ?? null));
  for (const [k, m] of metrics.entries()) {
    const sk = sketched(m);
    if (!sk || r.percentiles.length === 0) continue;
    plan.approximate = true;
    const q = new Params(d);
    const hsql = `SELECT ${[...select, "bin", "sum(n) AS n"].join(", ")} FROM ticket_rollup_hist WHERE ${and(filtered("ticket_rollup_hist", q), `sketch = ${q.add(sk.key)}`)} GROUP BY ${[...keyCols, "bin"].join(", ")} ORDER BY ${[...keyCols, "bin"].join(", ")}`;
    log?.push({ sql: hsql, params: q.values });
    const bins = new Map<string, [number, number][]>();
    for (const h of await store.query<Row>(hsql, q.values)) {
      const n = Number(h.n);
      if (n === 0) continue;
      const list = bins.get(key(h)) ?? [];
      list.push([binValue(Number(h.bin)), n]);
      bins.set(key(h), list);
    }
    for (const row of rows) {
      if (row.x === true || Number(row.x) === 1) continue;
      const list = bins.get(key(row)) ?? [];
      const total = list.reduce((t, [, n]) => t + n, 0);
      r.percentiles.forEach((pc, j) => {
        row[`m${k}_q${j}`] = percentile(list, total, pc / 100);
      });
    }
  }
  return rows;
}
