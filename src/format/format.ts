/**
 * One way to write numbers, durations, percentages and dates per language, shared by the
 * dashboard, the CLI and the exports. Everything goes through Intl so a page uses one digit
 * system throughout (Arabic-Indic in ar, Persian in fa) and fa dates are in the Solar Hijri
 * calendar. Duration units are chosen from the magnitude ("45 s", "12 min", "2 h 14 min", "3 d 4 h").
 */
export type Lang = "en" | "ar" | "fa" | "zh-Hant";
export const LANG_IDS: Lang[] = ["en", "ar", "fa", "zh-Hant"];

/** Intl locales: ar with its own digits, fa with its own digits and calendar. */
export const LOCALES: Record<Lang, string> = { en: "en-GB", ar: "ar-EG", fa: "fa-IR-u-ca-persian", "zh-Hant": "zh-Hant-TW" };

export type DurationUnit = "s" | "min" | "h" | "d";
export const UNIT_SECONDS: Record<DurationUnit, number> = { s: 1, min: 60, h: 3600, d: 86_400 };

/** The unit words support teams write in each language (short, as on a dashboard tile). */
const UNIT_WORDS: Record<Lang, Record<DurationUnit, string>> = {
  en: { s: "s", min: "min", h: "h", d: "d" },
  ar: { s: "ثانية", min: "دقيقة", h: "ساعة", d: "يوم" },
  fa: { s: "ثانیه", min: "دقیقه", h: "ساعت", d: "روز" },
  "zh-Hant": { s: "秒", min: "分鐘", h: "小時", d: "天" },
};
/** How two parts of a duration join: "2 h 14 min", "۲ ساعت و ۱۴ دقیقه". */
const JOIN: Record<Lang, string> = { en: " ", ar: " و ", fa: " و ", "zh-Hant": " " };
const DASH = "–";

export function isLang(x: unknown): x is Lang {
  return typeof x === "string" && (LANG_IDS as string[]).includes(x);
}

export const isRtlLang = (l: Lang) => l === "ar" || l === "fa";

/** The largest unit a duration axis or figure should count in, from its magnitude. */
export function unitFor(seconds: number): DurationUnit {
  const s = Math.abs(seconds);
  if (s < 120) return "s";
  if (s < 2 * 3600) return "min";
  if (s < 3 * 86_400) return "h";
  return "d";
}

/** The larger unit of a written duration: 45 s, 12 min, 2 h 14 min, 3 d 4 h. */
function durationUnit(s: number): DurationUnit {
  return s < 60 ? "s" : s < 3600 ? "min" : s < 86_400 ? "h" : "d";
}
const smaller = (u: DurationUnit): DurationUnit => (u === "d" ? "h" : u === "h" ? "min" : "s");

export interface Formatter {
  readonly lang: Lang;
  readonly locale: string;
  readonly timeZone: string | undefined;
  /** a number with at most `digits` decimals, grouped */
  number(v: number | null | undefined, digits?: number): string;
  integer(v: number | null | undefined): string;
  /** v is already 0–100 */
  percent(v: number | null | undefined, digits?: number): string;
  /** "2 h 14 min": at most two parts, the larger chosen from the magnitude */
  duration(seconds: number | null | undefined): string;
  /** a number of a unit, e.g. an axis tick: "1.5 h" */
  inUnit(v: number, unit: DurationUnit, digits?: number): string;
  unitWord(unit: DurationUnit): string;
  /** a catalog unit's value: seconds, percent, count, score, ratio, currency */
  value(v: number | null | undefined, unit: string): string;
  /** ±, in the value's own unit */
  signed(v: number | null | undefined, unit: string): string;
  date(at: string | number | Date): string;
  dateTime(at: string | number | Date): string;
  time(at: string | number | Date): string;
  /** a short date for axes: "25 Nov", "۴ آذر" */
  shortDate(at: string | number | Date): string;
  /** a bucket label for a grain: hour → date and hour, month → "Nov 2026" / "آذر ۱۴۰۵" */
  bucket(at: string | number | Date, grain: string): string;
  weekday(sunday0: number): string;
  /** the calendar fields of an instant in this locale's calendar (Persian in fa) */
  parts(at: string | number | Date): { year: number; month: number; day: number };
}

const toDate = (at: string | number | Date) => (at instanceof Date ? at : new Date(at));
const nil = (v: number | null | undefined): v is null | undefined => v === null || v === undefined || Number.isNaN(v);

export function formatter(lang: Lang, timeZone?: string): Formatter {
  const locale = LOCALES[lang];
  const cache = new Map<string, Intl.NumberFormat>();
  const cached = (key: string, make: () => Intl.NumberFormat) => {
    const hit = cache.get(key);
    if (hit) return hit;
    const made = make();
    cache.set(key, made);
    return made;
  };
  const num = (digits: number) => cached(`n${digits}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }));
  const dtf = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone, ...o });
  const fDate = dtf({ dateStyle: "medium" });
  const fDateTime = dtf({ dateStyle: "medium", timeStyle: "short" });
  const fTime = dtf({ timeStyle: "short" });
  const fShort = dtf({ month: "short", day: "numeric" });
  const fMonth = dtf({ month: "short", year: "numeric" });
  const fHour = dtf({ month: "short", day: "numeric", hour: "numeric" });
  const fWeekday = new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" });
  const fParts = new Intl.DateTimeFormat(`${locale.split("-u-")[0]}-u-nu-latn${lang === "fa" ? "-ca-persian" : ""}`, {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
  });
  const words = UNIT_WORDS[lang];
  const part = (n: number, u: DurationUnit) => `${num(0).format(n)} ${words[u]}`;

  const f: Formatter = {
    lang,
    locale,
    timeZone,
    number: (v, digits = 1) => (nil(v) ? DASH : num(digits).format(v)),
    integer: (v) => (nil(v) ? DASH : num(0).format(Math.round(v))),
    percent(v, digits = 1) {
      if (nil(v)) return DASH;
      const p = cached(`p${digits}`, () => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits }));
      // ar-EG appends an Arabic letter mark to ٪; it is invisible but breaks copy-paste and tests
      return p.format(v / 100).replace(/\u061c/g, "");
    },
    duration(seconds) {
      if (nil(seconds)) return DASH;
      if (!Number.isFinite(seconds)) return "∞";
      const sign = seconds < 0 ? "−" : "";
      // round to the smaller unit first, so 1 h 59 min 59.9 s is "2 h", never "1 h 60 min"
      let s = Math.round(Math.abs(seconds));
      let unit = durationUnit(s);
      s = Math.round(s / UNIT_SECONDS[smaller(unit)]) * UNIT_SECONDS[smaller(unit)];
      unit = durationUnit(s);
      if (unit === "s") return sign + part(s, "s");
      const big = UNIT_SECONDS[unit];
      const small = smaller(unit);
      const whole = Math.floor(s / big);
      const rest = Math.round((s - whole * big) / UNIT_SECONDS[small]);
      // a second part only where it says something: "12 min", not "12 min 3 s"
      const showRest = rest > 0 && !(unit === "min" && whole >= 10);
      return sign + (showRest ? `${part(whole, unit)}${JOIN[lang]}${part(rest, small)}` : part(whole, unit));
    },
    inUnit: (v, unit, digits = 1) => `${num(digits).format(v)} ${words[unit]}`,
    unitWord: (unit) => words[unit],
    value(v, unit) {
      if (unit === "seconds") return f.duration(v);
      if (unit === "percent") return f.percent(v);
      if (nil(v)) return DASH;
      if (unit === "count") return num(Math.abs(v) < 100 && !Number.isInteger(v) ? 1 : 0).format(v);
      if (unit === "currency") return num(2).format(v);
      return num(unit === "score" ? 1 : 2).format(v);
    },
    signed(v, unit) {
      if (nil(v)) return DASH;
      const body = f.value(Math.abs(v), unit);
      return v > 0 ? `+${body}` : v < 0 ? `−${body}` : body;
    },
    date: (at) => fDate.format(toDate(at)),
    dateTime: (at) => fDateTime.format(toDate(at)),
    time: (at) => fTime.format(toDate(at)),
    shortDate: (at) => fShort.format(toDate(at)),
    bucket(at, grain) {
      const d = toDate(at);
      if (grain === "hour") return fHour.format(d);
      if (grain === "month" || grain === "persian_month" || grain === "quarter") return fMonth.format(d);
      if (grain === "year") return dtf({ year: "numeric" }).format(d);
      return fShort.format(d);
    },
    weekday: (sunday0) => fWeekday.format(new Date(Date.UTC(2026, 2, 1 + sunday0))),
    parts(at) {
      const p = fParts.formatToParts(toDate(at));
      const get = (t: string) => Number(p.find((x) => x.type === t)?.value);
      return { year: get("year"), month: get("month"), day: get("day") };
    },
  };
  return f;
}
