import { localToUtc, tzOffset } from "../calendar/business-hours.js";
import { WEEKDAYS, type Weekday } from "../config/settings.js";
import type { Grain } from "./dialect.js";

/** Local calendar fields of an instant in a zone. */
function local(ms: number, tz: string) {
  const d = new Date(ms + tzOffset(ms, tz));
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, day: d.getUTCDate(), h: d.getUTCHours(), dow: d.getUTCDay() };
}

/** Start of the bucket containing `ms`, like the dialects' `bucket()` but in TypeScript (for bucket lists). */
export function bucketStart(grain: Grain, ms: number, tz: string, weekStart: Weekday): number {
  const l = local(ms, tz);
  switch (grain) {
    case "hour":
      return localToUtc(l.y, l.m, l.day, l.h * 60, tz);
    case "day":
      return localToUtc(l.y, l.m, l.day, 0, tz);
    case "week": {
      const back = (l.dow - WEEKDAYS.indexOf(weekStart) + 7) % 7;
      const d = new Date(Date.UTC(l.y, l.m - 1, l.day - back));
      return localToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, tz);
    }
    case "month":
      return localToUtc(l.y, l.m, 1, 0, tz);
    case "quarter":
      return localToUtc(l.y, l.m - ((l.m - 1) % 3), 1, 0, tz);
    case "year":
      return localToUtc(l.y, 1, 1, 0, tz);
  }
}

/** The instant a bucket label (local wall-clock start read as UTC, see SqlDialect.bucket) stands for: its earliest occurrence. */
export function labelToInstant(label: number, tz: string): number {
  const d = new Date(label);
  return localToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours() * 60 + d.getUTCMinutes(), tz);
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(grain: Grain, start: number, tz: string): number {
  const l = local(start, tz);
  const at = (y: number, m: number, d: number, min = 0) => {
    const x = new Date(Date.UTC(y, m - 1, d));
    return localToUtc(x.getUTCFullYear(), x.getUTCMonth() + 1, x.getUTCDate(), min, tz);
  };
  switch (grain) {
    case "hour": {
      const n = localToUtc(l.y, l.m, l.day, (l.h + 1) * 60, tz);
      return n > start ? n : start + 3_600_000;
    }
    case "day":
      return at(l.y, l.m, l.day + 1);
    case "week":
      return at(l.y, l.m, l.day + 7);
    case "month":
      return at(l.y, l.m + 1, 1);
    case "quarter":
      return at(l.y, l.m + 3, 1);
    case "year":
      return at(l.y + 1, 1, 1);
  }
}

/** Buckets [start, end) covering [from, to), the first and last clipped to the range. */
export function bucketList(grain: Grain | undefined, from: number, to: number, tz: string, weekStart: Weekday): { start: number; end: number; key: number }[] {
  if (!grain) return [{ start: from, end: to, key: from }];
  const out: { start: number; end: number; key: number }[] = [];
  let b = bucketStart(grain, from, tz, weekStart);
  while (b < to && out.length < 10_000) {
    const n = nextBucket(grain, b, tz);
    out.push({ start: Math.max(b, from), end: Math.min(n, to), key: b });
    b = n;
  }
  return out;
}
