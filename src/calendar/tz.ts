/**
 * Time-zone arithmetic on epoch milliseconds, from the zone's real offsets (Intl, no dependency):
 * offsets, local wall-clock times to instants and back, the start of a local day. Business-hours
 * calendars (business-hours.ts) and bucket boundaries (zone-offsets.ts, src/metrics) build on it.
 */

const MIN = 60_000;
const DAY = 86_400_000;
const PARTS_RE = /(\d+)\D+(\d+)\D+(\d+)\D+(\d+)\D+(\d+)\D+(\d+)/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Date.UTC without its 0–99 → 1900s quirk. */
export function utc(y: number, m: number, d: number, h = 0, mi = 0, s = 0): number {
  const t = Date.UTC(y, m - 1, d, h, mi, s);
  return y >= 0 && y < 100 ? new Date(t).setUTCFullYear(y) : t;
}

/** The zone's offset from UTC at instant `ms`, in ms (local = utc + offset). */
export function tzOffset(ms: number, tz: string): number {
  if (tz === "UTC") return 0;
  const f = formatter(tz);
  const whole = Math.floor(ms / 1000) * 1000;
  // format() + a regex is ~3× faster than formatToParts(); "M/D/YYYY, HH:MM:SS" in en-US.
  const m = PARTS_RE.exec(f.format(whole));
  let local: number;
  if (m) local = utc(+m[3], +m[1], +m[2], +m[4] === 24 ? 0 : +m[4], +m[5], +m[6]);
  else {
    const v: Record<string, number> = {};
    for (const x of f.formatToParts(whole)) if (x.type !== "literal") v[x.type] = Number(x.value);
    local = utc(v.year, v.month, v.day, v.hour === 24 ? 0 : v.hour, v.minute, v.second);
  }
  return local - whole;
}

/**
 * The instant of a local wall-clock time (`minutes` after local midnight of y-m-d; may be 1440
 * or more). `gap` says what a time that does not exist means: "shift" moves it forward by the
 * length of the gap (02:30 → 03:30, as java.time and Temporal's "compatible" do; right for
 * parsing recorded times), "jump" takes the instant the clocks jump (02:30 → 03:00; right for
 * opening hours). A time that happens twice is its earlier occurrence either way. `offset`
 * may be a faster equivalent of `tzOffset` (zone-offsets.ts' `zoneOffset`, for bucket lists).
 */
export function localToUtc(
  y: number,
  m: number,
  d: number,
  minutes: number,
  tz: string,
  gap: "shift" | "jump" = "shift",
  offset: (ms: number, tz: string) => number = tzOffset,
): number {
  const guess = utc(y, m, d) + minutes * MIN;
  if (tz === "UTC") return guess;
  // Offsets a day either side bracket every real offset (−12 h … +14 h) around the wall time.
  const before = offset(guess - DAY, tz);
  const after = offset(guess + DAY, tz);
  const a = guess - before;
  if (before === after) return a;
  const b = guess - after;
  const aOk = offset(a, tz) === before;
  const bOk = offset(b, tz) === after;
  if (aOk && bOk) return Math.min(a, b);
  if (aOk) return a;
  if (bOk) return b;
  if (gap === "shift") return a;
  return transitionBetween(Math.min(a, b), Math.max(a, b), tz);
}

/** The first whole second in (lo, hi] whose offset differs from lo's. */
function transitionBetween(lo: number, hi: number, tz: string): number {
  const o = tzOffset(lo, tz);
  let l = Math.floor(lo / 1000);
  let h = Math.ceil(hi / 1000);
  while (h - l > 1) {
    const mid = Math.floor((l + h) / 2);
    if (tzOffset(mid * 1000, tz) === o) l = mid;
    else h = mid;
  }
  return h * 1000;
}

/** Whether Intl knows the IANA zone `tz`. */
export function isZone(tz: string): boolean {
  try {
    formatter(tz).format(0);
    return true;
  } catch {
    formatters.delete(tz);
    return false;
  }
}

/** The local calendar date of instant `ms` in zone `tz`. */
export function localDate(ms: number, tz: string, offset: (ms: number, tz: string) => number = tzOffset): { y: number; m: number; d: number } {
  const t = new Date(ms + offset(ms, tz));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/**
 * The first instant of the local day that contains `ms`: local midnight, or, where midnight does
 * not exist (America/Havana springs from 00:00 to 01:00), the instant the clocks jump. A day is
 * 23 or 25 hours long on DST change days, so this is not "ms minus the wall-clock time since 00:00".
 */
export function startOfLocalDay(ms: number, tz: string, offset: (ms: number, tz: string) => number = tzOffset): number {
  const { y, m, d } = localDate(ms, tz, offset);
  return localToUtc(y, m, d, 0, tz, "jump", offset);
}
