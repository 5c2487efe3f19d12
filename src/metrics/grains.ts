/**
 * The periods a metric can be bucketed by. persian_month and persian_year: the Solar Hijri
 * calendar (Iran, Afghanistan), in the workspace's zone. Bucket boundaries are worked out in
 * TypeScript (buckets.ts, boundaries.ts), so the SQL dialects never see a grain.
 */
export type Grain = "hour" | "day" | "week" | "month" | "quarter" | "year" | "persian_month" | "persian_year";
export const GRAINS: Grain[] = ["hour", "day", "week", "month", "quarter", "year", "persian_month", "persian_year"];
