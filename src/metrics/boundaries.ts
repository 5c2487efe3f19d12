import { offsetPieces, zoneOffset } from "../calendar/zone-offsets.js";
import { WEEKDAYS, type Weekday } from "../config/settings.js";
import { bucketList, labelToInstant } from "./buckets.js";
import type { SqlDialect } from "../store/dialect.js";
import type { Grain } from "./grains.js";

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Grains of equal length in local time: a row's label is its local time floored, no boundary list needed. */
const FIXED: Partial<Record<Grain, number>> = { hour: HOUR, day: DAY, week: 7 * DAY };
/** Gregorian grains a dialect may floor itself (SqlDialect.floorMonths), in months. */
const MONTHS: Partial<Record<Grain, 1 | 3 | 12>> = { month: 1, quarter: 3, year: 12 };

/**
 * SQL choosing `values[i]` for the piece of `msExpr` (value i holds from `cuts[i − 1]` to
 * `cuts[i]`): a binary search written as nested CASEs (a flat CASE at the leaves), so a row costs
 * about log₂ n comparisons, the same SQL in every dialect.
 */
export function pieceSql(d: SqlDialect, msExpr: string, cuts: number[], values: number[]): string {
  const leaf = (lo: number, hi: number) =>
    hi - lo === 1
      ? d.int(values[lo])
      : `CASE ${cuts
          .slice(lo, hi - 1)
          .map((c, i) => `WHEN ${msExpr} < ${d.int(c)} THEN ${d.int(values[lo + i])}`)
          .join(" ")} ELSE ${d.int(values[hi - 1])} END`;
  const tree = (lo: number, hi: number): string => {
    if (hi - lo <= 8) return leaf(lo, hi);
    const mid = (lo + hi) >> 1;
    return `CASE WHEN ${msExpr} < ${d.int(cuts[mid - 1])} THEN ${tree(lo, mid)} ELSE ${tree(mid, hi)} END`;
  };
  return tree(0, values.length);
}

/**
 * SQL for the bucket label of `msExpr` (epoch ms of a row in [from, to)) — the local wall-clock
 * start of its bucket read as UTC, see SqlDialect's label rule — with no zone conversion per row.
 * The zone's offsets over the range and the bucket boundaries are worked out here, once:
 * hours, days and weeks floor the row's local time (its epoch ms plus the offset of its piece of
 * the range); months, quarters, years and the Persian calendar compare the row's epoch ms with
 * the bucket starts of the range (exact across DST: each start is the instant of a local midnight),
 * or the dialect floors the local time to its month, quarter or year (SqlDialect.floorMonths).
 */
export function bucketLabelSql(d: SqlDialect, grain: Grain, msExpr: string, tz: string, weekStart: Weekday, from: number, to: number): string {
  const unit = FIXED[grain];
  const months = d.floorMonths && MONTHS[grain];
  if (unit || months) {
    const { cuts, offsets } = offsetPieces(tz, from, to);
    const local = offsets.length === 1 && offsets[0] === 0 ? msExpr : `(${msExpr} + ${pieceSql(d, msExpr, cuts, offsets)})`;
    if (months) return d.floorMonths!(local, months);
    // weeks count from a week-start day before 1970 (1969-12-28 was a Sunday)
    const origin = grain === "week" ? Date.UTC(1969, 11, 28) + WEEKDAYS.indexOf(weekStart) * DAY : 0;
    return d.floorTo(local, unit!, origin);
  }
  const buckets = bucketList(grain, from, to, tz, weekStart);
  const labels = buckets.map((b) => {
    const l = new Date(b.key + zoneOffset(b.key, tz));
    return Date.UTC(l.getUTCFullYear(), l.getUTCMonth(), l.getUTCDate());
  });
  return pieceSql(
    d,
    msExpr,
    buckets.slice(1).map((b) => b.key),
    labels,
  );
}

// Positions of an instant outside the range (far from any label of a real date).
const BEFORE = -(2 ** 52);
const AFTER = 2 ** 52;
const NONE = 2 ** 52 + 2;

/**
 * SQL for where `expr` (epoch ms, maybe NULL, maybe outside the range) falls among the buckets
 * of [from, to): its bucket label inside the range (the whole range is one bucket without a
 * grain), or a sentinel before, after, or for NULL. `positions` reads it back. It lets
 * "as of each bucket" metrics (backlog, retention) count every bucket from one grouped scan.
 */
export function positionSql(d: SqlDialect, grain: Grain | undefined, expr: string, tz: string, weekStart: Weekday, from: number, to: number): string {
  const inside = grain ? bucketLabelSql(d, grain, expr, tz, weekStart, from, to) : d.int(0);
  return `CASE WHEN ${expr} IS NULL THEN ${d.int(NONE)} WHEN ${expr} < ${d.int(from)} THEN ${d.int(BEFORE)} WHEN ${expr} >= ${d.int(to)} THEN ${d.int(AFTER)} ELSE ${inside} END`;
}

/**
 * The n buckets of [from, to) and `index`, which turns a `positionSql` value into how many of the
 * boundaries from, (the starts of buckets 1 … n − 1), to lie at or before the instant: 0 before
 * `from`, k + 1 inside bucket k, n + 1 at or after `to`, n + 2 for NULL. So "instant < boundary j"
 * is "index ≤ j".
 */
export function positions(grain: Grain | undefined, tz: string, weekStart: Weekday, from: number, to: number) {
  const buckets = bucketList(grain, from, to, tz, weekStart);
  const n = buckets.length;
  const byKey = new Map(buckets.map((b, k) => [b.key, k]));
  const index = (v: unknown): number => {
    const x = Number(v);
    if (x === NONE) return n + 2;
    if (x === BEFORE) return 0;
    if (x === AFTER) return n + 1;
    if (!grain) return 1;
    const k = byKey.get(labelToInstant(x, tz));
    if (k === undefined) throw new Error(`no bucket for label ${x}`);
    return k + 1;
  };
  return { buckets, n, index };
}
