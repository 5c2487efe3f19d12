import { EVENT_TYPES } from "../events/types.js";

/** The OpenAPI 3.1 document served at /api/v1/openapi.json (hand-kept beside the routes it describes). */
export function openApiDocument(): Record<string, unknown> {
  const error = {
    type: "object",
    properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, details: {} } } },
  };
  const ok = (description: string, schema: Record<string, unknown> = { type: "object" }) => ({
    description,
    content: { "application/json": { schema } },
  });
  const errors = { "400": ok("bad request", error), "401": ok("no or unknown key", error), "403": ok("key lacks the scope", error) };
  const metricRequest = {
    type: "object",
    required: ["metrics", "from", "to"],
    properties: {
      metrics: { type: "array", items: { type: "string" }, description: "metric ids of GET /metrics/catalog" },
      from: { type: "string", description: "start, included: ISO 8601 date (local midnight in the workspace zone) or time; 01/10/2026 and 2026-02-30 are refused" },
      to: { type: "string", description: "end, not included ([from, to)): ISO 8601 date (local midnight in the workspace zone) or time" },
      grain: { enum: ["hour", "day", "week", "month", "quarter", "year"] },
      groupBy: { type: "array", items: { type: "string" }, description: "channel, agent, team, priority, topic, tag, segment, field.<name>" },
      filters: { type: "object", additionalProperties: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] } },
      clock: { enum: ["calendar", "business"] },
      percentiles: { type: "array", items: { type: "number" }, description: "extra percentiles; duration rows always carry count, mean, median and p90" },
      compare: { type: "boolean", description: "add the previous period's values" },
    },
  };
  const event = {
    type: "object",
    required: ["id", "type", "ts"],
    properties: { id: { type: "string" }, type: { enum: [...EVENT_TYPES] }, ts: { oneOf: [{ type: "string", format: "date-time" }, { type: "number" }] } },
    additionalProperties: true,
  };
  return {
    openapi: "3.1.0",
    info: { title: "Deskpulse API", version: "1", description: "Customer-service KPIs from your own data. Field reference: docs/EVENTS.md, metric definitions: docs/METRICS.md." },
    servers: [{ url: "/api/v1" }],
    components: { securitySchemes: { key: { type: "http", scheme: "bearer" } } },
    security: [{ key: [] }],
    paths: {
      "/health": { get: { security: [], responses: { "200": ok("ready") } } },
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
                rejected: { type: "array", items: { type: "object", properties: { index: { type: "integer" }, field: { type: "string" }, reason: { type: "string" } } } },
              },
            }),
            "413": ok("body too large", error),
            ...errors,
          },
        },
      },
      "/rejected": { get: { summary: "Rejected records", responses: { "200": ok("records with origin, position, field, reason"), ...errors } } },
      "/metrics": {
        post: { summary: "Compute metrics", requestBody: { content: { "application/json": { schema: metricRequest } } }, responses: { "200": ok("rows"), ...errors } },
        get: { summary: "Compute metrics (query-string form: metrics=a,b&from=&to=&grain=&groupBy=&clock=)", responses: { "200": ok("rows"), ...errors } },
      },
      "/metrics/catalog": { get: { summary: "Every metric with names, unit, direction, target, definition", responses: { "200": ok("catalog") } } },
      "/metrics/staffing": { post: { summary: "Agents needed per weekday × hour for a target service level (Erlang C) from stored contacts", responses: { "200": ok("plan"), ...errors } } },
      "/metrics/drilldown": { post: { summary: "The records behind a number (?format=csv)", responses: { "200": ok("items"), ...errors } } },
      "/live": { get: { summary: "Live snapshot", responses: { "200": ok("snapshot") } } },
      "/live/stream": { get: { summary: "Live snapshots as server-sent events (event: live)", responses: { "200": { description: "text/event-stream" } } } },
      "/tickets/{id}": { get: { summary: "A ticket's facts and timeline", responses: { "200": ok("ticket"), "404": ok("unknown ticket", error) } } },
      "/customers/{id}": { get: { summary: "A customer's journey", responses: { "200": ok("journey"), "404": ok("unknown customer", error) } } },
      "/settings": { get: { summary: "Workspace settings", responses: { "200": ok("settings") } }, patch: { summary: "Change settings (admin)", responses: { "200": ok("settings"), ...errors } } },
      "/keys": { post: { summary: "Create a key for the caller's workspace (admin)", responses: { "201": ok("key"), ...errors } } },
      "/session": {
        post: { security: [], summary: "Sign in with a key (form field or JSON `key`); sets a cookie", responses: { "204": { description: "signed in" }, "401": ok("bad key", error) } },
        get: { security: [], summary: "Who is signed in (200 either way)", responses: { "200": ok("{ signed_in, workspace?, scopes? }") } },
        delete: { summary: "Sign out", responses: { "204": { description: "signed out" } } },
      },
      "/webhooks/{vendor}": {
        post: { summary: "A help desk's webhook payload (zendesk, freshdesk, intercom, hubspot, chatwoot), signature-checked when a secret is set", responses: { "200": ok("counts"), ...errors } },
      },
      "/me": { get: { summary: "The caller's workspace and scopes", responses: { "200": ok("caller") } } },
    },
  };
}
