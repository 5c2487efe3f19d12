import type { Lang } from "../metrics/catalog.js";
import { isEmployeeSurvey, isLow, type Question, questionsOf, type SurveyDef } from "./definitions.js";
import { fill, isRtl, LOCALE, WORDS } from "./wording.js";

export const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * Phone-first and self-contained: no script, no external file, system fonts. Scores are radio
 * buttons drawn as large tap targets; the real inputs stay in the page (visually hidden, still
 * focusable) so keyboards and screen readers use them as a normal radio group.
 * Colours keep at least 4.5:1 contrast (#0b57d0 on white, white on #0b57d0).
 */
const CSS = `*{box-sizing:border-box}body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Tahoma,"Noto Sans","Noto Sans Arabic","PingFang TC","Microsoft JhengHei",sans-serif;color:#1a1a1a;background:#f4f5f7}
main{max-width:34rem;margin:0 auto;padding:1.25rem 1rem 2rem;background:#fff;min-height:100vh}
h1{font-size:1.15rem;margin:0 0 .25rem}.ref{color:#4a4f57;margin:0 0 1rem;font-size:.95rem}
fieldset{border:0;margin:0 0 1.25rem;padding:0}legend{font-weight:600;font-size:1.1rem;margin-bottom:.6rem;padding:0}
.scale{display:flex;flex-wrap:wrap;gap:.4rem}.scale.n11{display:grid;grid-template-columns:repeat(6,1fr)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;margin:-1px}
.scale label{flex:1 0 2.75rem;min-height:2.9rem;display:flex;align-items:center;justify-content:center;border:2px solid #5f6368;border-radius:.5rem;font-weight:600;cursor:pointer;background:#fff;padding:.2rem .5rem}
.scale input:checked+label{background:#0b57d0;border-color:#0b57d0;color:#fff}
.scale input:focus-visible+label{outline:3px solid #b3261e;outline-offset:2px}
.anchors{display:flex;justify-content:space-between;gap:1rem;font-size:.9rem;color:#4a4f57;margin-top:.35rem}
label.text{display:block;font-weight:600;margin:.25rem 0 .4rem}textarea{width:100%;min-height:6rem;font:inherit;padding:.5rem;border:2px solid #5f6368;border-radius:.5rem}
textarea:focus-visible{outline:3px solid #b3261e;outline-offset:1px}
button{margin-top:1rem;width:100%;min-height:3rem;font:inherit;font-weight:600;color:#fff;background:#0b57d0;border:0;border-radius:.5rem;cursor:pointer}
button:focus-visible{outline:3px solid #b3261e;outline-offset:2px}
.alert{border-inline-start:4px solid #b3261e;background:#fdecea;padding:.6rem .8rem;margin:0 0 1rem}.note{color:#4a4f57;font-size:.95rem}
.done{border-inline-start:4px solid #146c2e;background:#e6f4ea;padding:.6rem .8rem;margin:0 0 1rem}`;

export function layout(lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}" dir="${isRtl(lang) ? "rtl" : "ltr"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">
<title>${esc(title)}</title><style>${CSS}</style></head><body><main>${body}</main></body></html>`;
}

const digits = (lang: Lang, n: number) => new Intl.NumberFormat(LOCALE[lang]).format(n);

function scaleHtml(lang: Lang, q: Question, chosen: number | undefined): string {
  const W = WORDS[lang];
  const name = q.id ? `score_${q.id}` : "score";
  const legendId = `q-${q.id || "main"}`;
  const [lowWord, highWord] = W.anchors[q.anchors];
  const options: string[] = [];
  for (let s = q.min; s <= q.max; s++) {
    const id = `${name}-${s}`;
    // thumbs show their words; numbers carry the anchor words for screen readers at both ends
    const text = q.thumbs ? (s === 1 ? highWord : lowWord) : digits(lang, s);
    const aria = !q.thumbs && (s === q.min || s === q.max) ? ` aria-label="${esc(`${digits(lang, s)} – ${s === q.min ? lowWord : highWord}`)}"` : "";
    options.push(
      `<input class="sr" type="radio" id="${id}" name="${name}" value="${s}"${s === chosen ? " checked" : ""} required><label for="${id}"${aria}>${esc(text)}</label>`,
    );
  }
  if (q.thumbs) options.reverse();
  const anchors = q.thumbs ? "" : `<div class="anchors" aria-hidden="true"><span>${esc(lowWord)}</span><span>${esc(highWord)}</span></div>`;
  return `<fieldset aria-labelledby="${legendId}"><legend id="${legendId}">${esc(q.text[lang])}</legend><div class="scale n${q.max - q.min + 1}">${options.join("")}</div>${anchors}</fieldset>`;
}

export interface FormView {
  lang: Lang;
  def: SurveyDef;
  action: string;
  ticketId?: string;
  chosen: Map<string, number>;
  comment?: string;
  error?: boolean;
  /** after an answer: the "thank you" and until when it can be changed */
  thanksUntil?: string;
}

/** The question page; also the page after answering, with the answer filled in so it can be changed. */
export function surveyPage(v: FormView): string {
  const W = WORDS[v.lang];
  const questions = questionsOf(v.def);
  const main = questions[0];
  const mainScore = v.chosen.get(main.id);
  const custom = v.def.wording?.[v.lang];
  const followUp =
    v.def.follow_up && mainScore !== undefined
      ? isLow(main, mainScore, v.def)
        ? (custom?.follow_up_low ?? W.follow_up_low)
        : (custom?.follow_up_high ?? W.follow_up_high)
      : (custom?.comment ?? W.comment);
  const head = [
    `<h1>${esc(v.def.name ?? W.title)}</h1>`,
    v.ticketId ? `<p class="ref">${esc(fill(W.ticket, { id: v.ticketId }))}</p>` : "",
    isEmployeeSurvey(v.def) ? `<p class="note">${esc(W.employee_intro)}</p>` : "",
    v.thanksUntil ? `<p class="done" role="status">${esc(W.thanks)} ${esc(fill(W.editable_until, { date: v.thanksUntil }))}</p>` : "",
    v.error ? `<p class="alert" role="alert">${esc(W.choose_score)}</p>` : "",
  ].join("");
  const comment = v.def.comment
    ? `<label class="text" for="comment">${esc(followUp)}</label><textarea id="comment" name="comment" maxlength="4000">${esc(v.comment ?? "")}</textarea>`
    : "";
  const form = `<form method="post" action="${esc(v.action)}">${questions.map((q) => scaleHtml(v.lang, q, v.chosen.get(q.id))).join("")}${comment}<button type="submit">${esc(v.thanksUntil ? W.change : W.submit)}</button></form>`;
  return layout(v.lang, v.def.name ?? W.title, head + form);
}

/** A page that ends here: a refused link or a survey that can no longer be changed. */
export function messagePage(lang: Lang, kind: "invalid" | "expired" | "answered"): string {
  const W = WORDS[lang];
  return layout(lang, W.title, `<h1>${esc(W.title)}</h1><p class="${kind === "answered" ? "done" : "alert"}" role="alert">${esc(W[kind])}</p>`);
}

export function formatUntil(lang: Lang, ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: "long", timeStyle: "short", timeZone }).format(ms);
}
