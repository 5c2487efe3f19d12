import { HEADLINE_METRICS, rangeGrain } from "../metrics/headline.js";
import type { MetricRequest } from "../metrics/request.js";

/**
 * The dashboard overview as web/src/pages/overview.ts asks for it: its headline metrics over the
 * chosen range, once with the previous period beside them and once by the range's grain (the
 * page's own rule, `rangeGrain`), median and p90, calendar clock. This is
 * the set the rollup must answer on its own for a big account (BENCHMARKS.md, Rollups). These are
 * the page's two requests for a range of `days` ending at `to` (the default range: 30 days).
 */
export function overviewRequests(to: string, days = 30): MetricRequest[] {
  const from = new Date(Date.parse(to) - days * 86_400_000).toISOString().slice(0, 10);
  const base = { metrics: HEADLINE_METRICS, from, to, filters: {}, clock: "calendar" as const, percentiles: [50, 90] };
  return [
    { ...base, compare: true },
    { ...base, grain: rangeGrain(days) },
  ];
}
