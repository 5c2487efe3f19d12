import type { MetricResult, MetricRow } from "../api/types.js";
import type { WorkspaceSettings } from "../config/settings.js";
import { isUserError } from "../errors/user-error.js";
import type { Row } from "../store/schema.js";
import type { Store } from "../store/store.js";
import { bucketLabelSql } from "./boundaries.js";
import { bucketList, labelToInstant } from "./buckets.js";
import { METRICS, type MetricDef, qualityFlags } from "./catalog.js";
import type { SqlDialect } from "../store/dialect.js";
import { type MetricRequest, type Resolved, resolveRequest } from "./request.js";
import { ENRICHMENTS } from "./enrichments.js";
import { runMultiQuery } from "./multi-query.js";
import { newPlan, type Plan, planFields, readRollup } from "./planner.js";
import { postProcess } from "./post-process.js";

export type { MetricResult, MetricRow } from "../api/types.js";
export { wilson } from "./post-process.js";
import { and, bindSettings, dimExpr, filterConds, hasColumn, Params, source } from "./sql-builder.js";
import { getOrInit } from "../util/maps.js";

/** What one query answers: the metrics that share a fact table, a time column and a grouping. */
export interface ScanKey {
  readonly table: string;
  readonly time: string;
  readonly groupBy: readonly string[];
}

/** The scan that answers metric `m` for request `r`: its `alwaysGroupBy` dimension comes first when the request lacks it. */
export function scanKey(m: MetricDef, r: Resolved): ScanKey {
  const groupBy = m.alwaysGroupBy && !r.groupBy.includes(m.alwaysGroupBy) ? [m.alwaysGroupBy, ...r.groupBy] : r.groupBy;
  return { table: m.table, time: m.time, groupBy };
}

interface Scan {
  key: ScanKey;
  metrics: MetricDef[];
}

/** The quality flags every metric of the scan leaves out: records carrying one are grouped apart (column x). */
function sharedFlags(metrics: MetricDef[]): string[] {
  return metrics.map(qualityFlags).reduce((all, f) => all.filter((x) => f.includes(x)));
}

const pname = (p: number) => (p === 50 ? "median" : (`p${String(p).replace(".", "_")}` as `p${number}`));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * The aggregate select-list of one metric (aliases m<k>_…). `extraFlags`: flags this metric leaves
 * out beyond those the scan groups apart; its aggregates skip such records (a conditional
 * aggregate, so the metric still shares the scan) and m<k>_y counts them.
 */
export function aggregates(d: SqlDialect, m: MetricDef, k: number, r: Resolved, settings: WorkspaceSettings, p: Params, extraFlags: string[] = []): string[] {
  // "time column IS NOT NULL" is implied by the scan's range on that column: no per-row test
  const own = m.where && m.where !== `${m.time} IS NOT NULL` ? bindSettings(m.where, settings, p) : "TRUE";
  if (!extraFlags.length) return metricAggregates(d, m, k, r, settings, p, own);
  const skip = flaggedCond(d, p, extraFlags);
  const a = m.agg;
  // the records metric k counts (its sample), as excludedCount reads them
  const sample =
    a.kind === "duration"
      ? `${r.clock === "business" ? a.business : a.calendar} IS NOT NULL`
      : a.kind === "mean"
        ? `${a.expr} IS NOT NULL`
        : a.kind === "rate"
          ? bindSettings(a.den, settings, p)
          : "TRUE";
  return [...metricAggregates(d, m, k, r, settings, p, and(own, `NOT (${skip})`)), `${d.countIf(and(own, sample, skip))} AS m${k}_y`];
}

function metricAggregates(d: SqlDialect, m: MetricDef, k: number, r: Resolved, settings: WorkspaceSettings, p: Params, cond: string): string[] {
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
          ? d
              .percentiles(
                plain ? e : `CASE WHEN ${c} THEN ${e} END`,
                r.percentiles.map((q) => q / 100),
              )
              .map((sql, j) => `${sql} AS m${k}_q${j}`)
          : []),
      ];
    }
    case "rate":
      return [
        `${d.countIf(and(cond, bindSettings(a.num, settings, p)))} AS m${k}_num`,
        `${d.countIf(and(cond, bindSettings(a.den, settings, p)))} AS m${k}_den`,
      ];
    case "ratio":
      // m_c: the records it reads, to say how many flagged ones it left out
      return [
        `${d.sumIf(bindSettings(a.num, settings, p), and(cond))} AS m${k}_num`,
        `${d.sumIf(bindSettings(a.den, settings, p), and(cond))} AS m${k}_den`,
        `${d.countIf(and(cond))} AS m${k}_c`,
      ];
    case "mean":
      return [`${d.countIf(and(cond, `${a.expr} IS NOT NULL`))} AS m${k}_n`, `${d.sumIf(a.expr, and(cond))} AS m${k}_sum`];
    case "count":
      return [`${d.countIf(and(cond))} AS m${k}_n`];
    case "nps":
      return [`${d.countIf(and(cond))} AS m${k}_n`, `${d.countIf(and(cond, a.promoter))} AS m${k}_pro`, `${d.countIf(and(cond, a.detractor))} AS m${k}_det`];
  }
}

/** Turns one result row's aggregates of metric k into the answer's fields; null when it counted nothing. */
type Core = Omit<MetricRow, "metric">;

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
  return m.agg.kind === "duration"
    ? { value: null, count: 0, mean: null, ...Object.fromEntries(r.percentiles.map((q) => [pname(q), null])) }
    : { value: null, count: 0 };
}

/**
 * One query over one fact table answers every metric that shares its table and time column.
 * Flagged records are not filtered out but grouped apart (key x): the same scan gives the numbers
 * without them and, from the flagged groups, how many each number left out.
 */
async function runScan(
  store: Store,
  d: SqlDialect,
  ws: string,
  settings: WorkspaceSettings,
  req: Resolved,
  scan: Scan,
  fromMs: number,
  toMs: number,
  log: MetricResult["queries"],
): Promise<MetricRow[]> {
  const { table: tableName, time, groupBy } = scan.key;
  const flags = sharedFlags(scan.metrics);
  const r = { ...req, groupBy: [...groupBy] };
  const label = scan.metrics[0].id;
  const flagged = hasColumn(tableName, "flags");
  const p = new Params(d);
  const wsP = p.add(ws);
  const dims = r.groupBy.map((g) => dimExpr(d, tableName, g, p, label));
  const select: string[] = [];
  const groupCols: string[] = [];
  if (r.grain) {
    select.push(`${bucketLabelSql(d, r.grain, time, settings.timezone, settings.week_start, fromMs, toMs)} AS b`);
    groupCols.push("b");
  }
  dims.forEach((e, i) => {
    select.push(`${e} AS g${i}`);
    groupCols.push(`g${i}`);
  });
  const orderCols = [...groupCols];
  if (flagged) {
    select.push(`${flaggedCond(d, p, flags)} AS x`);
    groupCols.push("x");
  }
  // one aggregate computed once, however many metrics read it (resolution_time is resolution_time.first)
  const same = new Map<string, string>();
  const copies: [string, string][] = [];
  for (const [k, m] of scan.metrics.entries())
    for (const item of aggregates(d, m, k, r, settings, p, flagged ? qualityFlags(m).filter((f) => !flags.includes(f)) : [])) {
      const at = item.lastIndexOf(" AS ");
      const [expr, alias] = [item.slice(0, at), item.slice(at + 4)];
      const first = same.get(expr);
      if (first) copies.push([alias, first]);
      else {
        same.set(expr, alias);
        select.push(item);
      }
    }
  const where = and(`workspace = ${wsP}`, `${time} >= ${p.add(fromMs)}`, `${time} < ${p.add(toMs)}`, ...filterConds(d, tableName, r.filters, p, label));
  const sql = `SELECT ${select.join(", ")} FROM ${source(d, tableName, r)} WHERE ${where}${groupCols.length ? ` GROUP BY ${groupCols.join(", ")}` : ""}${orderCols.length ? ` ORDER BY ${orderCols.join(", ")}` : ""}`;
  // the planner (planner.ts) reads the rollup instead when the scan fits it
  const rolled = await readRollup(store, ws, settings, r, scan.metrics, fromMs, toMs, log);
  if (!rolled) log?.push({ sql, params: p.values });
  const all = rolled ?? (await store.query<Row>(sql, p.values));
  for (const row of all) for (const [alias, first] of copies) row[alias] = row[first];
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
      // flagged with a shared flag (group x), or with one of its own (m<k>_y, in either group)
      const x = (xr ? excludedCount(m, k, xr) + (num(xr[`m${k}_y`]) ?? 0) : 0) + (num(row[`m${k}_y`]) ?? 0);
      if (x > 0) mr.excluded = x;
      out.push(mr);
    }
  });
  return out;
}

/** Runs a metric request: one scan per (fact table, time column), multi-query builders (multi-query.ts) for the rest. */
export async function runMetrics(
  store: Store,
  workspace: string,
  settings: WorkspaceSettings,
  req: MetricRequest,
  opts: { explain?: boolean } = {},
): Promise<MetricResult> {
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
    const bucketIndex = new Map(
      bucketList(r.grain, r.fromMs, r.toMs, settings.timezone, settings.week_start).map((b, i) => [new Date(b.key).toISOString(), i]),
    );
    const prevIndex = new Map(
      bucketList(r.grain, r.fromMs - span, r.fromMs, settings.timezone, settings.week_start).map((b, i) => [new Date(b.key).toISOString(), i]),
    );
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
  const multiQueries: MetricDef[] = [];
  for (const id of r.metrics) {
    const m = METRICS.get(id)!;
    if (m.multiQuery) {
      multiQueries.push(m);
      continue;
    }
    const key = scanKey(m, r);
    getOrInit(scans, JSON.stringify(key), () => ({ key, metrics: [] as MetricDef[] })).metrics.push(m);
  }
  const out: MetricRow[] = [];
  for (const scan of scans.values())
    out.push(
      ...(await tolerant(
        scan.metrics.map((m) => m.id),
        () => runScan(store, d, workspace, settings, r, scan, fromMs, toMs, log),
      )),
    );
  for (const m of multiQueries) out.push(...(await tolerant([m.id], () => runMultiQuery(store, d, workspace, settings, r, m, fromMs, toMs, log))));
  const scan = (m: MetricDef, groupBy: string[]) =>
    runScan(store, d, workspace, settings, { ...r, percentiles: [] }, { key: scanKey(m, { ...r, groupBy }), metrics: [m] }, fromMs, toMs, log);
  for (const id of r.metrics) for (const e of METRICS.get(id)!.enrich ?? []) await ENRICHMENTS[e](id, out, { r, scan });
  return postProcess(out, r, settings, fromMs, toMs);
}
