import type { MetricRow } from "../api/types.js";
import { compileCalendar, workingDays } from "../calendar/index.js";
import type { WorkspaceSettings } from "../config/settings.js";
import { getOrInit } from "../util/maps.js";
import { bucketList, nextBucket } from "./buckets.js";
import { METRICS, type Post } from "./catalog.js";
import type { Resolved } from "./request.js";

type Bucket = { start: number; end: number; key: number };

/** What a post-processing handler may read besides the rows. */
export interface PostCtx {
  r: Resolved;
  settings: WorkspaceSettings;
  fromMs: number;
  toMs: number;
  /** the range's buckets by ISO start */
  bucketOf: Map<string, Bucket>;
}

/** One metric's rows in, its rows out (changed in place, or replaced). */
type Handler = (rows: MetricRow[], c: PostCtx) => MetricRow[];

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

/** A handler that changes each row with a value by itself. */
const eachValued =
  (fn: (row: MetricRow, c: PostCtx) => void): Handler =>
  (rows, c) => {
    for (const row of rows) if (row.value !== null) fn(row, c);
    return rows;
  };

const gkey = (x: MetricRow) => JSON.stringify(x.group ?? {});

/** Rows by group, each series in bucket order (the rows' own order is kept). */
function seriesOf(rows: MetricRow[]): MetricRow[][] {
  const series = new Map<string, MetricRow[]>();
  for (const x of rows) getOrInit(series, gkey(x), () => []).push(x);
  for (const s of series.values()) s.sort((a, b) => (a.bucket ?? "").localeCompare(b.bucket ?? ""));
  return [...series.values()];
}

/**
 * Change from the previous bucket (cases_by_topic). A bucket clipped by the range (a range that
 * starts or ends mid-month) is labelled partial, and compared per day of each bucket, so five days
 * are not set against a whole month.
 */
function momChange(x: MetricRow, prev: MetricRow | undefined, c: PostCtx): void {
  const b = x.bucket ? c.bucketOf.get(x.bucket) : undefined;
  const span = (bb: Bucket | undefined) => (bb ? bb.end - bb.start : 0);
  const full = (bb: Bucket | undefined) => !bb || !c.r.grain || span(bb) >= nextBucket(c.r.grain, bb.key, c.settings.timezone) - bb.key;
  if (!full(b)) x.partial = true;
  if (!prev?.value) return;
  const pb = prev.bucket ? c.bucketOf.get(prev.bucket) : undefined;
  if (full(b) && full(pb)) {
    x.change_pct = (((x.value as number) - prev.value) / prev.value) * 100;
    return;
  }
  const perDay = (v: number, bb: Bucket | undefined) => v / (span(bb) / 86_400_000);
  const now = perDay(x.value as number, b);
  const before = perDay(prev.value, pb);
  x.change_pct = ((now - before) / before) * 100;
  x.change_basis = "per_day";
}

/** Every post-processing kind of the catalog (`MetricDef.post`) and what it does to a metric's rows. */
export const POST_HANDLERS: Record<Post, Handler> = {
  wilson: eachValued((row) => {
    [row.ci_low, row.ci_high] = wilson(row.numerator as number, row.denominator as number);
  }),
  nps_moe: eachValued((row) => {
    const n = row.count as number;
    const pp = (row.promoters as number) / n;
    const pd = (row.detractors as number) / n;
    row.margin_of_error = n > 0 ? 1.959964 * Math.sqrt((pp + pd - (pp - pd) ** 2) / n) * 100 : null;
  }),
  per_working_day: eachValued((row, c) => {
    const b = row.bucket ? c.bucketOf.get(row.bucket) : { start: c.fromMs, end: c.toMs };
    const wd = b ? workingDays(compileCalendar(c.settings.calendar), b.start, b.end) : 0;
    row.numerator = row.value;
    row.denominator = wd;
    row.value = wd > 0 ? (row.value as number) / wd : null;
  }),
  // preferred_channel: each group's share of its bucket's count
  share: (rows) => {
    const totals = new Map<string, number>();
    for (const x of rows) totals.set(x.bucket ?? "", (totals.get(x.bucket ?? "") ?? 0) + (x.count ?? 0));
    for (const x of rows) {
      const t = totals.get(x.bucket ?? "") ?? 0;
      x.numerator = x.count ?? 0;
      x.denominator = t;
      x.value = t > 0 ? ((x.count ?? 0) / t) * 100 : null;
    }
    return rows;
  },
  // ticket_volume: a bucket 50% above or below the mean of the four before it
  spikes: (rows) => {
    for (const s of seriesOf(rows))
      s.forEach((x, i) => {
        if (i < 4) return;
        const base = s.slice(i - 4, i).reduce((t, y) => t + (y.value as number), 0) / 4;
        x.baseline = base;
        x.flag = (x.value as number) > 1.5 * base ? "spike" : (x.value as number) < 0.5 * base ? "drop" : null;
      });
    return rows;
  },
  mom: (rows, c) => {
    for (const s of seriesOf(rows))
      s.forEach((x, i) => {
        momChange(x, s[i - 1], c);
      });
    return rows;
  },
  // average_ticket_count: tickets ÷ number of periods of the grain (default: days) in the range
  per_bucket: (rows, c) => {
    const { r, settings } = c;
    const units = bucketList(r.grain ?? "day", c.fromMs, c.toMs, settings.timezone, settings.week_start).length;
    const groups = new Map<string, number>();
    for (const x of rows) groups.set(gkey(x), (groups.get(gkey(x)) ?? 0) + (x.count ?? 0));
    return [...groups.entries()].map(([k, total]) => ({
      metric: rows[0].metric,
      ...(k === "{}" ? {} : { group: JSON.parse(k) }),
      value: units > 0 ? total / units : null,
      numerator: total,
      denominator: units,
      count: total,
      per: r.grain ?? "day",
    }));
  },
  // sla_compliance: the breach rate is 100 − value, read by the client; nothing to add
  complement: (rows) => rows,
};

/** Applies each metric's post-processing (catalog order of its `post`) to its rows; rows come out grouped by metric. */
export function postProcess(rows: MetricRow[], r: Resolved, settings: WorkspaceSettings, fromMs: number, toMs: number): MetricRow[] {
  const buckets = bucketList(r.grain, fromMs, toMs, settings.timezone, settings.week_start);
  const c: PostCtx = { r, settings, fromMs, toMs, bucketOf: new Map(buckets.map((b) => [new Date(b.key).toISOString(), b])) };
  const byMetric = new Map<string, MetricRow[]>();
  for (const row of rows) getOrInit(byMetric, row.metric, () => []).push(row);
  return [...byMetric].flatMap(([id, list]) => (METRICS.get(id)!.post ?? []).reduce((l, post) => (l.length ? POST_HANDLERS[post](l, c) : l), list));
}
