import type { CatalogMetric } from "./api";
import type { ViewState } from "./state";

/** What every page gets: the view state, the catalog, the caller, and ways to move. */
export interface PageContext {
  state: ViewState;
  catalog: Map<string, CatalogMetric>;
  scopes: string[];
  /** the workspace's first day of the week (settings.week_start), for weekly axes */
  weekStart: string;
  go(patch: Partial<ViewState>): void;
  explain(metricId: string, opts?: { group?: Record<string, string>; bucket?: string; grain?: string }): void;
}

export function metricName(ctx: PageContext, id: string, lang: string): string {
  const m = ctx.catalog.get(id);
  return m ? (m.names[lang] ?? m.names.en) : id;
}

/** The request fields every metric query of the page shares (range, filters, clock). */
export function baseQuery(ctx: PageContext): {
  from: string;
  to: string;
  filters: Record<string, string>;
  clock: "calendar" | "business";
  percentiles: number[];
} {
  const s = ctx.state;
  const filters: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.filters)) if (v) filters[k] = v;
  return { from: s.from, to: s.to, filters, clock: s.clock, percentiles: [50, 90] };
}

/** green / amber / red against a target, in the metric's direction; amber = within 10% of it. */
export function statusOf(value: number | null, target: number | null, direction: string): "green" | "amber" | "red" | "none" {
  if (value === null || target === null || target === undefined) return "none";
  const good = direction === "higher_is_better" ? value >= target : value <= target;
  if (good) return "green";
  const gap = Math.abs(value - target) / Math.max(Math.abs(target), 1e-9);
  return gap <= 0.1 ? "amber" : "red";
}
