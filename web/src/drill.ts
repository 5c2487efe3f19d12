import { fmt, word } from "./i18n";

/** The vocabulary kind of a drill-down column's values (channel names, statuses…). */
const KIND: Record<string, string> = {
  channel: "channel",
  touchpoint: "channel",
  status: "status",
  priority: "priority",
  team_id: "team",
  queue: "team",
  topic: "topic",
  abandon_step: "step",
  nps_group: "nps_group",
  question: "question",
  product: "product",
  segment: "segment",
};

/** A drill-down or export cell as a person reads it: dates, durations, words and numbers of the page's language. */
export function cellText(col: string, v: unknown): string {
  const f = fmt();
  if (v === null || v === undefined || v === "") return "–";
  if (typeof v === "boolean") return word("", v);
  if (typeof v === "number") {
    if (col.endsWith("_at") || col === "ts") return f.dateTime(v);
    if (/_b?s$/.test(col)) return f.duration(v);
    return f.number(v, Number.isInteger(v) ? 0 : 2);
  }
  if (KIND[col]) return word(KIND[col], v);
  return String(v);
}
