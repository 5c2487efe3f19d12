import { fromPersian, type PersianDate, persianMonthLength, toPersian } from "../../src/format/persian.js";
import { h } from "./dom";
import { currentLang, fmt, isRtl, t } from "./i18n";

export interface DatePicker {
  el: HTMLElement;
  value(): string;
  onChange(fn: () => void): void;
}

interface Calendar {
  toParts(iso: string): PersianDate;
  fromParts(d: PersianDate): string;
  monthLength(year: number, month: number): number;
  /** the weekday a week starts on, 0 = Sunday */
  weekStart: number;
}

const gregorian: Calendar = {
  toParts: (iso) => ({ year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)), day: Number(iso.slice(8, 10)) }),
  fromParts: (d) => new Date(Date.UTC(d.year, d.month - 1, d.day)).toISOString().slice(0, 10),
  monthLength: (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate(),
  weekStart: 0,
};
// weeks start on Saturday in Iran
const persian: Calendar = { toParts: toPersian, fromParts: fromPersian, monthLength: persianMonthLength, weekStart: 6 };

/**
 * A date field. In English the browser's own date input; in the other languages a month grid in
 * the page's digits (the browser's input writes its own locale's digits), and in Persian in the
 * Solar Hijri calendar, which browsers' date inputs do not offer. Either way it holds a Gregorian
 * YYYY-MM-DD in an input named `name`, which is what the URL and the API use.
 */
export function datePicker(name: string, iso: string): DatePicker {
  if (currentLang() === "en") {
    const input = h("input", { type: "date", name, value: iso });
    return { el: input, value: () => input.value, onChange: (fn) => input.addEventListener("change", fn) };
  }
  const cal = currentLang() === "fa" ? persian : gregorian;
  const hidden = h("input", { type: "hidden", name, value: iso });
  const f = fmt();
  const listeners: (() => void)[] = [];
  const button = h(
    "button",
    { type: "button", class: "date-button", "aria-haspopup": "dialog", "aria-label": `${t("pick_date")}: ${f.date(`${iso}T12:00:00Z`)}` },
    f.date(`${iso}T12:00:00Z`),
  );
  const pop = h("div", { class: "date-pop", role: "dialog", "aria-label": t("pick_date"), hidden: true });
  let shown = cal.toParts(iso);
  const monthName = (y: number, m: number) => f.bucket(`${cal.fromParts({ year: y, month: m, day: 15 })}T12:00:00Z`, "month");
  const draw = () => {
    const { year, month } = shown;
    const len = cal.monthLength(year, month);
    const first = new Date(`${cal.fromParts({ year, month, day: 1 })}T12:00:00Z`).getUTCDay();
    const lead = (first - cal.weekStart + 7) % 7;
    const selected = cal.toParts(hidden.value);
    const move = (d: number) => {
      const m0 = year * 12 + (month - 1) + d;
      shown = { year: Math.floor(m0 / 12), month: (m0 % 12) + 1, day: 1 };
      draw();
    };
    const days = Array.from({ length: len }, (_, i) => {
      const day = i + 1;
      const isSel = selected.year === year && selected.month === month && selected.day === day;
      return h(
        "button",
        {
          type: "button",
          class: isSel ? "day selected" : "day",
          "aria-pressed": isSel ? "true" : "false",
          onclick: () => {
            hidden.value = cal.fromParts({ year, month, day });
            pop.hidden = true;
            for (const fn of listeners) fn();
          },
        },
        f.integer(day),
      );
    });
    pop.replaceChildren(
      h(
        "div",
        { class: "row date-head" },
        h("button", { type: "button", "aria-label": t("prev_month"), onclick: () => move(-1) }, isRtl() ? "›" : "‹"),
        h("strong", {}, monthName(year, month)),
        h("button", { type: "button", "aria-label": t("next_month"), onclick: () => move(1) }, isRtl() ? "‹" : "›"),
      ),
      h(
        "div",
        { class: "date-grid" },
        ...Array.from({ length: 7 }, (_, i) => h("span", { class: "muted", "aria-hidden": "true" }, f.weekday((cal.weekStart + i) % 7))),
        ...Array.from({ length: lead }, () => h("span", {})),
        ...days,
      ),
    );
  };
  pop.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      pop.hidden = true;
      button.focus();
    }
  });
  button.addEventListener("click", () => {
    pop.hidden = !pop.hidden;
    if (!pop.hidden) draw();
  });
  return { el: h("span", { class: "date-field" }, button, hidden, pop), value: () => hidden.value, onChange: (fn) => listeners.push(fn) };
}
