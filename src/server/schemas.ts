import * as v from "valibot";
import { ruleBodySchema } from "../alerts/rules.js";
import { settingsPatchSchema } from "../config/settings-schema.js";
import { GRAINS } from "../metrics/grains.js";
import { SurveySchema } from "../surveys/definitions.js";
import { langOf } from "../surveys/wording.js";
import { dict } from "../util/schema.js";
import { SCOPES } from "./keys.js";

/**
 * Every request body the API takes, as valibot schemas: checked at the edge (a 400 names the bad
 * field's path) and turned into the OpenAPI document's JSON Schemas (src/server/openapi.ts), so
 * the docs and the check cannot drift apart.
 */
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const instant = v.pipe(v.string(), v.minLength(1, "an ISO 8601 date or time, e.g. 2026-01-01"), v.maxLength(64), v.description("ISO 8601 date or date-time"));
const filters = v.pipe(
  dict(text(100), v.union([text(1000), v.pipe(v.array(text(1000)), v.maxLength(1000))], "a value or a list of values")),
  v.description("dimension → value or values, e.g. { channel: [email, chat] }"),
);
const grain = v.picklist(GRAINS, `one of ${GRAINS.join(", ")}`);
const clock = v.picklist(["calendar", "business"], '"calendar" or "business"');
const bounded = (min: number, max: number, what: string) => v.pipe(v.number(what), v.minValue(min, `at least ${min}`), v.maxValue(max, `at most ${max}`));

export const metricRequestSchema = v.object({
  metrics: v.pipe(v.array(text(100)), v.minLength(1, "give at least one metric id"), v.maxLength(100), v.description("metric ids of GET /metrics/catalog")),
  from: v.pipe(instant, v.description("start, included: ISO 8601 date (local midnight in the workspace zone) or time; 01/10/2026 and 2026-02-30 are refused")),
  to: v.pipe(instant, v.description("end, not included ([from, to)): ISO 8601 date (local midnight in the workspace zone) or time")),
  grain: v.optional(grain),
  groupBy: v.optional(v.pipe(v.array(text(100)), v.maxLength(4), v.description("channel, agent, team, priority, topic, tag, segment, field.<name>"))),
  filters: v.optional(filters),
  clock: v.optional(clock),
  percentiles: v.optional(
    v.pipe(
      v.array(v.pipe(v.number("a number between 0 and 100"), v.minValue(0.001), v.maxValue(99.999))),
      v.maxLength(20),
      v.description("extra percentiles; duration rows always carry count, mean, median and p90"),
    ),
  ),
  compare: v.optional(v.pipe(v.boolean(), v.description("add the previous period's values"))),
  source: v.optional(
    v.pipe(
      v.picklist(["auto", "facts", "rollup"], '"auto", "facts" or "rollup"'),
      v.description(
        '"facts": read the raw facts even where a rollup fits (to check it); "rollup": the rollup wherever it fits (default: for workspaces of 200,000 tickets or more); the answer\'s source says which path answered',
      ),
    ),
  ),
});

export const drilldownRequestSchema = v.object({
  metric: text(100),
  from: instant,
  to: instant,
  filters: v.optional(filters),
  group: v.optional(v.pipe(dict(text(100), text(1000)), v.description("the group of the number clicked, e.g. { channel: chat }"))),
  bucket: v.optional(
    v.pipe(
      text(64),
      v.check((b) => !Number.isNaN(Date.parse(b)), "an ISO 8601 date or time"),
      v.description("the bucket of the number clicked (ISO start)"),
    ),
  ),
  grain: v.optional(grain),
  page: v.optional(v.pipe(bounded(0, 100_000, "a page number (0 is the first)"), v.integer("a whole page number"))),
  pageSize: v.optional(v.pipe(bounded(1, 10_000, "a page size"), v.integer("a whole number of rows"))),
});

export const staffingRequestSchema = v.object({
  from: instant,
  to: instant,
  filters: v.optional(filters),
  target: v.optional(v.pipe(bounded(0.001, 99.999, "a service-level target in percent"), v.description("service-level target, percent"))),
  threshold_s: v.optional(bounded(0, 86_400, "an answer threshold in seconds")),
  aht_s: v.optional(bounded(0.001, 86_400, "a handle time in seconds")),
  max_occupancy: v.optional(bounded(1, 100, "an occupancy ceiling in percent")),
});

export const sessionRequestSchema = v.object({ key: v.pipe(v.string("the key as text"), v.minLength(1, "give your key"), v.maxLength(512)) });

// an empty body takes the defaults: a read key named "api"
export const keyRequestSchema = v.optional(
  v.object({
    name: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
    scopes: v.optional(v.pipe(v.array(v.picklist(SCOPES, `one of ${SCOPES.join(", ")}`)), v.minLength(1), v.maxLength(3))),
  }),
  {},
);

/** PATCH /settings: any subset of the settings (src/config/settings-schema.ts), nothing unknown. */
export const settingsRequestSchema = v.pipe(
  // valibot's object takes an array as an object without keys: refused here, as a change of nothing is a mistake
  v.custom<unknown>((x) => x !== null && typeof x === "object" && !Array.isArray(x), "settings must be a JSON object of the fields to change"),
  settingsPatchSchema(),
);

/**
 * Bodies whose own parser names fields its way (alert rules: `rule.condition.target`; surveys:
 * `invalid_survey`) are read as a JSON object here and checked by `parseRule` / `parseSurvey`,
 * which run these same valibot schemas; the OpenAPI document shows them.
 */
export const jsonObject = dict(v.string(), v.unknown(), "send a JSON object");
export const alertRuleRequestSchema = ruleBodySchema;
export const surveyRequestSchema = SurveySchema;

// an empty body or {} acknowledges
export const ackRequestSchema = v.optional(v.object({}), {});
export const snoozeRequestSchema = v.object({
  minutes: v.pipe(
    v.number("minutes: a number"),
    v.integer("a whole number of minutes"),
    v.minValue(1, "at least 1"),
    v.maxValue(7 * 24 * 60, "at most 10080 (a week)"),
  ),
});

// ids as the help desk has them: text or a number, empty for none
const ref = v.nullish(v.union([text(200), v.number()], "an id as text"));
const lang = v.nullish(
  v.pipe(
    v.string(),
    v.check((l) => l === "" || langOf(l) !== undefined, "one of en, ar, fa, zh-Hant"),
  ),
);
const recipient = { ticket_id: ref, customer_id: ref, contact_id: ref, round: ref, lang };

export const invitationRequestSchema = v.object({
  survey: v.pipe(v.union([text(100), v.number()], 'say which survey: "survey": "<id or kind>", e.g. "csat"'), v.description("a survey id or kind")),
  ...recipient,
  agent_id: ref,
  expires_in_s: v.optional(
    v.pipe(v.number(), v.integer("a whole number of seconds"), v.minValue(1, "at least 1"), v.description("at most the survey's expires_hours")),
  ),
});

export const surveySendRequestSchema = v.object({
  ...recipient,
  email: v.nullish(text(320)),
  agents: v.optional(
    v.pipe(
      v.array(v.object({ agent_id: v.union([text(200), v.number()], "every agent needs an agent_id"), email: v.nullish(text(320)), lang })),
      v.maxLength(10_000),
      v.description("employee surveys: the agents to ask"),
    ),
  ),
});
