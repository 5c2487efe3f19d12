import type { CalendarDef, Weekday } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";

/**
 * A business calendar compiled into sorted open intervals (UTC epoch ms) with prefix sums, so
 * that "open time between a and b" is two binary searches and a subtraction. Local opening hours
 * are turned into instants through the zone's real offsets (Intl), so daylight-saving changes and
 * half-hour zones come out right. Covered years grow on demand.
 */
export interface CompiledCalendar {
  readonly def: CalendarDef;
  starts: Float64Array;
  ends: Float64Array;
  /** open ms before interval i */
  prefix: Float64Array;
  /** local day number (days since 1970-01-01 local) of interval i */
  days: Int32Array;
  fromYear: number;
  toYear: number;
  /** instants strictly inside the covered years (checked on every call, so kept as numbers) */
  safeFrom: number;
  safeTo: number;
}

const DAY_NAMES: Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const TIME_RE = /^([01]\d|2[0-4]):([0-5]\d)$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

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

/** The zone's offset from UTC at instant `ms`, in ms (local = utc + offset). */
export function tzOffset(ms: number, tz: string): number {
  const p = formatter(tz).formatToParts(new Date(ms));
  const v: Record<string, number> = {};
  for (const x of p) if (x.type !== "literal") v[x.type] = Number(x.value);
  const local = Date.UTC(v.year, v.month - 1, v.day, v.hour === 24 ? 0 : v.hour, v.minute, v.second);
  return local - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a local wall-clock time. In a spring-forward gap the time does not exist and
 * we take the instant the same number of minutes after the gap starts (09:30 in a 09:00–10:00
 * gap is 10:30 local); in a fall-back overlap we take the earlier instant.
 */
export function localToUtc(y: number, m: number, d: number, minutes: number, tz: string): number {
  const guess = Date.UTC(y, m - 1, d) + minutes * 60_000;
  const o1 = tzOffset(guess - 12 * 3_600_000, tz);
  const o2 = tzOffset(guess + 12 * 3_600_000, tz);
  const a = guess - o1;
  if (o1 === o2) return a;
  // Around a change: prefer the candidate whose offset agrees with itself; earlier on overlap.
  const b = guess - o2;
  const aOk = tzOffset(a, tz) === o1;
  const bOk = tzOffset(b, tz) === o2;
  if (aOk && bOk) return Math.min(a, b);
  if (aOk) return a;
  if (bOk) return b;
  return a;
}

function minutesOf(s: string, where: string): number {
  const m = TIME_RE.exec(s);
  if (!m || (m[1] === "24" && m[2] !== "00")) throw new UserError("invalid_calendar", `${where}: "${s}" is not a time HH:MM (00:00–24:00)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Checks a calendar and says exactly what to fix. */
export function validateCalendar(def: CalendarDef): void {
  if (!def || typeof def !== "object") throw new UserError("invalid_calendar", "a calendar is an object with timezone, hours and holidays");
  try {
    formatter(def.timezone).format(0);
  } catch {
    throw new UserError("invalid_calendar", `unknown time zone "${def.timezone}"; use an IANA name such as Europe/London or Asia/Tehran`);
  }
  for (const [day, spans] of Object.entries(def.hours ?? {})) {
    if (!DAY_NAMES.includes(day as Weekday)) throw new UserError("invalid_calendar", `unknown weekday "${day}"; use ${DAY_NAMES.join(", ")}`);
    for (const span of spans ?? []) {
      if (!Array.isArray(span) || span.length !== 2) throw new UserError("invalid_calendar", `hours.${day}: each opening is ["HH:MM", "HH:MM"]`);
      const a = minutesOf(span[0], `hours.${day}`);
      const b = minutesOf(span[1], `hours.${day}`);
      if (b <= a) throw new UserError("invalid_calendar", `hours.${day}: ${span[1]} must be after ${span[0]}`);
    }
  }
  for (const h of def.holidays ?? []) {
    if (!DATE_RE.test(h) || Number.isNaN(Date.parse(`${h}T00:00:00Z`)) || new Date(`${h}T00:00:00Z`).toISOString().slice(0, 10) !== h)
      throw new UserError("invalid_calendar", `holiday "${h}" is not a date YYYY-MM-DD`);
  }
}

const cache = new Map<string, CompiledCalendar>();
const byObject = new WeakMap<CalendarDef, CompiledCalendar>();

/** Compiled once per calendar (by content; the same settings object is answered without re-hashing it). */
export function compileCalendar(def: CalendarDef): CompiledCalendar {
  const hit = byObject.get(def);
  if (hit) return hit;
  const key = JSON.stringify(def);
  let c = cache.get(key);
  if (!c) {
    validateCalendar(def);
    c = { def, starts: new Float64Array(), ends: new Float64Array(), prefix: new Float64Array(), days: new Int32Array(), fromYear: 0, toYear: -1, safeFrom: 0, safeTo: -1 };
    build(c, 2018, 2030);
    cache.set(key, c);
  }
  byObject.set(def, c);
  return c;
}

function build(c: CompiledCalendar, fromYear: number, toYear: number): void {
  const { def } = c;
  const holidays = new Set(def.holidays ?? []);
  const perDay: [number, number][][] = DAY_NAMES.map((d) =>
    (def.hours[d] ?? []).map(([a, b]) => [minutesOf(a, d), minutesOf(b, d)] as [number, number]).sort((x, y) => x[0] - y[0]),
  );
  const starts: number[] = [];
  const ends: number[] = [];
  const days: number[] = [];
  const first = Date.UTC(fromYear, 0, 1) / 86_400_000;
  const last = Date.UTC(toYear + 1, 0, 1) / 86_400_000;
  for (let dn = first; dn < last; dn++) {
    const date = new Date(dn * 86_400_000);
    const spans = perDay[date.getUTCDay()];
    if (spans.length === 0) continue;
    const iso = date.toISOString().slice(0, 10);
    if (holidays.has(iso)) continue;
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    for (const [a, b] of spans) {
      const s = localToUtc(y, m, d, a, def.timezone);
      const e = localToUtc(y, m, d, b, def.timezone);
      if (e <= s) continue;
      // merge touching spans (e.g. 00:00–24:00 on consecutive days)
      if (ends.length > 0 && s <= ends[ends.length - 1]) ends[ends.length - 1] = Math.max(ends[ends.length - 1], e);
      else {
        starts.push(s);
        ends.push(e);
        days.push(dn);
      }
    }
  }
  const prefix = new Float64Array(starts.length + 1);
  for (let i = 0; i < starts.length; i++) prefix[i + 1] = prefix[i] + (ends[i] - starts[i]);
  c.starts = Float64Array.from(starts);
  c.ends = Float64Array.from(ends);
  c.prefix = prefix;
  c.days = Int32Array.from(days);
  c.fromYear = fromYear;
  c.toYear = toYear;
  c.safeFrom = Date.UTC(fromYear + 1, 0, 1);
  c.safeTo = Date.UTC(toYear, 0, 1);
}

function cover(c: CompiledCalendar, ms: number): void {
  if (ms >= c.safeFrom && ms < c.safeTo) return;
  const y = new Date(ms).getUTCFullYear();
  if (y > c.fromYear && y < c.toYear) return;
  if (y <= c.fromYear || y >= c.toYear) build(c, Math.max(1970, Math.min(c.fromYear, y - 1)), Math.min(2200, Math.max(c.toYear, y + 1)));
}

/** index of the last interval starting at or before t, or -1 */
function locate(c: CompiledCalendar, t: number): number {
  let lo = 0;
  let hi = c.starts.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c.starts[mid] <= t) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** open ms from the start of the compiled range up to instant t */
function cumulative(c: CompiledCalendar, t: number): number {
  const i = locate(c, t);
  if (i < 0) return 0;
  return c.prefix[i] + Math.min(t, c.ends[i]) - c.starts[i];
}

/** Open milliseconds in [startMs, endMs); 0 when end ≤ start. */
export function businessMs(c: CompiledCalendar, startMs: number, endMs: number): number {
  if (!(endMs > startMs)) return 0;
  cover(c, startMs);
  cover(c, endMs);
  return cumulative(c, endMs) - cumulative(c, startMs);
}

/** The instant at which `ms` open milliseconds have passed since `startMs`. */
export function addBusinessMs(c: CompiledCalendar, startMs: number, ms: number): number {
  if (ms <= 0) return startMs;
  cover(c, startMs);
  for (;;) {
    const target = cumulative(c, startMs) + ms;
    if (target <= c.prefix[c.starts.length]) {
      // first interval whose prefix end reaches the target
      let lo = 0;
      let hi = c.starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (c.prefix[mid + 1] >= target) hi = mid;
        else lo = mid + 1;
      }
      return c.starts[lo] + (target - c.prefix[lo]);
    }
    if (c.toYear >= 2200 || c.starts.length === 0) return Number.POSITIVE_INFINITY;
    build(c, c.fromYear, c.toYear + 5);
  }
}

export function isOpen(c: CompiledCalendar, ms: number): boolean {
  cover(c, ms);
  const i = locate(c, ms);
  return i >= 0 && ms < c.ends[i];
}

/** Local dates in [fromMs, toMs) with any opening (holidays and weekends excluded). */
export function workingDays(c: CompiledCalendar, fromMs: number, toMs: number): number {
  if (!(toMs > fromMs)) return 0;
  cover(c, fromMs);
  cover(c, toMs);
  let i = Math.max(0, locate(c, fromMs));
  let n = 0;
  let lastDay = Number.NaN;
  for (; i < c.starts.length && c.starts[i] < toMs; i++) {
    if (c.ends[i] <= fromMs) continue;
    if (c.days[i] !== lastDay) {
      n++;
      lastDay = c.days[i];
    }
  }
  return n;
}
