import * as v from "valibot";
import { UserError } from "../errors/user-error.js";
import { WEBHOOK_VENDORS } from "../ingest/webhooks.js";
import { METRICS } from "../metrics/catalog.js";
import { SurveySchema } from "../surveys/definitions.js";
import { type AnySchema, dict, parseWith } from "../util/schema.js";
import { defaultSettings, WEEKDAYS, type WorkspaceSettings } from "./settings.js";

/**
 * What each setting may hold, checked before anything is saved: a value that would break a
 * rebuild or every later metric (an empty or unknown time zone, a week starting on "monday",
 * a 1e308-second SLA, a calendar that is never open) is refused with the path of the field.
 */
const MAX_SECONDS = 10 * 366 * 86_400; // ten years: past that a target is a typo

export function isTimeZone(z: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: z }).format(0);
    return true;
  } catch {
    return false;
  }
}

const zone = v.pipe(
  v.string(),
  v.minLength(1, 'give an IANA time zone such as "Europe/London" or "Asia/Tehran"'),
  v.check(isTimeZone, (i) => `unknown time zone ${JSON.stringify(i.input)}; use an IANA name such as "Europe/London", "America/New_York" or "Asia/Tehran"`),
  v.description("IANA time zone"),
);
const num = (min: number, max: number, what: string) =>
  v.pipe(v.number(`${what}: a number from ${min} to ${max}`), v.minValue(min, `${what}: at least ${min}`), v.maxValue(max, `${what}: at most ${max}`));
const seconds = (what: string) => num(0, MAX_SECONDS, `${what} in seconds`);
const name = v.pipe(v.string(), v.minLength(1), v.maxLength(100), v.regex(/^[^\u0000-\u001f]*$/, "no control characters"));
const names = v.pipe(v.array(name), v.maxLength(1000));
const hhmm = v.pipe(v.string(), v.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day as "HH:MM" ("24:00" ends at midnight)'));
const weekday = v.picklist(WEEKDAYS, `a weekday: one of ${WEEKDAYS.join(", ")}`);

export const calendarSchema = v.pipe(
  v.strictObject({
    timezone: zone,
    hours: dict(weekday, v.pipe(v.array(v.tuple([hhmm, hhmm])), v.maxLength(48))),
    holidays: v.optional(v.pipe(v.array(v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, "a local date as YYYY-MM-DD"))), v.maxLength(10_000))),
  }),
  v.check(
    (c) => Object.values(c.hours).some((spans) => spans && spans.length > 0),
    "a calendar needs opening hours on at least one weekday: a calendar that is never open leaves every business-hours figure undefined",
  ),
);

// Loose: a policy field added later (with its own check here) is kept, not stripped.
const slaPolicy = v.looseObject({
  name,
  match: v.optional(v.looseObject({ priority: v.optional(names), channel: v.optional(names), team_id: v.optional(names) })),
  first_reply_s: v.optional(v.pipe(seconds("first_reply_s"), v.minValue(1, "first_reply_s: a positive number of seconds"))),
  next_reply_s: v.optional(v.pipe(seconds("next_reply_s"), v.minValue(1, "next_reply_s: a positive number of seconds"))),
  resolution_s: v.optional(v.pipe(seconds("resolution_s"), v.minValue(1, "resolution_s: a positive number of seconds"))),
  clock: v.picklist(["calendar", "business"], 'clock: "calendar" or "business"'),
  pause_statuses: v.optional(names),
  resolution_judged_on: v.optional(v.picklist(["final_solve", "first_solve"], '"final_solve" or "first_solve"')),
});

const key = v.pipe(v.string(), v.minLength(1), v.maxLength(100));
const metricId = v.pipe(
  v.string(),
  v.check(
    (m) => METRICS.has(m),
    (i) => `unknown metric ${JSON.stringify(i.input)}; GET /api/v1/metrics/catalog lists the metric ids`,
  ),
);

/** Each setting's schema. A setting added to WorkspaceSettings without one here is checked against its default's JSON type. */
const FIELDS: Partial<Record<keyof WorkspaceSettings, AnySchema>> = {
  timezone: zone,
  week_start: weekday,
  calendar: calendarSchema,
  team_calendars: dict(key, calendarSchema),
  sla_policies: v.pipe(v.array(slaPolicy), v.maxLength(200)),
  channel_targets: dict(key, seconds("channel target")),
  fcr_ineligible_tags: names,
  repeat_contact_days: num(0, 3660, "days"),
  repeat_same_topic: v.boolean(),
  deflection_hours: num(0, 87_840, "hours"),
  backlog_threshold_hours: num(0, 87_840, "hours"),
  service_level_threshold_s: num(0, 86_400, "seconds"),
  short_abandon_s: num(0, 86_400, "seconds"),
  ces_lower_is_better: v.boolean(),
  cx_weights: dict(key, num(0, 1000, "weight")),
  sla_risk_fraction: num(0, 1, "fraction"),
  targets: dict(metricId, num(-1e12, 1e12, "target")),
  webhook_secrets: dict(
    v.picklist(WEBHOOK_VENDORS, `a vendor: one of ${WEBHOOK_VENDORS.join(", ")}`),
    v.pipe(v.string("a secret is text"), v.minLength(8, "a secret of at least 8 characters"), v.maxLength(512)),
  ),
  webhook_tolerance_s: num(1, 86_400, "seconds"),
  // the same schema as POST /api/v1/surveys, so a settings file cannot store a survey the pages cannot show
  surveys: v.pipe(v.array(SurveySchema), v.maxLength(200)),
};

function sameJsonType(dflt: unknown): AnySchema {
  if (Array.isArray(dflt)) return v.array(v.unknown());
  if (typeof dflt === "number") return v.pipe(v.number(), v.minValue(-1e15), v.maxValue(1e15));
  if (typeof dflt === "string") return v.pipe(v.string(), v.maxLength(10_000));
  if (typeof dflt === "boolean") return v.boolean();
  return dict(v.string(), v.unknown());
}

/** The schema of a settings change: any subset of the settings, nothing unknown. */
export function settingsPatchSchema(): AnySchema {
  const defaults = defaultSettings();
  const entries: Record<string, AnySchema> = {};
  for (const [k, d] of Object.entries(defaults)) entries[k] = v.optional(FIELDS[k as keyof WorkspaceSettings] ?? sameJsonType(d));
  return v.strictObject(entries, (i) => `unknown setting ${i.received}; known: ${Object.keys(defaults).join(", ")}`);
}

/** A checked settings change, or a 400 `invalid_settings` naming the field. */
export function checkSettingsPatch(patch: unknown): Partial<WorkspaceSettings> {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch))
    throw new UserError("invalid_settings", "settings must be a JSON object of the fields to change", 400, { path: "" });
  return parseWith(settingsPatchSchema(), patch, "invalid_settings", "settings") as Partial<WorkspaceSettings>;
}

/** Whether one stored setting still passes its schema (settings saved by older versions may not). */
export function settingIsValid(name: keyof WorkspaceSettings, value: unknown): boolean {
  const s = FIELDS[name] ?? sameJsonType(defaultSettings()[name]);
  return v.safeParse(s, value).success;
}
