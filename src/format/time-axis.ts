/**
 * A continuous time axis: every bucket of a range in the workspace's zone, including the ones
 * with no data, so charts of one page share their x-axis and gaps show as gaps. Bucket starts
 * match the server's (local wall-clock starts, see src/metrics/buckets.ts); the previous period is
 * paired with this one by date (shifted by the range's length), not by position.
 */
import { tzOffset } from "../calendar/tz.js";

/** persian_month: Solar Hijri months, as the server's grain of that name */
export type AxisGrain = "hour" | "day" | "week" | "month" | "persian_month";

const persianDay = new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", { timeZone: "UTC", day: "numeric" });
/** Start of the Persian month holding a local date, as a local date. */
function persianMonthStart(y: number, m: number, d: number): Date {
  const day = Number(persianDay.formatToParts(new Date(Date.UTC(y, m - 1, d))).find((x) => x.type === "day")?.value);
  return new Date(Date.UTC(y, m - 1, d - (day - 1)));
}
const WEEKDAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** The wall clock of instant `ms` in zone `tz` (dow: 0 = Sunday). */
export function wall(ms: number, tz: string): { y: number; m: number; d: number; h: number; min: number; dow: number } {
  const local = new Date(ms + tzOffset(ms, tz));
  return {
    y: local.getUTCFullYear(),
    m: local.getUTCMonth() + 1,
    d: local.getUTCDate(),
    h: local.getUTCHours(),
    min: local.getUTCMinutes(),
    dow: local.getUTCDay(),
  };
}

/** The instant a local wall-clock time stands for in `tz` (the earlier one when it repeats). */
export function localToInstant(y: number, m: number, d: number, h: number, tz: string): number {
  const guess = Date.UTC(y, m - 1, d, h);
  let t = guess;
  for (let i = 0; i < 3; i++) {
    const w = wall(t, tz);
    const shown = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min);
    if (shown === guess) break;
    t += guess - shown;
  }
  return t;
}

/** Start of the bucket containing `ms`. */
export function bucketStartOf(ms: number, grain: AxisGrain, tz: string, weekStart = "mon"): number {
  const w = wall(ms, tz);
  if (grain === "hour") return localToInstant(w.y, w.m, w.d, w.h, tz);
  if (grain === "day") return localToInstant(w.y, w.m, w.d, 0, tz);
  if (grain === "month") return localToInstant(w.y, w.m, 1, 0, tz);
  if (grain === "persian_month") {
    const x = persianMonthStart(w.y, w.m, w.d);
    return localToInstant(x.getUTCFullYear(), x.getUTCMonth() + 1, x.getUTCDate(), 0, tz);
  }
  const back = (w.dow - WEEKDAY_NAMES.indexOf(weekStart) + 7) % 7;
  const x = new Date(Date.UTC(w.y, w.m - 1, w.d - back));
  return localToInstant(x.getUTCFullYear(), x.getUTCMonth() + 1, x.getUTCDate(), 0, tz);
}

function nextStart(start: number, grain: AxisGrain, tz: string): number {
  const w = wall(start, tz);
  if (grain === "hour") return Math.max(start + 3_600_000, localToInstant(w.y, w.m, w.d, w.h + 1, tz));
  if (grain === "persian_month") {
    const x = persianMonthStart(w.y, w.m, w.d + 33);
    return localToInstant(x.getUTCFullYear(), x.getUTCMonth() + 1, x.getUTCDate(), 0, tz);
  }
  const step = (dy: number, dm: number, dd: number) => {
    const x = new Date(Date.UTC(w.y + dy, w.m - 1 + dm, w.d + dd));
    return localToInstant(x.getUTCFullYear(), x.getUTCMonth() + 1, grain === "month" ? 1 : x.getUTCDate(), 0, tz);
  };
  return grain === "day" ? step(0, 0, 1) : grain === "week" ? step(0, 0, 7) : step(0, 1, 0);
}

/** The instant a range bound stands for: a bare date is midnight in the workspace's zone, as the API reads it. */
export function rangeBound(s: string, tz: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? localToInstant(Number(m[1]), Number(m[2]), Number(m[3]), 0, tz) : Date.parse(s);
}

/** Every bucket start from the bucket holding `fromMs` up to (not including) `toMs`. */
export function bucketAxis(fromMs: number, toMs: number, grain: AxisGrain, tz: string, weekStart = "mon"): number[] {
  const out: number[] = [];
  for (let b = bucketStartOf(fromMs, grain, tz, weekStart); b < toMs && out.length < 5000; b = nextStart(b, grain, tz)) out.push(b);
  return out;
}

/** Places values on the axis by their bucket instant; buckets without one get null. */
export function onAxis<T>(axis: number[], rows: { at: number; value: T }[]): (T | null)[] {
  const byAt = new Map(rows.map((r) => [r.at, r.value]));
  return axis.map((b) => (byAt.has(b) ? (byAt.get(b) as T) : null));
}

/**
 * Pairs the previous period's buckets with this period's by date: a previous bucket moved forward
 * by the range's length lands on the nearest bucket of this axis (within half a bucket).
 */
export function pairPrevious<T>(axis: number[], shiftMs: number, prev: { at: number; value: T }[]): (T | null)[] {
  const out: (T | null)[] = axis.map(() => null);
  if (axis.length === 0) return out;
  const half = axis.length > 1 ? (axis[1] - axis[0]) / 2 : 43_200_000;
  for (const p of prev) {
    const at = p.at + shiftMs;
    let best = -1;
    let dist = Number.POSITIVE_INFINITY;
    for (let i = 0; i < axis.length; i++) {
      const d = Math.abs(axis[i] - at);
      if (d < dist) {
        dist = d;
        best = i;
      }
    }
    if (best >= 0 && dist <= half) out[best] = p.value;
  }
  return out;
}
