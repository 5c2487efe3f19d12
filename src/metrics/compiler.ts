import { compileCalendar, workingDays } from "../calendar/index.js";
import type { WorkspaceSettings } from "../config/settings.js";
import { isUserError } from "../errors/user-error.js";
import type { Row } from "../store/schema.js";
import type { Store } from "../store/store.js";
import { bucketLabelSql } from "./boundaries.js";
import { bucketList, labelToInstant, nextBucket } from "./buckets.js";
import { METRICS, type MetricDef, qualityFlags } from "./catalog.js";
import type { SqlDialect } from "../store/dialect.js";
import { type MetricRequest, type Resolved, resolveRequest } from "./request.js";
import { runSpecial } from "./multi-query.js";
import { newPlan, type Plan, planFields, readRollup } from "./planner.js";
import { and, bindSettings, dimExpr, filterConds, hasColumn, Params, source } from "./sql-builder.js";
import { getOrInit } from "../util/maps.js";

/** One number of the answer, with what it is made of. */
export interface MetricRow {
  metric: string;
  bucket?: string;
  group?: Record<string, string | null>;
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  count?: number;
  mean?: number | null;
  median?: number | null;
  p90?: number | null;
  /** records left out because a data-quality flag makes their times untrustworthy (DISTORTING_FLAGS) */
  excluded?: number;
  [extra: string]: unknown;
}

export interface MetricResult {
  rows: MetricRow[];
  /** metrics of a multi-metric request that could not be answered as asked (e.g. grouped by a dimension they lack) */
  errors?: { metric: string; code: string; message: string }[];
  /** the SQL that ran and its parameters, for "explain" */
  queries?: { sql: string; params: unknown[] }[];
  /** which path answered: the rollup, the facts, or both (some scans each); see planner.ts */
  source?: "rollup" | "facts" | "mixed";
  /** some values (percentiles from the rollup's sketch) are approximate, within `relative_error` */
  approximate?: boolean;
  relative_error?: number;
}

interface Scan {
  table: string;
  time: string;
  metrics: MetricDef[];
}

const pname = (p: number) => (p === 50 ? "median" : `p${String(p).replace(".", "_")}`);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The aggregate select-list of one metric (aliases m<k>_…). */
export function aggregates(d: SqlDialect, m: MetricDef, k: number, r: Resolved, settings: WorkspaceSettings, p: Params): string[] {
  // "time column IS NOT NULL" is implied by the scan's range on that column: no per-row test
  const cond = m.where && m.where !== `${m.time} IS NOT NULL` ? bindSettings(m.where, settings, p) : "TRUE";
  const a = m.agg;
  switch (a.kind) {
    case "duration": {
      const e = r.clock === "business" ? a.business : a.calendar;
      const c = and(cond, `${e} IS NOT NULL`);
      // with no condition but "has a value", aggregates skip NULLs by themselves
      const plain = cond === "TRUE";
      return [
        plain ? `count(${e}) AS m${k}_n` : `${d.countIf(c)} AS m${k}_n`,
        plain ? `sum(${e}) AS m${k}_sum` : `${d.sumIf(e, c)} AS m${k}_sum`,
        ...(r.percentiles.length
          ? d.percentiles(
              plain ? e : `CASE WHEN ${c} THEN ${e} END`,
              r.percentiles.map((q) => q / 100),
            ).map((sql, j) => `${sql} AS m${k}_q${j}`)
          : []),
      ];
    }
    case "rate":
      return [`${d.countIf(and(cond, bindSettings(a.num, settings, p)))} AS m${k}_num`, `${d.countIf(and(cond, bindSettings(a.den, settings, p)))} AS m${k}_den`];
    case "ratio":
      // m_c: the records it reads, to say how many flagged ones it left out
      return [`${d.sumIf(bindSettings(a.num, settings, p), and(cond))} AS m${k}_num`, `${d.sumIf(bindSettings(a.den, settings, p), and(cond))} AS m${k}_den`, `${d.countIf(and(cond))} AS m${k}_c`];
    case "mean":
      return [`${d.countIf(and(cond, `${a.expr} IS NOT NULL`))} AS m${k}_n`, `${d.sumIf(a.expr, and(cond))} AS m${k}_sum`];
    case "count":
      return [`${d.countIf(and(cond))} AS m${k}_n`];
    case "nps":
      return [`${d.countIf(and(cond))} AS m${k}_n`, `${d.countIf(and(cond, a.promoter))} AS m${k}_pro`, `${d.countIf(and(cond, a.detractor))} AS m${k}_det`];
  }
}

/** Turns one result row's aggregates of metric k into the answer's fields; null when it counted nothing. */
type Core = { value: number | null; [k: string]: unknown };

function shape(m: MetricDef, k: number, row: Row, r: Resolved): Core | null {
  const a = m.agg;
  const g = (s: string) => num(row[`m${k}_${s}`]);
  switch (a.kind) {
    case "duration": {
      const n = g("n") ?? 0;
      if (n === 0) return null;
      const out: Core = { value: g("sum")! / n, count: n, mean: g("sum")! / n, numerator: g("sum"), denominator: n };
      r.percentiles.forEach((q, j) => {
        out[pname(q)] = g(`q${j}`);
      });
      return out;
    }
    case "rate": {
      const den = g("den") ?? 0;
      if (den === 0) return null;
      return { value: ((g("num") ?? 0) / den) * 100, numerator: g("num") ?? 0, denominator: den, count: den };
    }
    case "ratio": {
      const den = g("den") ?? 0;
      if (den === 0) return null;
      const v = (g("num") ?? 0) / den;
      return { value: m.unit === "percent" ? v * 100 : v, numerator: g("num") ?? 0, denominator: den, count: den };
    }
    case "mean": {
      const n = g("n") ?? 0;
      if (n === 0) return null;
      return { value: g("sum")! / n, mean: g("sum")! / n, count: n, numerator: g("sum"), denominator: n };
    }
    case "count": {
      const n = g("n") ?? 0;
      if (n === 0) return null;
      return { value: n, count: n };
    }
    case "nps": {
      const n = g("n") ?? 0;
      if (n === 0) return null;
      const pro = g("pro") ?? 0;
      const det = g("det") ?? 0;
      return { value: ((pro - det) / n) * 100, numerator: pro - det, denominator: n, count: n, promoters: pro, passives: n - pro - det, detractors: det };
    }
  }
}

/** SQL condition "this record carries one of `flags`" (see qualityFlags; flags is "a,b"; each flag a parameter); never NULL. */
export function flaggedCond(d: SqlDialect, p: Params, flags: string[]): string {
  // coalesce: no NULL may reach the condition (old ClickHouse turns NOT(NULL) into NULL, i.e. "leave out");
  // CASE: the string tests run only on the few rows that carry flags
  return `CASE WHEN flags IS NULL THEN 1 = 0 ELSE ${flags.map((f) => d.tagMatch(`(',' || coalesce(flags, '') || ',')`, p.add(`,${f},`))).join(" OR ")} END`;
}

/** Of a flagged group's aggregates, the records metric k would have counted (its sample). */
function excludedCount(m: MetricDef, k: number, row: Row): number {
  const kind = m.agg.kind;
  return num(row[`m${k}_${kind === "rate" ? "den" : kind === "ratio" ? "c" : "n"}`]) ?? 0;
}

/** A number with nothing counted; a duration still names its mean and percentiles (as null). */
function empty(m: MetricDef, r: Resolved): Core {
  return m.agg.kind === "duration" ? { value: null, count: 0, mean: null, ...Object.fromEntries(r.percentiles.map((q) => [pname(q), null])) } : { value: null, count: 0 };
}

/**
 * One query over one fact table answers every metric that shares its table and time column.
 * Flagged records are not filtered out but grouped apart (key x): the same scan gives the numbers
 * without them and, from the flagged groups, how many each number left out.
 */
async function runScan(store: Store, d: SqlDialect, ws: string, settings: WorkspaceSettings, r: Resolved, scan: Scan, fromMs: number, toMs: number, log: MetricResult["queries"]): Promise<MetricRow[]> {
  const label = scan.metrics[0].id;
  const flagged = hasColumn(scan.table, "flags");
  const p = new Params(d);
  const wsP = p.add(ws);
  const dims = r.groupBy.map((g) => dimExpr(d, scan.table, g, p, label));
  const select: string[] = [];
  const groupCols: string[] = [];
  if (r.grain) {
    select.push(`${bucketLabelSql(d, r.grain, scan.time, settings.timezone, settings.week_start, fromMs, toMs)} AS b`);
    groupCols.push("b");
  }
  dims.forEach((e, i) => {
    select.push(`${e} AS g${i}`);
    groupCols.push(`g${i}`);
  });
  const orderCols = [...groupCols];
  if (flagged) {
    select.push(`${flaggedCond(d, p, qualityFlags(scan.metrics[0]))} AS x`);
    groupCols.push("x");
  }
  select.push(...scan.metrics.flatMap((m, k) => aggregates(d, m, k, r, settings, p)));
  const where = and(`workspace = ${wsP}`, `${scan.time} >= ${p.add(fromMs)}`, `${scan.time} < ${p.add(toMs)}`, ...filterConds(d, scan.table, r.filters, p, label));
  const sql = `SELECT ${select.join(", ")} FROM ${source(d, scan.table, r)} WHERE ${where}${groupCols.length ? ` GROUP BY ${groupCols.join(", ")}` : ""}${orderCols.length ? ` ORDER BY ${orderCols.join(", ")}` : ""}`;
  // the planner (planner.ts) reads the rollup instead when the scan fits it
  const rolled = await readRollup(store, ws, settings, r, scan.metrics, fromMs, toMs, log);
  if (!rolled) log?.push({ sql, params: p.values });
  const all = rolled ?? (await store.query<Row>(sql, p.values));
  const keyOf = (row: Row) => JSON.stringify([row.b ?? null, ...r.groupBy.map((_, i) => row[`g${i}`] ?? null)]);
  const isFlagged = (row: Row) => row.x === true || Number(row.x) === 1;
  const excluded = new Map(all.filter(isFlagged).map((row) => [keyOf(row), row]));
  const rows = all.filter((row) => !isFlagged(row));
  // no grain, no group: one answer even when nothing (or only flagged records) matched
  if (rows.length === 0 && !r.grain && !r.groupBy.length) rows.push({});
  const out: MetricRow[] = [];
  scan.metrics.forEach((m, k) => {
    for (const row of rows) {
      const v = shape(m, k, row, r);
      if (!v && (r.grain || r.groupBy.length)) continue;
      const mr: MetricRow = { metric: m.id, ...(v ?? empty(m, r)) };
      if (r.grain) mr.bucket = new Date(labelToInstant(Number(row.b), settings.timezone)).toISOString();
      if (r.groupBy.length) mr.group = Object.fromEntries(r.groupBy.map((g, i) => [g, row[`g${i}`] === null ? null : String(row[`g${i}`])]));
      const xr = excluded.get(keyOf(row));
      const x = xr ? excludedCount(m, k, xr) : 0;
      if (x > 0) mr.excluded = x;
      out.push(mr);
    }
  });
  return out;
}

/** Wilson score interval (95%) for a proportion, in percent. */
export function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 0];
  const z = 1.959964;
  const ph = k / n;
  const den = 1 + (z * z) / n;
  const c = (ph + (z * z) / (2 * n)) / den;
  const h = (z * Math.sqrt((ph * (1 - ph)) / n + (z * z) / (4 * n * n))) / den;
  return [Math.max(0, c - h) * 100, Math.min(1, c + h) * 100];
}

function postProcess(rows: MetricRow[], r: Resolved, settings: WorkspaceSettings, fromMs: number, toMs: number): void {
  const cal = compileCalendar(settings.calendar);
  const buckets = bucketList(r.grain, fromMs, toMs, settings.timezone, settings.week_start);
  const bucketOf = new Map(buckets.map((b) => [new Date(b.key).toISOString(), b]));
  const gkey = (x: MetricRow) => JSON.stringify(x.group ?? {});
  for (const row of rows) {
    const m = METRICS.get(row.metric)!;
    for (const post of m.post ?? []) {
      if (row.value === null) continue;
      if (post === "wilson") [row.ci_low, row.ci_high] = wilson(row.numerator as number, row.denominator as number);
      else if (post === "nps_moe") {
        const n = row.count as number;
        const pp = (row.promoters as number) / n;
        const pd = (row.detractors as number) / n;
        row.margin_of_error = n > 0 ? 1.959964 * Math.sqrt((pp + pd - (pp - pd) ** 2) / n) * 100 : null;
      } else if (post === "per_working_day") {
        const b = row.bucket ? bucketOf.get(row.bucket) : { start: fromMs, end: toMs };
        const wd = b ? workingDays(cal, b.start, b.end) : 0;
        row.numerator = row.value;
        row.denominator = wd;
        row.value = wd > 0 ? (row.value as number) / wd : null;
      }
    }
  }
  // Posts that compare rows with each other.
  const byMetric = new Map<string, MetricRow[]>();
  for (const row of rows) {
    getOrInit(byMetric, row.metric, () => []).push(row);
  }
  for (const [id, list] of byMetric) {
    const posts = METRICS.get(id)!.post ?? [];
    if (posts.includes("share")) {
      const totals = new Map<string, number>();
      for (const x of list) totals.set(x.bucket ?? "", (totals.get(x.bucket ?? "") ?? 0) + (x.count ?? 0));
      for (const x of list) {
        const t = totals.get(x.bucket ?? "") ?? 0;
        x.numerator = x.count ?? 0;
        x.denominator = t;
        x.value = t > 0 ? ((x.count ?? 0) / t) * 100 : null;
      }
    }
    if (posts.includes("spikes") || posts.includes("mom")) {
      const series = new Map<string, MetricRow[]>();
      for (const x of list) {
        getOrInit(series, gkey(x), () => []).push(x);
      }
      for (const s of series.values()) {
        s.sort((a, b) => (a.bucket ?? "").localeCompare(b.bucket ?? ""));
        s.forEach((x, i) => {
          if (posts.includes("mom")) momChange(x, s[i - 1], r, settings, bucketOf);
          if (posts.includes("spikes") && i >= 4) {
            const base = s.slice(i - 4, i).reduce((t, y) => t + (y.value as number), 0) / 4;
            x.baseline = base;
            x.flag = (x.value as number) > 1.5 * base ? "spike" : (x.value as number) < 0.5 * base ? "drop" : null;
          }
        });
      }
    }
    if (posts.includes("per_bucket")) {
      // average_ticket_count: tickets ÷ number of periods of the grain (default: days) in the range
      const units = bucketList(r.grain ?? "day", fromMs, toMs, settings.timezone, settings.week_start).length;
      const groups = new Map<string, number>();
      for (const x of list) groups.set(gkey(x), (groups.get(gkey(x)) ?? 0) + (x.count ?? 0));
      const merged: MetricRow[] = [...groups.entries()].map(([k, total]) => ({
        metric: id,
        ...(k === "{}" ? {} : { group: JSON.parse(k) }),
        value: units > 0 ? total / units : null,
        numerator: total,
        denominator: units,
        count: total,
        per: r.grain ?? "day",
      }));
      list.splice(0, list.length, ...merged);
    }
  }
  rows.splice(0, rows.length, ...[...byMetric.values()].flat());
}

/**
 * Change from the previous bucket (cases_by_topic). A bucket clipped by the range (a range that
 * starts or ends mid-month) is labelled partial, and compared per day of each bucket, so five days
 * are not set against a whole month.
 */
function momChange(x: MetricRow, prev: MetricRow | undefined, r: Resolved, settings: WorkspaceSettings, bucketOf: Map<string, { start: number; end: number; key: number }>): void {
  const b = x.bucket ? bucketOf.get(x.bucket) : undefined;
  const span = (bb: { start: number; end: number; key: number } | undefined) => (bb ? bb.end - bb.start : 0);
  const full = (bb: { start: number; end: number; key: number } | undefined) => !bb || !r.grain || span(bb) >= nextBucket(r.grain, bb.key, settings.timezone) - bb.key;
  if (!full(b)) x.partial = true;
  if (!prev?.value) return;
  const pb = prev.bucket ? bucketOf.get(prev.bucket) : undefined;
  if (full(b) && full(pb)) {
    x.change_pct = (((x.value as number) - (prev.value as number)) / (prev.value as number)) * 100;
    return;
  }
  const perDay = (v: number, bb: { start: number; end: number; key: number } | undefined) => v / (span(bb) / 86_400_000);
  const now = perDay(x.value as number, b);
  const before = perDay(prev.value as number, pb);
  x.change_pct = ((now - before) / before) * 100;
  x.change_basis = "per_day";
}

/** Runs a metric request: one scan per (fact table, time column), special builders for the rest. */
export async function runMetrics(store: Store, workspace: string, settings: WorkspaceSettings, req: MetricRequest, opts: { explain?: boolean } = {}): Promise<MetricResult> {
  const r: Resolved & { plan?: Plan } = { ...resolveRequest(req, settings.timezone), plan: newPlan(req.source === "auto" ? undefined : req.source) };
  // average_ticket_count answers per period over the whole range, not per bucket
  const log: MetricResult["queries"] = opts.explain ? [] : undefined;
  const errors: NonNullable<MetricResult["errors"]> = [];
  const rows = await computeRange(store, workspace, settings, r, r.fromMs, r.toMs, log, errors);
  if (r.compare) {
    const span = r.toMs - r.fromMs;
    const prev = await computeRange(store, workspace, settings, r, r.fromMs - span, r.fromMs, undefined, []);
    // Buckets pair by position (1st with 1st…): weeks and months of two periods rarely start on the same day.
    const series = (list: MetricRow[]) => {
      const m = new Map<string, MetricRow[]>();
      for (const x of list) {
        const k = `${x.metric}|${JSON.stringify(x.group ?? {})}`;
        getOrInit(m, k, () => []).push(x);
      }
      for (const l of m.values()) l.sort((a, b) => (a.bucket ?? "").localeCompare(b.bucket ?? ""));
      return m;
    };
    const before = series(prev);
    const bucketIndex = new Map(bucketList(r.grain, r.fromMs, r.toMs, settings.timezone, settings.week_start).map((b, i) => [new Date(b.key).toISOString(), i]));
    const prevIndex = new Map(bucketList(r.grain, r.fromMs - span, r.fromMs, settings.timezone, settings.week_start).map((b, i) => [new Date(b.key).toISOString(), i]));
    for (const [k, list] of series(rows)) {
      const old = new Map((before.get(k) ?? []).map((y) => [y.bucket ? prevIndex.get(y.bucket) : -1, y]));
      for (const x of list) {
        const pr = old.get(x.bucket ? bucketIndex.get(x.bucket) : -1);
        x.previous = pr ? { value: pr.value, numerator: pr.numerator, denominator: pr.denominator, count: pr.count, bucket: pr.bucket } : null;
        x.change = pr && pr.value !== null && x.value !== null ? x.value - pr.value : null;
      }
    }
  }
  for (const x of rows) x.formula = METRICS.get(x.metric)!.formula;
  return { rows, ...(errors.length ? { errors } : {}), ...(log ? { queries: log } : {}), ...planFields(r.plan!) };
}

/**
 * cases_by_topic also names the topics whose resolution time is above the overall average (S1):
 * each topic row gets its mean first-resolution time and the overall mean of the same bucket and
 * other groups, from the same resolution_time.first definition.
 */
async function markSlowTopics(store: Store, d: SqlDialect, ws: string, settings: WorkspaceSettings, r: Resolved, fromMs: number, toMs: number, log: MetricResult["queries"], out: MetricRow[]): Promise<void> {
  const res = METRICS.get("resolution_time.first")!;
  const others = r.groupBy.filter((g) => g !== "topic" && g !== "tag");
  const scan = (groupBy: string[]) => runScan(store, d, ws, settings, { ...r, groupBy, percentiles: [] }, { table: res.table, time: res.time, metrics: [res] }, fromMs, toMs, log);
  const key = (x: MetricRow, withTopic: boolean) => JSON.stringify([x.bucket ?? null, ...others.map((g) => x.group?.[g] ?? null), withTopic ? (x.group?.topic ?? null) : null]);
  const byTopic = new Map((await scan(["topic", ...others])).map((x) => [key(x, true), x.mean ?? null]));
  const overall = new Map((await scan(others)).map((x) => [key(x, false), x.mean ?? null]));
  for (const x of out) {
    if (x.metric !== "cases_by_topic") continue;
    const mine = byTopic.get(key(x, true)) ?? null;
    const all = overall.get(key(x, false)) ?? null;
    x.resolution_mean_s = mine;
    x.resolution_overall_mean_s = all;
    x.resolution_above_average = mine !== null && all !== null ? mine > all : null;
  }
}

async function computeRange(
  store: Store,
  workspace: string,
  settings: WorkspaceSettings,
  r: Resolved,
  fromMs: number,
  toMs: number,
  log: MetricResult["queries"],
  errors: NonNullable<MetricResult["errors"]>,
): Promise<MetricRow[]> {
  // With several metrics, one that cannot be grouped as asked is reported, not fatal to the rest.
  const tolerant = async (ids: string[], fn: () => Promise<MetricRow[]>): Promise<MetricRow[]> => {
    try {
      return await fn();
    } catch (e) {
      if (r.metrics.length > 1 && isUserError(e) && e.code === "unsupported_dimension") {
        for (const metric of ids) errors.push({ metric, code: e.code, message: e.message });
        return [];
      }
      throw e;
    }
  };
  const d = store.dialect;
  const scans = new Map<string, Scan>();
  const specials: MetricDef[] = [];
  for (const id of r.metrics) {
    const m = METRICS.get(id)!;
    if (m.special) {
      specials.push(m);
      continue;
    }
    // preferred_channel is a share by channel, cases_by_topic a count by topic: they always group so
    const forced = m.post?.includes("share") ? "channel" : m.post?.includes("mom") ? "topic" : null;
    const rr = forced && !r.groupBy.includes(forced) ? { ...r, groupBy: [forced, ...r.groupBy] } : r;
    // metrics that leave out different flagged records cannot share a scan's WHERE
    const k = `${m.table}|${m.time}|${rr.groupBy.join(",")}|${qualityFlags(m).join(",")}`;
    getOrInit(scans, k, () => ({ table: m.table, time: m.time, metrics: [] as MetricDef[] })).metrics.push(m);
  }
  const out: MetricRow[] = [];
  for (const [k, scan] of scans) {
    const groupBy = k.split("|")[2];
    const rr = { ...r, groupBy: groupBy ? groupBy.split(",") : [] };
    out.push(...(await tolerant(scan.metrics.map((m) => m.id), () => runScan(store, d, workspace, settings, rr, scan, fromMs, toMs, log))));
  }
  for (const m of specials) out.push(...(await tolerant([m.id], () => runSpecial(store, d, workspace, settings, r, m, fromMs, toMs, log))));
  if (r.metrics.includes("cases_by_topic")) await markSlowTopics(store, d, workspace, settings, r, fromMs, toMs, log, out);
  postProcess(out, r, settings, fromMs, toMs);
  return out;
}
