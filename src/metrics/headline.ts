/**
 * What the dashboard's overview shows, in one place for the page (web/src/pages/overview.ts) and
 * for the rollup that must answer it on its own (src/rollups/overview.ts). Plain data, no imports:
 * the web build compiles this file too.
 */
export const HEADLINE_METRICS = [
  "first_response_time",
  "resolution_time",
  "first_contact_resolution",
  "csat",
  "nps",
  "sla_compliance",
  "reopen_rate",
  "ticket_volume",
  "abandonment_rate",
  "backlog",
];

/** The chart grain a range of `days` is shown at: a readable number of points from a week to years. */
export function rangeGrain(days: number): "day" | "week" | "month" {
  return days <= 35 ? "day" : days <= 200 ? "week" : "month";
}
