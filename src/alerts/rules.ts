import { randomBytes } from "node:crypto";
import { Cron } from "croner";
import * as v from "valibot";
import { UserError } from "../errors/user-error.js";
import { METRICS } from "../metrics/catalog.js";

/**
 * Alert rules as data: one valibot schema read by the API (`/api/v1/alert-rules`) and by
 * settings files (`alert_rules`), so both accept exactly the same rules with the same messages.
 */
const positive = (what: string) => v.pipe(v.number(`${what} must be a number`), v.minValue(0.0001, `${what} must be more than 0`));
const LANGS = ["en", "ar", "fa", "zh-Hant"] as const;
export type Lang = (typeof LANGS)[number];

export const SLA_TARGETS = ["first_reply", "next_reply", "resolution"] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
/** Series the anomaly detector knows: ticket volume, first response time, abandonment. */
export const ANOMALY_SERIES = ["ticket_volume", "first_response_time", "abandonment_rate"] as const;

const conditionSchema = v.variant(
  "kind",
  [
    v.object({
      kind: v.literal("sla_due"),
      target: v.picklist(SLA_TARGETS, `target must be one of ${SLA_TARGETS.join(", ")}`),
      within_minutes: positive("within_minutes"),
    }),
    v.object({
      kind: v.literal("sla_breached"),
      target: v.optional(v.picklist([...SLA_TARGETS, "any"], `target must be one of ${SLA_TARGETS.join(", ")}, any`), "any"),
    }),
    v.object({ kind: v.literal("unassigned"), longer_than_minutes: positive("longer_than_minutes") }),
    v.object({ kind: v.literal("waiting"), longer_than_minutes: positive("longer_than_minutes") }),
    v.object({
      kind: v.literal("backlog_age"),
      older_than_hours: positive("older_than_hours"),
      above: v.pipe(v.number("above must be a count"), v.integer("above must be a whole count"), v.minValue(0, "above must be 0 or more")),
    }),
    v.object({
      kind: v.literal("metric"),
      metric: v.pipe(
        v.string(),
        v.check((m) => METRICS.has(m), "metric must be a catalog metric id (GET /api/v1/metrics/catalog)"),
      ),
      window_minutes: v.optional(positive("window_minutes"), 60),
      op: v.optional(v.picklist([">", ">=", "<", "<="], 'op must be one of ">", ">=", "<", "<="')),
      /** a number, or absent to compare with the metric's target */
      threshold: v.optional(v.number("threshold must be a number")),
      /** for duration metrics: which statistic (default the median) */
      statistic: v.optional(v.picklist(["value", "median", "p90", "mean"]), "value"),
      min_count: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 1),
      schedule: v.optional(v.string(), "*/5 * * * *"),
    }),
    v.object({
      kind: v.literal("anomaly"),
      series: v.picklist(ANOMALY_SERIES, `series must be one of ${ANOMALY_SERIES.join(", ")}`),
      k: v.optional(positive("k"), 4),
      min_weeks: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2, "min_weeks must be 2 or more")), 4),
      history_weeks: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(52)), 8),
      direction: v.optional(v.picklist(["above", "below", "both"]), "above"),
      /** the smallest absolute change that counts, so quiet hours with 0–2 tickets do not page anyone */
      min_delta: v.optional(v.number(), 5),
      schedule: v.optional(v.string(), "2 * * * *"),
    }),
  ],
  'condition.kind must be one of "sla_due", "sla_breached", "unassigned", "waiting", "backlog_age", "metric", "anomaly"',
);

const strings = v.optional(v.array(v.string()));
const destinationSchema = v.variant(
  "type",
  [
    v.object({
      type: v.literal("webhook"),
      url: v.pipe(v.string(), v.url("url must be an http(s) URL")),
      secret: v.optional(v.pipe(v.string(), v.minLength(8, "secret must be 8 characters or more"))),
    }),
    v.object({ type: v.literal("slack"), url: v.pipe(v.string(), v.url("url must be a Slack incoming-webhook URL")) }),
    v.object({ type: v.literal("teams"), url: v.pipe(v.string(), v.url("url must be a Teams incoming-webhook URL")) }),
    v.object({
      type: v.literal("email"),
      /** the team's addresses: used when the ticket has no assignee with a known address, and for metric alerts */
      to: v.optional(v.array(v.pipe(v.string(), v.email("to must be e-mail addresses")))),
      /** ticket reminders go to the assigned agent when an address is known (default true) */
      assignee: v.optional(v.boolean(), true),
    }),
  ],
  'destination.type must be one of "webhook", "slack", "teams", "email"',
);

export const ruleBodySchema = v.object({
  name: v.pipe(v.string("name is required"), v.minLength(1, "name is required"), v.maxLength(200)),
  enabled: v.optional(v.boolean(), true),
  condition: conditionSchema,
  filters: v.optional(v.object({ team: strings, channel: strings, priority: strings, agent: strings }), {}),
  destinations: v.pipe(v.array(destinationSchema), v.minLength(1, "give at least one destination")),
  /** repeat the notification every N minutes while firing and not acknowledged (absent: notify once) */
  renotify_minutes: v.optional(positive("renotify_minutes")),
  notify_resolved: v.optional(v.boolean(), true),
  /** hold notifications while the team's business calendar is closed; they go out when it opens */
  quiet_outside_hours: v.optional(v.boolean(), false),
  /** language of the message texts (Slack, Teams, e-mail) */
  lang: v.optional(v.picklist(LANGS), "en"),
});

export type RuleBody = v.InferOutput<typeof ruleBodySchema>;
export type AlertRule = RuleBody & { id: string };
export type Condition = RuleBody["condition"];
export type Destination = RuleBody["destinations"][number];

export const agentContactSchema = v.object({
  email: v.optional(v.pipe(v.string(), v.email())),
  name: v.optional(v.string()),
  lang: v.optional(v.picklist(LANGS)),
});
export type AgentContact = v.InferOutput<typeof agentContactSchema>;

export const reportSchema = v.object({
  id: v.optional(v.string()),
  name: v.pipe(v.string(), v.minLength(1, "name is required")),
  /** the team the digest covers (absent: the whole workspace) */
  team: v.optional(v.string()),
  /** croner pattern in `timezone` (default the workspace's), e.g. "0 8 * * MON" */
  cron: v.pipe(v.string(), v.minLength(1, "cron is required")),
  timezone: v.optional(v.string()),
  period: v.optional(v.picklist(["day", "week", "month"]), "week"),
  recipients: v.pipe(
    v.array(v.object({ email: v.pipe(v.string(), v.email("recipients[].email must be an e-mail address")), lang: v.optional(v.picklist(LANGS), "en") })),
    v.minLength(1, "give at least one recipient"),
  ),
  metrics: v.optional(v.array(v.string())),
  pdf: v.optional(v.boolean(), true),
});
export type ReportSchedule = v.InferOutput<typeof reportSchema> & { id: string };

function check<T extends v.GenericSchema>(schema: T, input: unknown, where: string): v.InferOutput<T> {
  const r = v.safeParse(schema, input);
  if (r.success) return r.output;
  const details = r.issues.map((i) => ({ path: `${where}${i.path?.map((p) => `.${String(p.key)}`).join("") ?? ""}`, message: i.message }));
  throw new UserError("invalid_rule", `${details[0].path}: ${details[0].message}`, 400, details);
}

function validCron(pattern: string, where: string): void {
  try {
    new Cron(pattern, { paused: true }).stop();
  } catch (e) {
    throw new UserError("invalid_rule", `${where}: "${pattern}" is not a cron pattern (${(e as Error).message}); e.g. "0 8 * * MON"`);
  }
}

export const newId = (prefix: string) => `${prefix}_${randomBytes(6).toString("hex")}`;

/** A rule as sent (API body or settings file) → the stored rule; webhook destinations get a signing secret if they lack one. */
export function parseRule(input: unknown, where = "rule", id?: string): AlertRule {
  const body = check(ruleBodySchema, input, where);
  const c = body.condition;
  if (c.kind === "metric" || c.kind === "anomaly") validCron(c.schedule, `${where}.condition.schedule`);
  const existingId =
    id ?? (input && typeof input === "object" && typeof (input as { id?: unknown }).id === "string" ? (input as { id: string }).id : undefined);
  return {
    id: existingId ?? newId("rule"),
    ...body,
    destinations: body.destinations.map((d) => (d.type === "webhook" && !d.secret ? { ...d, secret: randomBytes(24).toString("hex") } : d)),
  };
}

export function parseRules(input: unknown): AlertRule[] {
  if (!Array.isArray(input)) throw new UserError("invalid_settings", "alert_rules must be a list of rules");
  const rules = input.map((r, i) => parseRule(r, `alert_rules[${i}]`));
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) throw new UserError("invalid_settings", `alert_rules: the id "${r.id}" is used twice`);
    seen.add(r.id);
  }
  return rules;
}

export function parseReports(input: unknown): ReportSchedule[] {
  if (!Array.isArray(input)) throw new UserError("invalid_settings", "reports must be a list of schedules");
  return input.map((r, i) => {
    const body = check(reportSchema, r, `reports[${i}]`);
    validCron(body.cron, `reports[${i}].cron`);
    for (const m of body.metrics ?? []) if (!METRICS.has(m)) throw new UserError("invalid_settings", `reports[${i}].metrics: unknown metric "${m}"`);
    return { ...body, id: body.id ?? newId("report") };
  });
}

export function parseAgents(input: unknown): Record<string, AgentContact> {
  return check(v.record(v.string(), agentContactSchema), input, "agents");
}

/** Secrets are credentials: callers without the admin scope see them masked. */
export function maskRule(rule: AlertRule): AlertRule {
  return { ...rule, destinations: rule.destinations.map((d) => (d.type === "webhook" && d.secret ? { ...d, secret: "***" } : d)) };
}
