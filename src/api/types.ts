/**
 * The shapes of the HTTP API's answers, as types only, for clients: the dashboard compiles this
 * file (web/tsconfig.json includes it) instead of keeping its own copies. The server's own
 * definitions live beside the code that builds them (src/metrics, src/live); keep these in step.
 */
export type Unit = "seconds" | "percent" | "count" | "score" | "ratio" | "currency";
export type Direction = "higher_is_better" | "lower_is_better";

export interface MetricRequest {
  metrics: string[];
  from: string;
  to: string;
  grain?: string;
  groupBy?: string[];
  filters?: Record<string, string | string[]>;
  clock?: "calendar" | "business";
  percentiles?: number[];
  compare?: boolean;
}

export interface PreviousValue {
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  count?: number;
  bucket?: string;
}

export interface MetricRow {
  metric: string;
  bucket?: string;
  group?: Record<string, string | null>;
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  count?: number;
  mean?: number | null;
  median?: number | null;
  p90?: number | null;
  /** other percentiles asked for: p75, p95, p99_9 (a dot becomes "_") */
  [percentile: `p${number}` | `p${number}_${number}`]: number | null | undefined;
  /** records left out because a data-quality flag makes their times untrustworthy */
  excluded?: number;
  previous?: PreviousValue | null;
  change?: number | null;
  formula?: string;
  /** rates with a Wilson 95% interval (CSAT…), percent */
  ci_low?: number;
  ci_high?: number;
  /** NPS-like scores */
  promoters?: number;
  passives?: number;
  detractors?: number;
  /** NPS: 95% margin of error, in points */
  margin_of_error?: number | null;
  /** ticket volume: mean of the four buckets before, and "spike" / "drop" when 50% away from it */
  baseline?: number;
  flag?: "spike" | "drop" | null;
  /** cases by topic: change against the previous bucket, percent; "per_day" when a clipped bucket was compared per day */
  change_pct?: number | null;
  change_basis?: "per_day";
  /** a bucket the range cuts short */
  partial?: boolean;
  /** cases by topic: the topic's mean first-resolution time, the overall mean, and whether it is above */
  resolution_mean_s?: number | null;
  resolution_overall_mean_s?: number | null;
  resolution_above_average?: boolean | null;
  /** average ticket count: the grain the count is per */
  per?: string;
  /** backlog: the instant counted at, and how many of them are older than the threshold */
  at?: string;
  aged?: number;
  /** retention and churn: customers at the bucket's start and end, new in it, net change (percent) */
  at_start?: number;
  at_end?: number;
  new?: number;
  net_change?: number | null;
  /** next-issue avoidance: the complement, percent */
  repeat_rate?: number | null;
  /** self service */
  searches?: number;
  views?: number;
  unique_visitors?: number;
}

export interface MetricResult {
  rows: MetricRow[];
  errors?: { metric: string; code: string; message: string }[];
  queries?: { sql: string; params: unknown[] }[];
  /** which path answered: the rollup, the raw facts, or both (src/metrics/planner.ts) */
  source?: "rollup" | "facts" | "mixed";
  /** percentiles came from the rollup's sketch: within `relative_error` (0.01 = 1 %) of the exact ones */
  approximate?: boolean;
  relative_error?: number;
}

export interface LiveSnapshot {
  at: string;
  open: number;
  new: number;
  /** open tickets waiting on an agent (no reply yet, or the customer spoke last) */
  waiting: number;
  unassigned: number;
  longest_wait_s: number;
  /** the ticket waiting longest */
  longest_wait_ticket: string | null;
  sla_at_risk: number;
  sla_breached: number;
  agents_online: number;
  agents: { agent_id: string; status: string; open_tickets: number }[];
  today: { created: number; solved: number };
}

export interface CatalogEntry {
  id: string;
  /** the name in the language asked (Accept-Language); `names` has all four */
  name: string;
  names: Record<string, string>;
  unit: Unit;
  direction: Direction;
  target: number | null;
  family: string;
  perspective: string;
  definition: string;
  formula: string;
  /** a key the dashboard looks up; `attribution_text` is the same in the language asked */
  attribution: string;
  attribution_text: string;
}

/** `GET /metrics/catalog`: the catalog in one language (`lang`, from Accept-Language). */
export interface CatalogAnswer {
  lang: string;
  metrics: CatalogEntry[];
}

export interface DrilldownResult {
  total: number;
  columns: string[];
  items: Record<string, unknown>[];
}

export interface StaffingHour {
  weekday: number;
  hour: number;
  hours_seen: number;
  contacts: number;
  agents: number;
  service_level: number;
  asa_s: number;
  occupancy: number;
  erlangs: number;
}

export interface StaffingPlan {
  aht_s: number;
  target: number;
  threshold_s: number;
  profile: StaffingHour[];
}

export interface TicketView {
  ticket: Record<string, unknown>;
  responses: Record<string, unknown>[];
  events: { type: string; ts: number; body: Record<string, unknown> }[];
}

export interface Touchpoint {
  kind: "ticket" | "contact" | "survey" | "helpcenter" | "purchase" | string;
  id: string;
  at: number;
  channel: string | null;
  summary: Record<string, unknown>;
}

export interface JourneyView {
  customer: Record<string, unknown> | null;
  touchpoints: Touchpoint[];
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}
