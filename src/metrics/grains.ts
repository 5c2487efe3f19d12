/**
 * The periods a metric can be bucketed by. persian_month and persian_year: the Solar Hijri
 * calendar (Iran, Afghanistan), in the workspace's zone. Bucket boundaries are worked out in
 * TypeScript (buckets.ts, boundaries.ts), so the SQL dialects never see a grain.
 */
export type Grain = "hour" | "day" | "week" | "month" | "quarter" | "year" | "persian_month" | "persian_year";
export const GRAINS: Grain[] = ["hour", "day", "week", "month", "quarter", "year", "persian_month", "persian_year"];

/** Approximate shortest length of each grain, to refuse a range with too many buckets before building them. */
export const GRAIN_SHORTEST_MS: Record<Grain, number> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 28 * 86_400_000,
  quarter: 89 * 86_400_000,
  year: 365 * 86_400_000,
  persian_month: 29 * 86_400_000,
  persian_year: 365 * 86_400_000,
};
