import { h } from "./dom";
import { fmt } from "./i18n";

/** Latin digits and point for a number typed with Arabic-Indic or Persian digits and separators. */
export function latinNumber(s: string): string {
  return s
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٫,]/g, ".")
    .replace(/[٬\s]/g, "");
}

/**
 * A number field in the page's digits: browsers draw <input type=number> in Latin digits whatever
 * the language, so this is a text field with a numeric keyboard that reads either kind of digit.
 */
export function numberInput(value: number | null, attrs: Record<string, unknown>): { el: HTMLInputElement; value(): number | null } {
  const shown = value === null ? "" : new Intl.NumberFormat(fmt().locale, { useGrouping: false, maximumFractionDigits: 6 }).format(value);
  const el = h("input", { type: "text", inputmode: "decimal", autocomplete: "off", value: shown, class: "num", ...attrs });
  return {
    el,
    value: () => {
      const v = latinNumber(el.value.trim());
      return v === "" || Number.isNaN(Number(v)) ? null : Number(v);
    },
  };
}
