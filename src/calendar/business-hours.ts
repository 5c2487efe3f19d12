import type { CalendarDef, Weekday } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";
import { isZone, localToUtc, tzOffset, utc } from "./tz.js";

/**
 * A business calendar compiled into sorted, disjoint open intervals (UTC epoch ms) with prefix
 * sums, so that "open time between a and b" is two binary searches and a subtraction. Local
 * opening hours become instants through the zone's real offsets (Intl, no dependency), so
 * daylight-saving changes and half-hour zones come out right. Local years are compiled on demand
 * as queries reach outside the covered range (1900–2300; outside it every instant counts as closed).
 *
 * Local times that do not exist or happen twice follow one rule: an opening or closing time means
 * the FIRST instant whose wall-clock reading is at or after it. So in a spring-forward gap
 * (New York, 02:00 → 03:00) an opening at 02:30 happens when the clocks jump (03:00 EDT), and in a
 * fall-back overlap (01:00–02:00 twice) 01:30 is its first occurrence (EDT). A 00:00–24:00 day is
 * therefore 23 h on the spring-forward day and 25 h on the fall-back day: the hours people work.
 */
export interface CompiledCalendar {
  readonly def: CalendarDef;
  /** open intervals [starts[i], ends[i]): sorted, disjoint, touching ones merged */
  starts: Float64Array;
  ends: Float64Array;
  /** prefix[i] = open ms before interval i; prefix[n] = all open ms of the covered range */
  prefix: Float64Array;
  /** working local dates j (some opening, not a holiday) as [dayStarts[j], dayEnds[j]) */
  dayStarts: Float64Array;
  dayEnds: Float64Array;
  /** dayIndex[k] = the last interval starting at or before UTC midnight of day dayBase + k (−1: none) */
  dayIndex: Int32Array;
  dayBase: number;
  /** covered local years (toYear < fromYear while nothing is compiled) */
  fromYear: number;
  toYear: number;
  /** every opening intersecting [safeFrom, safeTo] is compiled */
  safeFrom: number;
  safeTo: number;
}

/** Compiled state kept off the public shape: per-year pieces and the parsed definition. */
interface Internals {
  perWeekday: [number, number][][];
  holidays: Set<string>;
  years: Map<number, YearPiece>;
  /** open ms of a typical week, to size forward extensions in addBusinessMs */
  weekMs: number;
}
interface YearPiece {
  starts: number[];
  ends: number[];
  dayStarts: number[];
  dayEnds: number[];
}

const MIN = 60_000;
const DAY = 86_400_000;
const MIN_YEAR = 1900;
const MAX_YEAR = 2300;
const DAY_NAMES: Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const TIME_RE = /^([01]\d|2[0-4]):([0-5]\d)$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function minutesOf(s: unknown, where: string): number {
  const m = typeof s === "string" ? TIME_RE.exec(s) : null;
  if (!m || (m[1] === "24" && m[2] !== "00"))
    throw new UserError("invalid_calendar", `${where}: ${JSON.stringify(s)} is not a time; write "HH:MM" between "00:00" and "24:00" (24:00 = end of the day)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Checks a calendar and says exactly what to fix. */
export function validateCalendar(def: CalendarDef): void {
  const bad = (msg: string): never => {
    throw new UserError("invalid_calendar", msg);
  };
  if (!def || typeof def !== "object" || Array.isArray(def))
    bad('a calendar is an object: { "timezone": "Europe/London", "hours": { "mon": [["09:00", "17:00"]] }, "holidays": ["2026-12-25"] }');
  if (typeof def.timezone !== "string" || def.timezone === "") bad('timezone is missing; give an IANA name such as "Europe/London" or "Asia/Tehran"');
  if (!isZone(def.timezone)) bad(`unknown time zone "${def.timezone}"; use an IANA name such as "Europe/London", "America/New_York" or "Asia/Tehran"`);
  if (!def.hours || typeof def.hours !== "object" || Array.isArray(def.hours))
    bad('hours is missing; give opening intervals per weekday, e.g. "hours": { "mon": [["09:00", "17:00"]] }');
  for (const [day, spans] of Object.entries(def.hours)) {
    if (!DAY_NAMES.includes(day as Weekday)) bad(`hours: unknown weekday "${day}"; use ${DAY_NAMES.join(", ")}`);
    if (spans == null) continue;
    if (!Array.isArray(spans)) bad(`hours.${day} must be a list of ["HH:MM", "HH:MM"] pairs ([] = closed)`);
    spans.forEach((span, i) => {
      const where = `hours.${day}[${i}]`;
      if (!Array.isArray(span) || span.length !== 2) bad(`${where}: each opening is a pair ["HH:MM", "HH:MM"]`);
      const a = minutesOf(span[0], where);
      const b = minutesOf(span[1], where);
      if (b <= a)
        bad(
          `${where}: the end "${span[1]}" must be after the start "${span[0]}"; for a shift past midnight, split it: ["${span[0]}", "24:00"] on ${day} and ["00:00", "${span[1]}"] on the next day`,
        );
    });
  }
  if (def.holidays != null && !Array.isArray(def.holidays)) bad('holidays must be a list of local dates, e.g. ["2026-12-25"]');
  for (const h of def.holidays ?? []) {
    if (typeof h !== "string" || !DATE_RE.test(h) || new Date(`${h}T00:00:00Z`).toISOString().slice(0, 10) !== h)
      bad(`holiday ${JSON.stringify(h)} is not a date; write it as YYYY-MM-DD, e.g. "2026-12-25"`);
  }
}

const cache = new Map<string, CompiledCalendar>();
const byObject = new WeakMap<CalendarDef, CompiledCalendar>();
const internals = new WeakMap<CompiledCalendar, Internals>();

/**
 * Compiled once per calendar content (cached by its JSON); the same settings object is answered
 * without serialising it again, so treat a CalendarDef as immutable once compiled.
 */
export function compileCalendar(def: CalendarDef): CompiledCalendar {
  const hit = byObject.get(def);
  if (hit) return hit;
  const key = JSON.stringify(def);
  let c = cache.get(key);
  if (!c) {
    validateCalendar(def);
    c = {
      def,
      starts: new Float64Array(0),
      ends: new Float64Array(0),
      prefix: new Float64Array(1),
      dayStarts: new Float64Array(0),
      dayEnds: new Float64Array(0),
      dayIndex: new Int32Array(0),
      dayBase: 0,
      fromYear: 0,
      toYear: -1,
      safeFrom: Number.POSITIVE_INFINITY,
      safeTo: Number.NEGATIVE_INFINITY,
    };
    const perWeekday = DAY_NAMES.map((d) => mergeSpans((def.hours[d] ?? []).map(([a, b]) => [minutesOf(a, d), minutesOf(b, d)] as [number, number])));
    const weekMs = perWeekday.reduce((s, spans) => s + spans.reduce((x, [a, b]) => x + (b - a) * MIN, 0), 0);
    internals.set(c, { perWeekday, holidays: new Set(def.holidays ?? []), years: new Map(), weekMs });
    if (cache.size >= 256) cache.clear(); // settings change rarely; this only bounds a pathological caller
    cache.set(key, c);
  }
  byObject.set(def, c);
  return c;
}

/** Sorted, overlapping or touching spans of one weekday joined. */
function mergeSpans(spans: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function dayNumber(y: number, m: number, d: number): number {
  return Math.round(utc(y, m, d) / DAY);
}

function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/** The openings of the local dates of year y, in instant order. */
function compileYear(def: CalendarDef, it: Internals, y: number): YearPiece {
  const tz = def.timezone;
  const piece: YearPiece = { starts: [], ends: [], dayStarts: [], dayEnds: [] };
  const first = dayNumber(y, 1, 1);
  const last = dayNumber(y + 1, 1, 1);
  // Offsets at UTC midnights first-1 … last+2: a local date dn lies within [M(dn-1), M(dn+2)].
  const offs = new Float64Array(last - first + 3);
  for (let k = 0; k < offs.length; k++) offs[k] = tzOffset((first - 1 + k) * DAY, tz);
  for (let dn = first; dn < last; dn++) {
    const spans = it.perWeekday[(((dn + 4) % 7) + 7) % 7]; // 1970-01-01 was a Thursday
    if (spans.length === 0) continue;
    const date = new Date(dn * DAY);
    const m = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    if (it.holidays.size > 0 && it.holidays.has(isoDate(y, m, d))) continue;
    const k = dn - first;
    const off = offs[k];
    // No change anywhere near this date (zones change at most once in three days): plain arithmetic.
    const steady = offs[k + 1] === off && offs[k + 2] === off && offs[k + 3] === off;
    const at = (minutes: number) => (steady ? dn * DAY + minutes * MIN - off : localToUtc(y, m, d, minutes, tz, "jump"));
    let any = false;
    for (const [a, b] of spans) {
      const s = at(a);
      const e = at(b);
      if (e <= s) continue; // wholly inside a spring-forward gap
      any = true;
      const n = piece.ends.length;
      if (n > 0 && s <= piece.ends[n - 1]) piece.ends[n - 1] = Math.max(piece.ends[n - 1], e);
      else {
        piece.starts.push(s);
        piece.ends.push(e);
      }
    }
    if (any) {
      piece.dayStarts.push(at(0));
      piece.dayEnds.push(at(1440));
    }
  }
  return piece;
}

/** Compiles local years [from, to] (within MIN_YEAR…MAX_YEAR) and rebuilds the flat arrays. */
function coverYears(c: CompiledCalendar, from: number, to: number): void {
  const it = internals.get(c)!;
  from = Math.max(MIN_YEAR, Math.min(from, c.toYear < c.fromYear ? from : c.fromYear));
  to = Math.min(MAX_YEAR, Math.max(to, c.toYear < c.fromYear ? to : c.toYear));
  if (from === c.fromYear && to === c.toYear) return;
  const starts: number[] = [];
  const ends: number[] = [];
  const dayStarts: number[] = [];
  const dayEnds: number[] = [];
  for (let y = from; y <= to; y++) {
    let p = it.years.get(y);
    if (!p) {
      p = compileYear(c.def, it, y);
      it.years.set(y, p);
    }
    for (let i = 0; i < p.starts.length; i++) {
      const n = ends.length;
      // a 24-hour calendar runs across New Year: join the pieces
      if (n > 0 && p.starts[i] <= ends[n - 1]) ends[n - 1] = Math.max(ends[n - 1], p.ends[i]);
      else {
        starts.push(p.starts[i]);
        ends.push(p.ends[i]);
      }
    }
    for (let j = 0; j < p.dayStarts.length; j++) {
      dayStarts.push(p.dayStarts[j]);
      dayEnds.push(p.dayEnds[j]);
    }
  }
  const prefix = new Float64Array(starts.length + 1);
  for (let i = 0; i < starts.length; i++) prefix[i + 1] = prefix[i] + (ends[i] - starts[i]);
  c.starts = Float64Array.from(starts);
  c.ends = Float64Array.from(ends);
  c.prefix = prefix;
  c.dayStarts = Float64Array.from(dayStarts);
  c.dayEnds = Float64Array.from(dayEnds);
  // A per-UTC-day index turns the search for an instant's interval into a lookup and a short scan.
  c.dayBase = dayNumber(from, 1, 1) - 1;
  const days = dayNumber(to + 1, 1, 1) + 1 - c.dayBase;
  c.dayIndex = new Int32Array(days);
  for (let k = 0, i = -1; k < days; k++) {
    const midnight = (c.dayBase + k) * DAY;
    while (i + 1 < starts.length && starts[i + 1] <= midnight) i++;
    c.dayIndex[k] = i;
  }
  c.fromYear = from;
  c.toYear = to;
  // Local dates are at most ±14 h off UTC, so a day's margin keeps uncompiled dates out.
  c.safeFrom = from <= MIN_YEAR ? Number.NEGATIVE_INFINITY : utc(from, 1, 1) + DAY;
  c.safeTo = to >= MAX_YEAR ? Number.POSITIVE_INFINITY : utc(to + 1, 1, 1) - DAY;
}

/** Makes [lo, hi] safe, with a year of slack either side so nearby queries need no rebuild. */
function ensure(c: CompiledCalendar, lo: number, hi: number): void {
  if (lo >= c.safeFrom && hi <= c.safeTo) return;
  const yl = Number.isFinite(lo) ? new Date(Math.max(-8.64e15, lo)).getUTCFullYear() : MIN_YEAR;
  const yh = Number.isFinite(hi) ? new Date(Math.min(8.64e15, hi)).getUTCFullYear() : MAX_YEAR;
  if (Number.isNaN(yl) || Number.isNaN(yh)) return;
  coverYears(c, Math.min(yl, yh) - 1, Math.max(yl, yh) + 1);
}

/** Index of the last interval starting at or before t, or -1. */
function locate(c: CompiledCalendar, t: number): number {
  const k = Math.floor(t / DAY) - c.dayBase;
  if (k >= 0 && k < c.dayIndex.length) {
    const s = c.starts;
    let i = c.dayIndex[k];
    while (i + 1 < s.length && s[i + 1] <= t) i++;
    return i;
  }
  return search(c.starts, t);
}

function search(s: Float64Array, t: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Open ms from the start of the covered range up to instant t. */
function cumulative(c: CompiledCalendar, t: number): number {
  const i = locate(c, t);
  if (i < 0) return 0;
  const e = c.ends[i];
  return c.prefix[i] + Math.min(t, e) - c.starts[i];
}

/** Open milliseconds in [startMs, endMs); 0 when end ≤ start. */
export function businessMs(c: CompiledCalendar, startMs: number, endMs: number): number {
  if (!(endMs > startMs)) return 0;
  if (startMs < c.safeFrom || endMs > c.safeTo) ensure(c, startMs, endMs);
  return cumulative(c, endMs) - cumulative(c, startMs);
}

/**
 * The earliest instant at which `ms` open milliseconds have passed since `startMs` (an SLA due
 * time): a target that runs out exactly at closing time is due at closing time, not at the next
 * opening. `ms` ≤ 0 gives `startMs`; Infinity when the calendar never opens.
 */
export function addBusinessMs(c: CompiledCalendar, startMs: number, ms: number): number {
  if (!(ms > 0) || !Number.isFinite(startMs)) return ms <= 0 ? startMs : startMs + ms;
  const it = internals.get(c)!;
  if (it.weekMs === 0) return Number.POSITIVE_INFINITY;
  ensure(c, startMs, startMs);
  for (;;) {
    const from = cumulative(c, startMs);
    const target = from + ms;
    const n = c.starts.length;
    if (target <= c.prefix[n]) {
      // first interval whose open time reaches the target
      let lo = Math.max(0, locate(c, startMs));
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (c.prefix[mid + 1] >= target) hi = mid;
        else lo = mid + 1;
      }
      return c.starts[lo] + (target - c.prefix[lo]);
    }
    if (c.toYear >= MAX_YEAR) return Number.POSITIVE_INFINITY;
    // grow by the years the remaining time needs at a normal week's pace (holidays → loop again)
    const years = Math.ceil((target - c.prefix[n]) / (it.weekMs * 52)) + 1;
    coverYears(c, c.fromYear, c.toYear + years);
  }
}

/** Whether instant `ms` is inside an opening. */
export function isOpen(c: CompiledCalendar, ms: number): boolean {
  if (!(ms >= c.safeFrom && ms <= c.safeTo)) ensure(c, ms, ms);
  const i = locate(c, ms);
  return i >= 0 && ms < c.ends[i];
}

/** Number of sorted values < t (or ≤ t when `orEqual`). */
function countBelow(a: Float64Array, t: number, orEqual = false): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < t || (orEqual && a[mid] === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Working local dates (some opening that day, not a holiday) whose day overlaps [fromMs, toMs).
 * For buckets that start and end at local midnight, that is the working dates in the bucket.
 */
export function workingDays(c: CompiledCalendar, fromMs: number, toMs: number): number {
  if (!(toMs > fromMs)) return 0;
  if (fromMs < c.safeFrom || toMs > c.safeTo) ensure(c, fromMs, toMs);
  // dates starting before `to`, minus those already over by `from`
  const started = countBelow(c.dayStarts, toMs);
  const over = countBelow(c.dayEnds, fromMs, true);
  return Math.max(0, started - over);
}
