import { type Formatter, formatter, isRtlLang, type Lang, LOCALES } from "../../src/format/format.js";
import { attributionText, catalogText } from "../../src/metrics/catalog-text.js";
import { ar } from "./i18n/ar";
import { en, type Messages } from "./i18n/en";
import { fa } from "./i18n/fa";
import { hasVocab, vocab } from "./i18n/vocab";
import { zhHant } from "./i18n/zh-Hant";

export type { Lang };
export const LANGS: { id: Lang; label: string }[] = [
  { id: "en", label: "English" },
  { id: "ar", label: "العربية" },
  { id: "fa", label: "فارسی" },
  { id: "zh-Hant", label: "繁體中文" },
];
const MESSAGES: Record<Lang, Messages> = { en, ar, fa, "zh-Hant": zhHant };

let lang: Lang = "en";
let zone: string | undefined;
let f: Formatter = formatter("en");

export function setLang(l: Lang): void {
  lang = l;
  f = formatter(l, zone);
  document.documentElement.lang = l;
  document.documentElement.dir = isRtlLang(l) ? "rtl" : "ltr";
  localStorage.setItem("deskpulse.lang", l);
}
/** Dates and buckets are written in the workspace's zone, as the server buckets them. */
export function setTimeZone(tz: string | undefined): void {
  zone = tz;
  f = formatter(lang, zone);
}
export const currentLang = () => lang;
export const isRtl = () => isRtlLang(lang);
export const locale = () => LOCALES[lang];
export const timeZone = () => zone;
/** The page's one formatter (digits, units and calendar of the language). */
export const fmt = () => f;

export type MessageKey = keyof Messages;
export function t(key: MessageKey): string {
  return MESSAGES[lang][key] ?? en[key];
}
/** A message with {name} slots filled. */
export function tf(key: MessageKey, vars: Record<string, string>): string {
  return t(key).replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? "");
}

export function pickLang(fromUrl: string | null): Lang {
  const ok = (x: string | null): x is Lang => !!x && x in MESSAGES;
  if (ok(fromUrl)) return fromUrl;
  const saved = localStorage.getItem("deskpulse.lang");
  return ok(saved) ? saved : "en";
}

export const fmtNumber = (v: number | null | undefined, digits = 1) => f.number(v, digits);
export const fmtDuration = (s: number | null | undefined) => f.duration(s);
export const fmtValue = (v: number | null | undefined, unit: string) => f.value(v, unit);

/** The word for a data value (channel, status, priority, team, topic…); the value itself when unknown. */
export function word(kind: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "–";
  if (typeof value === "boolean") return vocab(lang, value ? "yes" : "no");
  return vocab(lang, `${kind}.${String(value)}`, String(value));
}
export const vocabWord = (key: string, fallback?: string) => vocab(lang, key, fallback);

/** A server error in the page's language, by its stable code; the server's own message only in English. */
export function errorText(e: unknown): string {
  const code = e && typeof e === "object" && "code" in e ? String((e as { code: unknown }).code) : "network";
  const message = e instanceof Error ? e.message : String(e);
  if (hasVocab(`err.${code}`)) return lang === "en" && message ? message : vocab(lang, `err.${code}`);
  return lang === "en" ? message : t("error");
}

/** Metric definition, formula and "counted in" in the page's language. */
export function metricText(m: { id: string; definition: string; formula: string; attribution: string }): {
  definition: string;
  formula: string;
  attribution: string;
} {
  const x = catalogText(m.id, lang);
  return { definition: x?.definition ?? m.definition, formula: x?.formula ?? m.formula, attribution: attributionText(m.attribution, lang) };
}
