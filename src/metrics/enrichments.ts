import type { MetricRow } from "../api/types.js";
import { type Enrichment, type MetricDef, METRICS } from "./catalog.js";
import type { Resolved } from "./request.js";

/** What an enrichment may do: read another metric over the same range, grouped as it needs. */
export interface EnrichCtx {
  r: Resolved;
  /** the rows of `m` grouped by `groupBy`, over the range, without extra percentiles */
  scan: (m: MetricDef, groupBy: string[]) => Promise<MetricRow[]>;
}

/** Each enrichment of the catalog (`MetricDef.enrich`): adds fields to the rows of metric `id`. */
export const ENRICHMENTS: Record<Enrichment, (id: string, rows: MetricRow[], c: EnrichCtx) => Promise<void>> = {
  /**
   * cases_by_topic also names the topics whose resolution time is above the overall average (S1):
   * each topic row gets its mean first-resolution time and the overall mean of the same bucket and
   * other groups, from the same resolution_time.first definition.
   */
  slow_topics: async (id, rows, c) => {
    const res = METRICS.get("resolution_time.first")!;
    const others = c.r.groupBy.filter((g) => g !== "topic" && g !== "tag");
    const key = (x: MetricRow, withTopic: boolean) =>
      JSON.stringify([x.bucket ?? null, ...others.map((g) => x.group?.[g] ?? null), withTopic ? (x.group?.topic ?? null) : null]);
    const byTopic = new Map((await c.scan(res, ["topic", ...others])).map((x) => [key(x, true), x.mean ?? null]));
    const overall = new Map((await c.scan(res, others)).map((x) => [key(x, false), x.mean ?? null]));
    for (const x of rows) {
      if (x.metric !== id) continue;
      const mine = byTopic.get(key(x, true)) ?? null;
      const all = overall.get(key(x, false)) ?? null;
      x.resolution_mean_s = mine;
      x.resolution_overall_mean_s = all;
      x.resolution_above_average = mine !== null && all !== null ? mine > all : null;
    }
  },
};
