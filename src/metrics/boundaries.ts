import { tzOffset } from "../calendar/business-hours.js";
import { WEEKDAYS, type Weekday } from "../config/settings.js";
import { bucketList } from "./buckets.js";
import type { Grain, SqlDialect } from "./dialect.js";

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Grains of equal length in local time: a row's label is its local time floored, no boundary list needed. */
const FIXED: Partial<Record<Grain, number>> = { hour: HOUR, day: DAY, week: 7 * DAY };

/**
 * The zone's offset over [from, to) as pieces: `offsets[i]` holds before `cuts[i]` (and from
 * `cuts[i − 1]`). Found by stepping a day at a time and bisecting to the second, so two
 * transitions less than a day apart would merge (no zone has had such since the 1940s).
 */
export function offsetPieces(tz: string, from: number, to: number): { cuts: number[]; offsets: number[] } {
  const key = `${tz}|${from}|${to}`;
  const hit = pieceCache.get(key);
  if (hit) return hit;
  const cuts: number[] = [];
  const offsets = [tzOffset(from, tz)];
  if (tz !== "UTC") {
    for (let t = from; t < to; t += DAY) {
      const next = Math.min(t + DAY, to - 1);
      if (next <= t || tzOffset(next, tz) === offsets[offsets.length - 1]) continue;
      // the first whole second in (t, next] whose offset differs (offsets change on whole seconds)
      let lo = Math.floor(t / 1000);
      let hi = Math.ceil(next / 1000);
      const o = offsets[offsets.length - 1];
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (tzOffset(mid * 1000, tz) === o) lo = mid;
        else hi = mid;
      }
      cuts.push(hi * 1000);
      offsets.push(tzOffset(hi * 1000, tz));
    }
  }
  const out = { cuts, offsets };
  if (pieceCache.size > 200) pieceCache.clear();
  pieceCache.set(key, out);
  return out;
}
const pieceCache = new Map<string, { cuts: number[]; offsets: number[] }>();

/**
 * SQL choosing `values[i]` for the piece of `msExpr` (value i holds from `cuts[i − 1]` to
 * `cuts[i]`): a binary search written as nested CASEs (a flat CASE at the leaves), so a row costs
 * about log₂ n comparisons, the same SQL in every dialect.
 */
export function pieceSql(d: SqlDialect, msExpr: string, cuts: number[], values: number[]): string {
  const leaf = (lo: number, hi: number) =>
    hi - lo === 1 ? d.int(values[lo]) : `CASE ${cuts.slice(lo, hi - 1).map((c, i) => `WHEN ${msExpr} < ${d.int(c)} THEN ${d.int(values[lo + i])}`).join(" ")} ELSE ${d.int(values[hi - 1])} END`;
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
 * the bucket starts of the range (exact across DST: each start is the instant of a local midnight).
 */
export function bucketLabelSql(d: SqlDialect, grain: Grain, msExpr: string, tz: string, weekStart: Weekday, from: number, to: number): string {
  const unit = FIXED[grain];
  if (unit) {
    const { cuts, offsets } = offsetPieces(tz, from, to);
    const local = offsets.length === 1 && offsets[0] === 0 ? msExpr : `(${msExpr} + ${pieceSql(d, msExpr, cuts, offsets)})`;
    // weeks count from a week-start day before 1970 (1969-12-28 was a Sunday)
    const origin = grain === "week" ? Date.UTC(1969, 11, 28) + WEEKDAYS.indexOf(weekStart) * DAY : 0;
    return d.floorTo(local, unit, origin);
  }
  const buckets = bucketList(grain, from, to, tz, weekStart);
  const labels = buckets.map((b) => {
    const l = new Date(b.key + tzOffset(b.key, tz));
    return Date.UTC(l.getUTCFullYear(), l.getUTCMonth(), l.getUTCDate());
  });
  return pieceSql(
    d,
    msExpr,
    buckets.slice(1).map((b) => b.key),
    labels,
  );
}
