/**
 * Solar Hijri (Persian) calendar dates for the fa date picker, computed with Intl's own Persian
 * calendar so the picker and every formatted date agree.
 */
const fmt = new Intl.DateTimeFormat("fa-IR-u-nu-latn-ca-persian", { timeZone: "UTC", year: "numeric", month: "numeric", day: "numeric" });

export interface PersianDate {
  year: number;
  month: number;
  day: number;
}

/** The Persian date of a Gregorian YYYY-MM-DD. */
export function toPersian(iso: string): PersianDate {
  const p = Object.fromEntries(fmt.formatToParts(new Date(`${iso}T00:00:00Z`)).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day) };
}

const key = (d: PersianDate) => d.year * 10_000 + d.month * 100 + d.day;

/** The Gregorian YYYY-MM-DD of a Persian date (a day past the month's end rolls into the next). */
export function fromPersian(d: PersianDate): string {
  // 1 Farvardin falls on 20 or 21 March; start near it and walk to the day.
  let t = Date.UTC(d.year + 621, 2, 21) + ((d.month - 1) * 30.5 + (d.day - 1)) * 86_400_000;
  const want = key(d);
  for (let i = 0; i < 40; i++) {
    const have = key(toPersian(new Date(t).toISOString().slice(0, 10)));
    if (have === want) break;
    t += (have < want ? 1 : -1) * 86_400_000;
  }
  return new Date(t).toISOString().slice(0, 10);
}

/** Days in a Persian month: 31 for the first six, 30 for the next five, 29 or 30 for Esfand. */
export function persianMonthLength(year: number, month: number): number {
  if (month <= 6) return 31;
  if (month <= 11) return 30;
  const next = fromPersian({ year: year + 1, month: 1, day: 1 });
  const last = fromPersian({ year, month: 12, day: 1 });
  return Math.round((Date.parse(next) - Date.parse(last)) / 86_400_000);
}
