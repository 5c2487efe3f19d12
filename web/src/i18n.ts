import { ar } from "./i18n/ar";
import { en, type Messages } from "./i18n/en";
import { fa } from "./i18n/fa";
import { zhHant } from "./i18n/zh-Hant";

export type Lang = "en" | "ar" | "fa" | "zh-Hant";
export const LANGS: { id: Lang; label: string }[] = [
  { id: "en", label: "English" },
  { id: "ar", label: "العربية" },
  { id: "fa", label: "فارسی" },
  { id: "zh-Hant", label: "繁體中文" },
];
const MESSAGES: Record<Lang, Messages> = { en, ar, fa, "zh-Hant": zhHant };
/** Intl locales: Persian uses its own calendar, Arabic its own digits. */
const LOCALE: Record<Lang, string> = { en: "en-GB", ar: "ar-EG", fa: "fa-IR-u-ca-persian", "zh-Hant": "zh-Hant-TW" };

let lang: Lang = "en";

export function setLang(l: Lang): void {
  lang = l;
  document.documentElement.lang = l;
  document.documentElement.dir = l === "ar" || l === "fa" ? "rtl" : "ltr";
  localStorage.setItem("deskpulse.lang", l);
}
export const currentLang = () => lang;
export const isRtl = () => lang === "ar" || lang === "fa";
export const locale = () => LOCALE[lang];

export function t(key: keyof Messages): string {
  return MESSAGES[lang][key] ?? en[key];
}

export function pickLang(fromUrl: string | null): Lang {
  const ok = (x: string | null): x is Lang => !!x && x in MESSAGES;
  if (ok(fromUrl)) return fromUrl;
  const saved = localStorage.getItem("deskpulse.lang");
  return ok(saved) ? saved : "en";
}

export function fmtNumber(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(v);
}

/** A duration in seconds as the largest sensible unit (45 s, 12 min, 3.5 h, 2.1 d). */
export function fmtDuration(s: number | null | undefined): string {
  if (s === null || s === undefined || Number.isNaN(s)) return "–";
  if (s < 90) return `${fmtNumber(s, 0)} ${t("unit_s")}`;
  if (s < 5400) return `${fmtNumber(s / 60, 1)} ${t("unit_min")}`;
  if (s < 172800) return `${fmtNumber(s / 3600, 1)} ${t("unit_h")}`;
  return `${fmtNumber(s / 86400, 1)} ${t("unit_d")}`;
}

export function fmtDate(iso: string | number, withTime = false): string {
  const d = new Date(iso);
  return new Intl.DateTimeFormat(locale(), withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" }).format(d);
}

export function fmtValue(v: number | null | undefined, unit: string): string {
  if (unit === "seconds") return fmtDuration(v);
  if (unit === "percent") return v === null || v === undefined ? "–" : `${fmtNumber(v, 1)}٪`.replace("٪", lang === "en" || lang === "zh-Hant" ? "%" : "٪");
  if (unit === "count") return fmtNumber(v, v !== null && v !== undefined && Math.abs(v) < 100 ? 1 : 0);
  return fmtNumber(v, unit === "score" ? 1 : 2);
}
