/**
 * Per-workspace settings: business calendars, SLA policies and the knobs the catalog's
 * definitions leave configurable. Stored in the `settings` table; defaults below.
 * Changing calendars, SLA policies or projector knobs means a rebuild of derived facts.
 */
import type { AgentContact, AlertRule, ReportSchedule } from "../alerts/rules.js";

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
export const WEEKDAYS: Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

export interface CalendarDef {
  /** IANA time zone, e.g. Asia/Tehran, America/New_York */
  timezone: string;
  /** opening intervals per weekday as ["HH:MM","HH:MM"] pairs in local time; a weekday absent or [] is closed; "24:00" ends at midnight */
  hours: Partial<Record<Weekday, [string, string][]>>;
  /** closed local dates, YYYY-MM-DD */
  holidays?: string[];
}

export interface SlaPolicy {
  name: string;
  /** all given conditions must hold; an absent one matches anything */
  match?: { priority?: string[]; channel?: string[]; team_id?: string[] };
  /** targets in seconds */
  first_reply_s?: number;
  next_reply_s?: number;
  resolution_s?: number;
  clock: "calendar" | "business";
  /** statuses during which the SLA clock stops (default: pending, on_hold) */
  pause_statuses?: string[];
  /** which solve the resolution target judges: the final one (default; reopened and solved late = breached) or the first */
  resolution_judged_on?: "final_solve" | "first_solve";
}

export interface WorkspaceSettings {
  /** zone used for buckets (day, week, month…) and the default business calendar */
  timezone: string;
  /** first day of the week for week buckets */
  week_start: Weekday;
  calendar: CalendarDef;
  /** team_id → its own calendar */
  team_calendars: Record<string, CalendarDef>;
  /** first matching policy wins */
  sla_policies: SlaPolicy[];
  /** channel → expected first response, seconds (channel_expectations) */
  channel_targets: Record<string, number>;
  /** tickets with any of these tags are not FCR-eligible */
  fcr_ineligible_tags: string[];
  /** next_issue_avoidance: window in days and whether the repeat must share the topic */
  repeat_contact_days: number;
  repeat_same_topic: boolean;
  /** case_deflection window in hours */
  deflection_hours: number;
  /** backlog age threshold in hours */
  backlog_threshold_hours: number;
  /** service_level answer threshold in seconds */
  service_level_threshold_s: number;
  /** abandons shorter than this are not counted (0 = count all) */
  short_abandon_s: number;
  /** CES: the scale and whether a lower answer is better ("how much effort") */
  ces_lower_is_better: boolean;
  /** CX index: weight per question id ("" = unnamed question); absent questions weigh 1 */
  cx_weights: Record<string, number>;
  /** SLA "at risk" when less than this share of the target remains */
  sla_risk_fraction: number;
  /** metric id → target value (overrides the catalog's default) */
  targets: Record<string, number>;
  /** vendor → shared secret that signs its webhooks (never shown to non-admin keys) */
  webhook_secrets: Record<string, string>;
  /** how far (seconds) a webhook's signed timestamp may be from now before it is refused as stale or replayed */
  webhook_tolerance_s: number;
  /** alert rules (src/alerts/rules.ts; also managed with /api/v1/alert-rules) */
  alert_rules: AlertRule[];
  /** agent_id → where to reach the agent (ticket reminders go to the assignee) */
  agents: Record<string, AgentContact>;
  /** scheduled KPI digests per team (src/alerts/reports.ts) */
  reports: ReportSchedule[];
  /** hosted surveys (CSAT, NPS, CES, eNPS, custom): definitions checked by src/surveys/definitions.ts */
  surveys: Record<string, unknown>[];
}

export const DEFAULT_CALENDAR: CalendarDef = {
  timezone: "UTC",
  hours: {
    mon: [["09:00", "17:00"]],
    tue: [["09:00", "17:00"]],
    wed: [["09:00", "17:00"]],
    thu: [["09:00", "17:00"]],
    fri: [["09:00", "17:00"]],
  },
  holidays: [],
};

export function defaultSettings(): WorkspaceSettings {
  return {
    timezone: "UTC",
    week_start: "mon",
    calendar: DEFAULT_CALENDAR,
    team_calendars: {},
    sla_policies: [
      { name: "urgent", match: { priority: ["urgent"] }, first_reply_s: 3600, next_reply_s: 4 * 3600, resolution_s: 8 * 3600, clock: "calendar" },
      { name: "high", match: { priority: ["high"] }, first_reply_s: 4 * 3600, next_reply_s: 8 * 3600, resolution_s: 24 * 3600, clock: "business" },
      { name: "standard", first_reply_s: 8 * 3600, next_reply_s: 16 * 3600, resolution_s: 5 * 24 * 3600, clock: "business" },
    ],
    channel_targets: { phone: 180, chat: 45, email: 4 * 3600, web: 4 * 3600, social: 3600 },
    fcr_ineligible_tags: ["escalated", "customer_error"],
    repeat_contact_days: 7,
    repeat_same_topic: false,
    deflection_hours: 24,
    backlog_threshold_hours: 24,
    service_level_threshold_s: 20,
    short_abandon_s: 0,
    ces_lower_is_better: false,
    cx_weights: {},
    sla_risk_fraction: 0.25,
    targets: {},
    webhook_secrets: {},
    webhook_tolerance_s: 300,
    alert_rules: [],
    agents: {},
    reports: [],
    surveys: [],
  };
}

/** The settings that change derived facts (a change to any of them triggers a rebuild). */
export const PROJECTION_SETTINGS: (keyof WorkspaceSettings)[] = ["calendar", "team_calendars", "sla_policies", "channel_targets", "fcr_ineligible_tags"];
