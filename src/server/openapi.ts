import { settingsPatchSchema } from "../config/settings-schema.js";
import { EVENT_TYPES } from "../events/types.js";
import { toJsonSchema } from "../util/schema.js";
import {
  alertRuleRequestSchema,
  drilldownRequestSchema,
  invitationRequestSchema,
  keyRequestSchema,
  metricRequestSchema,
  sessionRequestSchema,
  snoozeRequestSchema,
  staffingRequestSchema,
  surveyRequestSchema,
  surveySendRequestSchema,
} from "./schemas.js";

/**
 * The OpenAPI 3.1 document served at /api/v1/openapi.json. Request bodies are the JSON Schemas of
 * the valibot schemas the routes check them with (src/server/schemas.ts, src/config/settings-schema.ts).
 */
export function openApiDocument(): Record<string, unknown> {
  const error = {
    type: "object",
    properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, details: {} } } },
  };
  const ok = (description: string, schema: Record<string, unknown> = { type: "object" }) => ({
    description,
    content: { "application/json": { schema } },
  });
  const errors = {
    "400": ok("bad request: details.path names the field", error),
    "401": ok("no or unknown key", error),
    "403": ok("key lacks the scope", error),
    "413": ok("body over the route's limit", error),
    "429": ok("too many requests with this key; see the Retry-After header", error),
  };
  const timeout = { "503": ok("the request ran past its deadline (DESKPULSE_QUERY_TIMEOUT_MS) and was cancelled", error) };
  const json = (schema: Record<string, unknown>) => ({ required: true, content: { "application/json": { schema } } });
  const metricRequest = toJsonSchema(metricRequestSchema);
  const rule = json(toJsonSchema(alertRuleRequestSchema));
  const survey = json(toJsonSchema(surveyRequestSchema));
  const notFound = (what: string) => ({ "404": ok(`no such ${what} in this workspace`, error) });
  const event = {
    type: "object",
    required: ["id", "type", "ts"],
    properties: { id: { type: "string" }, type: { enum: [...EVENT_TYPES] }, ts: { oneOf: [{ type: "string", format: "date-time" }, { type: "number" }] } },
    additionalProperties: true,
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Deskpulse API",
      version: "1",
      description: "Customer-service KPIs from your own data. Field reference: docs/EVENTS.md, metric definitions: docs/METRICS.md.",
    },
    servers: [{ url: "/api/v1" }],
    components: { securitySchemes: { key: { type: "http", scheme: "bearer" } } },
    security: [{ key: [] }],
    paths: {
      "/health": { get: { security: [], responses: { "200": ok("ready") } } },
      "/openapi.json": { get: { security: [], summary: "This document", responses: { "200": ok("OpenAPI 3.1") } } },
      "/events": {
        post: {
          summary: "Ingest events (JSON array, object or NDJSON; gzip accepted)",
          requestBody: { content: { "application/json": { schema: { type: "array", items: event } }, "application/x-ndjson": { schema: { type: "string" } } } },
          responses: {
            "200": ok("stored, duplicates and rejected records", {
              type: "object",
              properties: {
                stored: { type: "integer" },
                duplicates: { type: "integer" },
                conflicts: { type: "integer", description: "ids already stored with a different payload; each is also listed in rejected" },
                rejected: {
                  type: "array",
                  items: { type: "object", properties: { index: { type: "integer" }, field: { type: "string" }, reason: { type: "string" } } },
                },
              },
            }),
            ...errors,
          },
        },
      },
      "/rejected": { get: { summary: "Rejected records", responses: { "200": ok("records with origin, position, field, reason"), ...errors } } },
      "/metrics": {
        post: { summary: "Compute metrics", requestBody: json(metricRequest), responses: { "200": ok("rows"), ...errors, ...timeout } },
        get: {
          summary: "Compute metrics (query-string form: metrics=a,b&from=&to=&grain=&groupBy=&clock=)",
          responses: { "200": ok("rows"), ...errors, ...timeout },
        },
      },
      "/metrics/catalog": { get: { summary: "Every metric with names, unit, direction, target, definition", responses: { "200": ok("catalog") } } },
      "/metrics/staffing": {
        post: {
          summary: "Agents needed per weekday × hour for a target service level (Erlang C) from stored contacts",
          requestBody: json(toJsonSchema(staffingRequestSchema)),
          responses: { "200": ok("plan"), ...errors, ...timeout },
        },
      },
      "/metrics/drilldown": {
        post: {
          summary: "The records behind a number (?format=csv; text cells starting with = + - @ tab or CR are prefixed with ')",
          requestBody: json(toJsonSchema(drilldownRequestSchema)),
          responses: { "200": ok("items"), ...errors, ...timeout },
        },
      },
      "/live": { get: { summary: "Live snapshot", responses: { "200": ok("snapshot") } } },
      "/live/stream": { get: { summary: "Live snapshots as server-sent events (event: live)", responses: { "200": { description: "text/event-stream" } } } },
      "/tickets/{id}": { get: { summary: "A ticket's facts and timeline", responses: { "200": ok("ticket"), "404": ok("unknown ticket", error) } } },
      "/customers/{id}": { get: { summary: "A customer's journey", responses: { "200": ok("journey"), "404": ok("unknown customer", error) } } },
      "/settings": {
        get: { summary: "Workspace settings", responses: { "200": ok("settings") } },
        patch: {
          summary: "Change settings (admin; recorded in the audit log)",
          requestBody: json(toJsonSchema(settingsPatchSchema())),
          responses: { "200": ok("settings"), ...errors },
        },
      },
      "/keys": {
        post: {
          summary: "Create a key for the caller's workspace (admin)",
          requestBody: json(toJsonSchema(keyRequestSchema)),
          responses: { "201": ok("key"), ...errors },
        },
        get: { summary: "The workspace's keys: id, name, scopes, created_at (admin)", responses: { "200": ok("keys"), ...errors } },
      },
      "/keys/{id}": {
        delete: { summary: "Revoke a key and end its sign-ins (admin)", responses: { "200": ok("revoked"), "404": ok("no such key", error), ...errors } },
      },
      "/audit": {
        get: {
          summary: "Admin actions, newest first: settings changes, keys created and revoked (admin; ?limit=&offset=)",
          responses: { "200": ok("items"), ...errors },
        },
      },
      "/session": {
        post: {
          security: [],
          summary: "Sign in with a key (form field or JSON `key`); sets a session cookie (a random id that expires, never the key)",
          requestBody: json(toJsonSchema(sessionRequestSchema)),
          responses: { "204": { description: "signed in" }, "401": ok("bad key", error), "429": ok("too many sign-in attempts", error) },
        },
        get: { security: [], summary: "Who is signed in (200 either way)", responses: { "200": ok("{ signed_in, workspace?, scopes? }") } },
        delete: { summary: "Sign out", responses: { "204": { description: "signed out" } } },
      },
      "/webhooks/{vendor}": {
        post: {
          summary:
            "A help desk's webhook payload (zendesk, freshdesk, intercom, hubspot, chatwoot), signature-checked when a secret is set; signed timestamps must be within settings.webhook_tolerance_s; the key may be sent as ?key= here only",
          responses: { "200": ok("counts"), ...errors },
        },
      },
      "/me": { get: { summary: "The caller's workspace and scopes", responses: { "200": ok("caller") } } },
      "/alert-rules": {
        get: { summary: "The workspace's alert rules (webhook secrets masked for non-admin keys)", responses: { "200": ok("{ rules }"), ...errors } },
        post: {
          summary: "Create an alert rule (admin); a webhook destination without a secret gets one",
          requestBody: rule,
          responses: { "201": ok("the stored rule with its id"), "409": ok("a rule with this id exists", error), ...errors },
        },
      },
      "/alert-rules/{id}": {
        get: { summary: "One alert rule", responses: { "200": ok("rule"), ...notFound("rule"), ...errors } },
        put: {
          summary: 'Replace an alert rule (admin); a webhook secret sent back as "***" keeps the stored one',
          requestBody: rule,
          responses: { "200": ok("rule"), ...notFound("rule"), ...errors },
        },
        delete: { summary: "Delete an alert rule (admin)", responses: { "204": { description: "deleted" }, ...notFound("rule"), ...errors } },
      },
      "/alert-rules/{id}/run": {
        post: { summary: "Evaluate a rule now (admin)", responses: { "200": ok("{ alerts }: the rule's latest alerts"), ...notFound("rule"), ...errors } },
      },
      "/alerts": {
        get: { summary: "Alert history, newest first (?state=firing|resolved&rule=&limit=)", responses: { "200": ok("{ alerts, summary }"), ...errors } },
      },
      "/alerts/{id}/ack": {
        post: { summary: "Acknowledge an alert (admin; X-Deskpulse-User names who)", responses: { "200": ok("alert"), ...notFound("alert"), ...errors } },
      },
      "/alerts/{id}/snooze": {
        post: {
          summary: "Snooze an alert (admin); it notifies again if still firing then",
          requestBody: json(toJsonSchema(snoozeRequestSchema)),
          responses: { "200": ok("alert"), ...notFound("alert"), ...errors },
        },
      },
      "/reports/{id}/send": {
        post: {
          summary: "Send a scheduled report now (admin)",
          responses: { "200": ok("{ sent, from, to, kpis, breaches }"), ...notFound("report"), ...errors },
        },
      },
      "/outbox/dead-letters": { get: { summary: "Deliveries that failed every retry (admin)", responses: { "200": ok("{ items }"), ...errors } } },
      "/surveys": {
        get: { summary: "Hosted survey definitions", responses: { "200": ok("{ surveys }"), ...errors } },
        post: {
          summary: "Create a survey (admin)",
          requestBody: survey,
          responses: { "201": ok("the survey with its defaults"), "409": ok("a survey with this id exists", error), ...errors },
        },
      },
      "/surveys/invitations": {
        post: {
          summary: "A signed survey link for a help desk or chat tool to deliver (ingest)",
          requestBody: json(toJsonSchema(invitationRequestSchema)),
          responses: { "201": ok("{ url, expires_at, survey_id }"), ...notFound("survey"), ...errors },
        },
      },
      "/surveys/{id}": {
        get: { summary: "One survey (by id, or the first enabled of a kind)", responses: { "200": ok("survey"), ...notFound("survey"), ...errors } },
        put: { summary: "Create or replace a survey (admin)", requestBody: survey, responses: { "200": ok("survey"), "201": ok("created"), ...errors } },
        delete: { summary: "Delete a survey (admin)", responses: { "204": { description: "deleted" }, ...notFound("survey"), ...errors } },
      },
      "/surveys/{id}/send": {
        post: {
          summary: "Send now by e-mail and/or webhook (admin); employee surveys take agents",
          requestBody: json(toJsonSchema(surveySendRequestSchema)),
          responses: { "200": ok("what was sent"), ...notFound("survey"), ...errors },
        },
      },
      "/surveys/{id}/webhook-secret": {
        get: {
          summary: "The key a survey webhook receiver verifies X-Deskpulse-Signature with (admin)",
          responses: { "200": ok("{ survey, secret }"), ...notFound("survey"), ...errors },
        },
      },
      "/surveys/{id}/stats": {
        get: {
          summary: "The survey's funnel: sent, opened, answered, response rate (?by=channel|team_id)",
          responses: { "200": ok("stats"), ...notFound("survey"), ...errors },
        },
      },
    },
  };
}
