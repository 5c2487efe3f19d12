/**
 * Business-hours arithmetic on epoch milliseconds. A calendar is compiled once into sorted
 * open intervals (UTC ms) so that each duration is a binary search plus a subtraction of
 * prefix sums — the projector calls this for every ticket and response.
 *
 * CONTRACT (implemented by src/calendar/business-hours.ts):
 *   compileCalendar(def)                  → CompiledCalendar (lazily extends its interval range)
 *   businessMs(cal, startMs, endMs)       → open milliseconds in [start, end) (0 if end <= start)
 *   addBusinessMs(cal, startMs, ms)       → the instant when `ms` open milliseconds have elapsed
 *   isOpen(cal, ms)                       → boolean
 *   workingDays(cal, fromMs, toMs)        → number of local dates in [from, to) with any opening
 * and the zone arithmetic it rests on (src/calendar/tz.ts): tzOffset, localToUtc, startOfLocalDay.
 */
export * from "./business-hours.js";
export * from "./tz.js";
