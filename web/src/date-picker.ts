import { fromPersian, persianMonthLength, toPersian } from "../../src/format/persian.js";
import { h } from "./dom";
import { currentLang, fmt, t } from "./i18n";

export interface DatePicker {
  el: HTMLElement;
  value(): string;
  onChange(fn: () => void): void;
}

/**
 * A date field: the browser's own date input, except in Persian, where browsers only offer the
 * Gregorian calendar — there a Solar Hijri month grid. Both hold a Gregorian YYYY-MM-DD in an
 * input named `name`, which is what the URL and the API use.
 */
export function datePicker(name: string, iso: string): DatePicker {
  if (currentLang() !== "fa") {
    const input = h("input", { type: "date", name, value: iso });
    return { el: input, value: () => input.value, onChange: (fn) => input.addEventListener("change", fn) };
  }
  const hidden = h("input", { type: "hidden", name, value: iso });
  const f = fmt();
  const listeners: (() => void)[] = [];
  const button = h("button", { type: "button", class: "date-button", "aria-haspopup": "dialog", "aria-label": `${t("pick_date")}: ${f.date(`${iso}T12:00:00Z`)}` }, f.date(`${iso}T12:00:00Z`));
  const pop = h("div", { class: "date-pop", role: "dialog", "aria-label": t("pick_date"), hidden: true });
  let shown = toPersian(iso);
  const monthName = (y: number, m: number) => f.bucket(`${fromPersian({ year: y, month: m, day: 15 })}T12:00:00Z`, "month");
  const draw = () => {
    const { year, month } = shown;
    const len = persianMonthLength(year, month);
    const first = new Date(`${fromPersian({ year, month, day: 1 })}T12:00:00Z`).getUTCDay();
    const lead = (first + 1) % 7; // weeks start on Saturday in Iran
    const selected = toPersian(hidden.value);
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
            hidden.value = fromPersian({ year, month, day });
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
        h("button", { type: "button", "aria-label": t("prev_month"), onclick: () => move(-1) }, "›"),
        h("strong", {}, monthName(year, month)),
        h("button", { type: "button", "aria-label": t("next_month"), onclick: () => move(1) }, "‹"),
      ),
      h(
        "div",
        { class: "date-grid" },
        ...[6, 0, 1, 2, 3, 4, 5].map((d) => h("span", { class: "muted" }, f.weekday(d))),
        ...Array.from({ length: lead }, () => h("span", {})),
        ...days,
      ),
    );
  };
  button.addEventListener("click", () => {
    pop.hidden = !pop.hidden;
    if (!pop.hidden) draw();
  });
  return { el: h("span", { class: "date-field" }, button, hidden, pop), value: () => hidden.value, onChange: (fn) => listeners.push(fn) };
}
