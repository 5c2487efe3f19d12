import { defaultSettings } from "../config/settings.js";
import { aggregates, flaggedCond } from "../metrics/compiler.js";
import { bucketLabelSql } from "../metrics/boundaries.js";
import { CATALOG, type MetricDef, qualityFlags } from "../metrics/catalog.js";
import type { Resolved } from "../metrics/request.js";
import { and, Params } from "../metrics/sql-builder.js";
import type { SqlDialect } from "../store/dialect.js";
import { type Row, table } from "../store/schema.js";
import type { SqlValue } from "../store/store.js";

const DAY = 86_400_000;

/**
 * What the rollup keeps, per (workspace, local day of the workspace's zone, channel, priority,
 * team, flagged or not): the compiler's own aggregates of every ticket metric it covers, as sums.
 * Local days, not UTC hours: every day, week, month, quarter, year and Persian bucket of that zone
 * is a union of its local days (a Tehran day starts at 20:30 UTC, so UTC hours would not do), and
 * a day holds a thousand times fewer rows than facts. Agent and topic are left out on purpose:
 * 25 agents × 10 topics would multiply the rows by 250 and leave little to roll up.
 */
export const ROLLUP_DIMS = ["channel", "priority", "team"] as const;
/** the rollup's columns of those dimensions (named as in ticket_facts, so the compiler's filters apply unchanged) */
export const DIM_COLS = ["channel", "priority", "team_id"];
/**
 * The percentile sketches keep channel only: a histogram has ~300 bins a day, so by channel ×
 * priority × team it would hold nearly as many rows as the facts of a big account. Durations
 * grouped or filtered by priority or team are read from the facts.
 */
export const SKETCH_DIMS = ["channel"] as const;
/** aggregate columns a0 … a(N−1) of ticket_rollup */
export const AGG_COLUMNS = 48;

/** Percentile sketch: log-spaced bins of ratio γ, so any value of 1 s or more is represented within ±1 %. */
const GAMMA = 1.019;
/**
 * SQL for the bin of a duration `x` (seconds): 0 below 1 s, else k with γ^(k−1) ≤ x < γ^k. A ratio
 * of logarithms is the same in any base, so DuckDB's log (base 10) and ClickHouse's (base e) agree.
 */
export function binSql(x: string): string {
  return `CASE WHEN ${x} >= 1 THEN floor(log(${x}) / log(${GAMMA})) + 1 ELSE 0 END`;
}
/** The value standing for bin k (seconds): the harmonic middle of its edges, within (γ − 1)/(γ + 1) ≈ 0.94 % of any value in it. Bin 0 is [0, 1 s). */
export function binValue(k: number): number {
  if (k <= 0) return 0.5;
  const lo = GAMMA ** (k - 1);
  const hi = lo * GAMMA;
  return (2 * lo * hi) / (lo + hi);
}
/** The stated bound on a sketched percentile's relative error (durations of 1 s and more). */
export const SKETCH_RELATIVE_ERROR = 0.01;

/** The catalog strings of a metric that are SQL (its condition and its aggregate's expressions). */
const sqlOf = (m: MetricDef): string[] => [m.where ?? "", ...Object.values(m.agg)].filter((v): v is string => typeof v === "string");

/**
 * The clock as the catalog reads it: only "a due time has passed" (`… <= {now}`), a test that can
 * turn true as time goes on and never back. The rollup stores such a metric's aggregates with the
 * clock stopped before any due time (`{now}` = 0), and keeps the rows that can still change
 * (ticket_rollup_due: open tickets with a target pending) for the planner to add the rest.
 */
const DUE_TEST = /<= \{now\}/g;
export const NOW_NEVER = "0";
const NOW_ALWAYS = "8640000000000000";

/** A ticket metric the rollup answers: a plain aggregate of ticket_facts with no setting in its SQL, and the clock only as a due-time test. */
export function rollable(m: MetricDef): boolean {
  if (m.table !== "ticket_facts" || m.multiQuery) return false;
  // {s:…}, {w}: a setting in the SQL would make stored sums stale; a duration's sketch cannot take the clock's part back
  if (m.agg.kind === "duration" && readsClock(m)) return false;
  return !sqlOf(m).some((v) => v.replace(DUE_TEST, "").includes("{"));
}

/** Whether a metric's SQL reads the clock. */
export function readsClock(m: MetricDef): boolean {
  return sqlOf(m).some((v) => v.includes("{now}"));
}

/** The metric with the clock read as the SQL `at` (the rollup stores it at NOW_NEVER). */
export function clockAt(m: MetricDef, at: string): MetricDef {
  if (!readsClock(m)) return m;
  const set = (v: string) => v.replaceAll("{now}", at);
  const agg = Object.fromEntries(Object.entries(m.agg).map(([k, v]) => [k, typeof v === "string" ? set(v) : v])) as MetricDef["agg"];
  return { ...m, where: m.where === undefined ? undefined : set(m.where), agg };
}

/** SQL: the fact row's contribution to some rollable metric can still change with the clock (its due-time test would answer otherwise later). */
export function clockDependent(): string | null {
  const parts = CATALOG.filter((m) => rollable(m) && readsClock(m)).flatMap((m) =>
    sqlOf(m)
      .filter((v) => v.includes("{now}"))
      .map((v) => {
        const [a, b] = [v.replaceAll("{now}", NOW_NEVER), v.replaceAll("{now}", NOW_ALWAYS)];
        return `NOT coalesce((${a}) = (${b}), (${a}) IS NULL AND (${b}) IS NULL)`;
      }),
  );
  return parts.length ? [...new Set(parts)].join(" OR ") : null;
}

/** Metrics that share a time column and quality flags share a scan, as in the compiler. */
export interface RollupGroup {
  id: string;
  time: string;
  flags: string[];
  metrics: MetricDef[];
  /** per metric: the aggregate aliases (m<k>_n, …) and the a<i> column each is stored in */
  columns: { metric: string; alias: string; col: string }[];
}

const CALENDAR: Resolved = { metrics: [], fromMs: 0, toMs: 0, groupBy: [], filters: {}, clock: "calendar", percentiles: [], compare: false };

function makeGroups(d: SqlDialect): RollupGroup[] {
  const groups = new Map<string, RollupGroup>();
  for (const m of CATALOG.filter(rollable)) {
    const flags = qualityFlags(m);
    const id = `${m.time}|${flags.join(",")}`;
    const g = groups.get(id) ?? { id, time: m.time, flags, metrics: [], columns: [] };
    groups.set(id, g);
    g.metrics.push(m);
  }
  for (const g of groups.values()) {
    g.metrics.forEach((m, k) => {
      for (const sql of aggregates(d, clockAt(m, NOW_NEVER), k, CALENDAR, defaultSettings(), new Params(d))) {
        const alias = /AS (m\d+_[a-z0-9_]+)$/.exec(sql)?.[1];
        if (!alias) throw new Error(`no alias in ${sql}`);
        g.columns.push({ metric: m.id, alias, col: `a${g.columns.length}` });
      }
    });
    if (g.columns.length > AGG_COLUMNS) throw new Error(`rollup group ${g.id} needs ${g.columns.length} aggregate columns, ticket_rollup has ${AGG_COLUMNS}`);
  }
  return [...groups.values()];
}

const groupCache = new Map<string, RollupGroup[]>();
export function rollupGroups(d: SqlDialect): RollupGroup[] {
  const g = groupCache.get(d.name) ?? makeGroups(d);
  groupCache.set(d.name, g);
  return g;
}

export function rollupGroupOf(d: SqlDialect, metricId: string): RollupGroup | undefined {
  return rollupGroups(d).find((g) => g.metrics.some((m) => m.id === metricId));
}

/** Duration metrics keep a sketch of their values (calendar clock); metrics with the same values share one (`key`). */
export function sketched(m: MetricDef): { expr: string; cond: string; key: string } | null {
  if (m.agg.kind !== "duration") return null;
  const cond = and(m.where && m.where !== `${m.time} IS NOT NULL` ? m.where : "TRUE", `${m.agg.calendar} IS NOT NULL`);
  return { expr: m.agg.calendar, cond, key: `${m.time}|${qualityFlags(m).join(",")}|${m.agg.calendar}|${cond}` };
}

/** A statement to run with its parameters. */
export interface Stmt {
  sql: string;
  params: SqlValue[];
}

/** Which facts a statement reads: all of a workspace's, or those of some tickets. */
export interface Scope {
  workspace: string;
  tickets?: string[];
  /** the local days are labelled in this zone */
  zone: string;
  /** [from, to) covering every time of the facts read (the zone's offsets are worked out over it) */
  from: number;
  to: number;
  /** +1 adds the facts' contributions, −1 takes them away (the old rows of a commit) */
  sign: 1 | -1;
}

function where(p: Params, s: Scope, time: string): string {
  return and(`workspace = ${p.add(s.workspace)}`, `${time} IS NOT NULL`, s.tickets ? `ticket_id IN (${s.tickets.map((t) => p.add(t)).join(", ")})` : undefined);
}

/**
 * INSERT … SELECT statements adding (or taking away) the contributions of the scoped facts: one
 * scan per group into ticket_rollup, one per duration metric into ticket_rollup_hist. Both tables
 * are sums: a commit appends −old and +new, so the rows of a cell add up to the facts' aggregates.
 */
export function contributionStatements(d: SqlDialect, s: Scope): Stmt[] {
  const out: Stmt[] = [];
  const dims = DIM_COLS.join(", ");
  const sign = (e: string) => (s.sign === 1 ? e : `-(${e})`);
  for (const g of rollupGroups(d)) {
    const p = new Params(d);
    const day = bucketLabelSql(d, "day", g.time, s.zone, "mon", s.from, s.to);
    const aggs = g.metrics.flatMap((m, k) => aggregates(d, clockAt(m, NOW_NEVER), k, CALENDAR, defaultSettings(), p));
    const inner = `SELECT ${day} AS day, ${dims}, ${flaggedCond(d, p, g.flags)} AS x, ${aggs.join(", ")} FROM ticket_facts WHERE ${where(p, s, g.time)} GROUP BY day, ${dims}, x`;
    const ws = p.add(s.workspace);
    const grp = p.add(g.id);
    // a whole workspace's rows in day order: the range tests of a read then skip most of the table (zone maps)
    const order = s.tickets ? "" : " ORDER BY day";
    out.push({
      sql: `INSERT INTO ticket_rollup (workspace, grp, day, ${dims}, x, ${g.columns.map((c) => c.col).join(", ")}) SELECT ${ws}, ${grp}, day, ${dims}, x, ${g.columns.map((c) => sign(c.alias)).join(", ")} FROM (${inner}) t${order}`,
      params: p.values,
    });
    const seen = new Set<string>();
    for (const m of g.metrics) {
      const sk = sketched(m);
      if (!sk || seen.has(sk.key)) continue;
      seen.add(sk.key);
      const q = new Params(d);
      const bin = binSql(sk.expr);
      const dayQ = bucketLabelSql(d, "day", g.time, s.zone, "mon", s.from, s.to);
      // flagged records never reach a percentile (the compiler groups them apart), so the sketch leaves them out
      const conds = and(where(q, s, g.time), sk.cond, `NOT (${flaggedCond(d, q, g.flags)})`);
      const wsQ = q.add(s.workspace);
      const mQ = q.add(sk.key);
      const hd = SKETCH_DIMS.join(", ");
      out.push({
        sql: `INSERT INTO ticket_rollup_hist (workspace, sketch, day, ${hd}, bin, n) SELECT ${wsQ}, ${mQ}, day, ${hd}, bin, ${sign("count(*)")} FROM (SELECT ${dayQ} AS day, ${hd}, ${bin} AS bin FROM ticket_facts WHERE ${conds}) t GROUP BY day, ${hd}, bin${order}`,
        params: q.values,
      });
    }
  }
  return out;
}

/**
 * The clock-dependent fact rows of the scope, for the planner's `{now}` part: taken away (sign −1)
 * or copied in (+1) beside the rollup's sums. Open tickets with a target pending: a few per agent.
 */
export function dueStatement(d: SqlDialect, s: Scope): Stmt | null {
  const cond = clockDependent();
  if (!cond) return null;
  const p = new Params(d);
  const w = and(`workspace = ${p.add(s.workspace)}`, s.tickets ? `ticket_id IN (${s.tickets.map((t) => p.add(t)).join(", ")})` : undefined);
  if (s.sign === -1) return { sql: `DELETE FROM ticket_rollup_due WHERE ${w}`, params: p.values };
  const cols = table("ticket_facts")
    .columns.map((c) => c.name)
    .join(", ");
  return { sql: `INSERT INTO ticket_rollup_due (${cols}) SELECT ${cols} FROM ticket_facts WHERE ${and(w, cond)}`, params: p.values };
}

/** The smallest and largest time of the scoped facts, over every time column the rollup reads (one query). */
export function spanStatement(d: SqlDialect, workspace: string, tickets?: string[]): Stmt {
  const p = new Params(d);
  const times = [...new Set(rollupGroups(d).map((g) => g.time))];
  const least = (f: "min" | "max") => times.map((t) => `${f}(${t}) AS ${f}_${t}`);
  const w = and(`workspace = ${p.add(workspace)}`, tickets ? `ticket_id IN (${tickets.map((t) => p.add(t)).join(", ")})` : undefined);
  return { sql: `SELECT ${[...least("min"), ...least("max")].join(", ")} FROM ticket_facts WHERE ${w}`, params: p.values };
}

/** [from, to) around a span row (whole UTC days either side, so the zone's day of each end is inside); null when there are no facts. */
export function spanOf(row: Row | undefined): { from: number; to: number } | null {
  if (!row) return null;
  const vals = Object.entries(row)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => [k, Number(v)] as const);
  const mins = vals.filter(([k]) => k.startsWith("min_")).map(([, v]) => v);
  const maxs = vals.filter(([k]) => k.startsWith("max_")).map(([, v]) => v);
  if (mins.length === 0) return null;
  return { from: Math.floor(Math.min(...mins) / DAY) * DAY - DAY, to: Math.floor(Math.max(...maxs) / DAY) * DAY + 2 * DAY };
}
