import { localToUtc } from "../calendar/tz.js";

/** How a file writes its times. `iso` takes ISO 8601 with or without an offset (zone-less → the mapping's zone). */
export type DateFormat = "iso" | "d/m/yyyy HH:MM" | "m/d/yyyy HH:MM" | "epoch_s" | "epoch_ms" | "twitter";
export const DATE_FORMATS: DateFormat[] = ["iso", "d/m/yyyy HH:MM", "m/d/yyyy HH:MM", "epoch_s", "epoch_ms", "twitter"];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function valid(y: number, m: number, d: number, hh: number, mi: number, ss: number): boolean {
  if (m < 1 || m > 12 || d < 1 || hh > 23 || mi > 59 || ss > 60) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Offsets change at most a few times a year: one Intl lookup per zone and local hour is plenty. */
const offsetCache = new Map<string, number>();

function wall(y: number, m: number, d: number, hh: number, mi: number, ss: number, tz: string): number {
  if (!valid(y, m, d, hh, mi, ss)) return Number.NaN;
  const naive = Date.UTC(y, m - 1, d, hh, mi, ss);
  if (tz === "UTC") return naive;
  const key = `${tz}|${y}|${m}|${d}|${hh}`;
  let off = offsetCache.get(key);
  if (off === undefined) {
    off = localToUtc(y, m, d, hh * 60, tz) - Date.UTC(y, m - 1, d, hh);
    if (offsetCache.size > 200_000) offsetCache.clear();
    offsetCache.set(key, off);
  }
  return naive + off;
}

/**
 * Parses one time in the given format; NaN when it is not one (the caller rejects the row and
 * names the column). Zone-less times are read in `tz` (IANA), with daylight saving applied.
 */
export function parseDate(s: string, format: DateFormat, tz: string): number {
  const v = s.trim();
  switch (format) {
    case "epoch_s":
    case "epoch_ms": {
      if (!/^-?\d+(\.\d+)?$/.test(v)) return Number.NaN;
      return Math.round(Number(v) * (format === "epoch_s" ? 1000 : 1));
    }
    case "iso": {
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(v);
      if (!m) return Number.NaN;
      const [y, mo, d, hh, mi, ss] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number);
      const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
      if (!valid(y, mo, d, hh, mi, ss)) return Number.NaN;
      if (m[8])
        return (
          Date.parse(
            `${m[1]}-${m[2]}-${m[3]}T${String(hh).padStart(2, "0")}:${String(mi).padStart(2, "0")}:${String(ss).padStart(2, "0")}${m[8].toUpperCase() === "Z" ? "Z" : m[8].length === 5 ? `${m[8].slice(0, 3)}:${m[8].slice(3)}` : m[8]}`,
          ) + Math.round(frac)
        );
      return wall(y, mo, d, hh, mi, ss, tz) + Math.round(frac);
    }
    case "d/m/yyyy HH:MM":
    case "m/d/yyyy HH:MM": {
      const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
      if (!m) return Number.NaN;
      const [a, b, y, hh, mi, ss] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number);
      return format === "d/m/yyyy HH:MM" ? wall(y, b, a, hh, mi, ss, tz) : wall(y, a, b, hh, mi, ss, tz);
    }
    case "twitter": {
      // Tue Oct 31 22:10:47 +0000 2017
      const m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/.exec(v);
      if (!m) return Number.NaN;
      const mo = MONTHS.indexOf(m[1]) + 1;
      const [d, hh, mi, ss, y] = [m[2], m[3], m[4], m[5], m[9]].map(Number);
      if (mo === 0 || !valid(y, mo, d, hh, mi, ss)) return Number.NaN;
      const off = (m[6] === "-" ? -1 : 1) * (Number(m[7]) * 60 + Number(m[8])) * 60_000;
      return Date.UTC(y, mo - 1, d, hh, mi, ss) - off;
    }
  }
}

/** The first format that reads every sample (day-first wins over month-first only when a day > 12 shows it). */
export function guessDateFormat(samples: string[]): DateFormat | null {
  const vals = samples.map((s) => s.trim()).filter(Boolean);
  if (vals.length === 0) return null;
  const reads = (f: DateFormat) => vals.every((v) => !Number.isNaN(parseDate(v, f, "UTC")));
  if (vals.every((v) => /^\d{12,14}$/.test(v))) return "epoch_ms";
  if (vals.every((v) => /^\d{9,11}$/.test(v))) return "epoch_s";
  for (const f of ["iso", "twitter"] as DateFormat[]) if (reads(f)) return f;
  const dm = reads("d/m/yyyy HH:MM");
  const md = reads("m/d/yyyy HH:MM");
  if (dm && !md) return "d/m/yyyy HH:MM";
  if (md && !dm) return "m/d/yyyy HH:MM";
  if (dm && md) return "d/m/yyyy HH:MM";
  return null;
}
