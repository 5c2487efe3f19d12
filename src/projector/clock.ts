import { addBusinessMs, businessMs, type CompiledCalendar, compileCalendar } from "../calendar/index.js";
import type { WorkspaceSettings } from "../config/settings.js";

/** A way of measuring elapsed time: the calendar clock, or open hours of a business calendar. */
export interface Clock {
  between(a: number, b: number): number;
  add(a: number, ms: number): number;
}

export const calendarClock: Clock = {
  between: (a, b) => Math.max(0, b - a),
  add: (a, ms) => a + ms,
};

const clocks = new WeakMap<CompiledCalendar, Clock>();

/** The clock of a compiled calendar, made once per calendar (a replay asks for it once per ticket). */
export function businessClock(cal: CompiledCalendar): Clock {
  let clock = clocks.get(cal);
  if (!clock) {
    clock = { between: (a, b) => businessMs(cal, a, b), add: (a, ms) => addBusinessMs(cal, a, ms) };
    clocks.set(cal, clock);
  }
  return clock;
}

/** The business calendar of a team (its own, or the workspace's). */
export function calendarFor(settings: WorkspaceSettings, teamId: string | null): CompiledCalendar {
  return compileCalendar((teamId && settings.team_calendars[teamId]) || settings.calendar);
}

/** A status period of a ticket; `end` null while it lasts. */
export interface Period {
  status: string;
  start: number;
  end: number | null;
}

/** Time on `clock` between a and b, not counting periods whose status pauses the clock. */
export function activeMs(clock: Clock, periods: Period[], paused: Set<string>, a: number, b: number): number {
  if (!(b > a)) return 0;
  if (paused.size === 0 || periods.length === 0) return clock.between(a, b);
  let total = 0;
  // time before the first known period counts as running
  if (a < periods[0].start) total += clock.between(a, Math.min(b, periods[0].start));
  for (const p of periods) {
    if (paused.has(p.status)) continue;
    const s = Math.max(a, p.start);
    const e = Math.min(b, p.end ?? Number.POSITIVE_INFINITY);
    if (e > s) total += clock.between(s, e);
  }
  return total;
}

/**
 * When a target of `targetMs` running time from `start` expires, if nothing pauses the clock
 * after the last known period; null while the ticket sits in a paused status.
 */
export function dueAt(clock: Clock, periods: Period[], paused: Set<string>, start: number, targetMs: number): number | null {
  let remaining = targetMs;
  let cursor = start;
  if (periods.length === 0 || start < periods[0].start) {
    const until = periods.length ? periods[0].start : Number.POSITIVE_INFINITY;
    const avail = until === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : clock.between(start, until);
    if (avail >= remaining) return clock.add(start, remaining);
    remaining -= avail;
    cursor = until;
  }
  for (const p of periods) {
    const end = p.end ?? Number.POSITIVE_INFINITY;
    if (end <= cursor) continue;
    const s = Math.max(cursor, p.start);
    if (paused.has(p.status)) {
      if (p.end === null) return null;
      continue;
    }
    const avail = end === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : clock.between(s, end);
    if (avail >= remaining) return clock.add(s, remaining);
    remaining -= avail;
  }
  return null;
}
