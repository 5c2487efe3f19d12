/**
 * The whole view state lives in the URL (page, range, filters, clock, statistic, language), so a
 * copied link shows a colleague the same view.
 */
export interface ViewState {
  page: string;
  from: string;
  to: string;
  range: string;
  clock: "calendar" | "business";
  stat: "mean" | "median";
  filters: Record<string, string>;
  lang: string | null;
  id: string | null;
}

export const FILTER_DIMS = ["channel", "team", "agent", "priority", "topic"] as const;
const DAY = 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function rangeDates(range: string): { from: string; to: string } {
  const days = { "7d": 7, "30d": 30, "90d": 90, "180d": 180 }[range] ?? 30;
  const end = Date.parse(`${iso(Date.now())}T00:00:00Z`) + DAY;
  return { from: iso(end - days * DAY), to: iso(end) };
}

export function readState(): ViewState {
  const q = new URLSearchParams(location.search);
  const range = q.get("range") ?? (q.get("from") ? "custom" : "30d");
  const dates = range === "custom" ? { from: q.get("from") ?? rangeDates("30d").from, to: q.get("to") ?? rangeDates("30d").to } : rangeDates(range);
  const filters: Record<string, string> = {};
  for (const d of FILTER_DIMS) {
    const v = q.get(d);
    if (v) filters[d] = v;
  }
  return {
    page: q.get("page") ?? "overview",
    from: dates.from,
    to: dates.to,
    range,
    clock: q.get("clock") === "business" ? "business" : "calendar",
    stat: q.get("stat") === "median" ? "median" : "mean",
    filters,
    lang: q.get("lang"),
    id: q.get("id"),
  };
}

export function writeState(s: ViewState, push = true): void {
  const q = new URLSearchParams();
  if (s.page !== "overview") q.set("page", s.page);
  q.set("range", s.range);
  if (s.range === "custom") {
    q.set("from", s.from);
    q.set("to", s.to);
  }
  if (s.clock !== "calendar") q.set("clock", s.clock);
  if (s.stat !== "mean") q.set("stat", s.stat);
  for (const [k, v] of Object.entries(s.filters)) if (v) q.set(k, v);
  if (s.lang) q.set("lang", s.lang);
  if (s.id) q.set("id", s.id);
  const url = `${location.pathname}?${q.toString()}`;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}
