import { localToUtc as slowLocalToUtc } from "../calendar/tz.js";
import { zoneOffset } from "../calendar/zone-offsets.js";
import { WEEKDAYS, type Weekday } from "../config/settings.js";
import type { Grain } from "./grains.js";

/** The instant of a local wall-clock time (see business-hours.ts), with the cached zone offsets. */
const localToUtc = (y: number, m: number, d: number, minutes: number, tz: string) => slowLocalToUtc(y, m, d, minutes, tz, "shift", zoneOffset);

/** Local calendar fields of an instant in a zone. */
function local(ms: number, tz: string) {
  const d = new Date(ms + zoneOffset(ms, tz));
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
    case "persian_month":
    case "persian_year": {
      const back = persianDaysIn(grain, l.y, l.m, l.day);
      return localToUtc(l.y, l.m, l.day - back, 0, tz);
    }
  }
}

const persianFmt = new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", { timeZone: "UTC", year: "numeric", month: "numeric", day: "numeric" });

/** The Solar Hijri date of a Gregorian date (ICU's Persian calendar, through Intl). */
export function persianDate(y: number, m: number, d: number): { y: number; m: number; d: number } {
  const v: Record<string, number> = {};
  for (const x of persianFmt.formatToParts(Date.UTC(y, m - 1, d)))
    if (x.type === "year" || x.type === "month" || x.type === "day") v[x.type] = Number.parseInt(x.value, 10);
  return { y: v.year, m: v.month, d: v.day };
}

/** Days from the start of the Persian month (or year) to the Gregorian date y-m-d: months 1–6 have 31 days, 7–11 have 30. */
function persianDaysIn(grain: "persian_month" | "persian_year", y: number, m: number, d: number): number {
  const p = persianDate(y, m, d);
  if (grain === "persian_month") return p.d - 1;
  return (p.m <= 7 ? (p.m - 1) * 31 : 186 + (p.m - 7) * 30) + p.d - 1;
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
    case "persian_month":
    case "persian_year": {
      // a day well inside the next month (year), then back to its first day
      const ahead = new Date(Date.UTC(l.y, l.m - 1, l.day + (grain === "persian_month" ? 33 : 370)));
      const [y, m, d] = [ahead.getUTCFullYear(), ahead.getUTCMonth() + 1, ahead.getUTCDate()];
      return at(y, m, d - persianDaysIn(grain, y, m, d));
    }
  }
}

/** Buckets [start, end) covering [from, to), the first and last clipped to the range. */
export function bucketList(grain: Grain | undefined, from: number, to: number, tz: string, weekStart: Weekday): { start: number; end: number; key: number }[] {
  if (!grain) return [{ start: from, end: to, key: from }];
  const out: { start: number; end: number; key: number }[] = [];
  let b = bucketStart(grain, from, tz, weekStart);
  while (b < to && out.length < 10_100) {
    const n = nextBucket(grain, b, tz);
    out.push({ start: Math.max(b, from), end: Math.min(n, to), key: b });
    b = n;
  }
  return out;
}
