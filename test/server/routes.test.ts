import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CATALOG_TEXT } from "../../src/metrics/catalog-text.js";
import { openApiDocument } from "../../src/server/openapi.js";
import {
  alertRuleRequestSchema,
  invitationRequestSchema,
  snoozeRequestSchema,
  surveyRequestSchema,
  surveySendRequestSchema,
} from "../../src/server/schemas.js";
import { toJsonSchema } from "../../src/util/schema.js";
import { type FuzzTarget, fuzzTarget } from "./fuzz-requests.js";

type Scope = "public" | "any" | "ingest" | "read" | "admin";

/** Every API route and the scope it needs, written out by hand: a route added without a row here fails the first test. */
const SCOPES: Record<string, Scope> = {
  "GET /health": "public",
  "GET /openapi.json": "public",
  "POST /session": "public",
  "GET /session": "public",
  "DELETE /session": "public",
  "GET /me": "any",
  "POST /events": "ingest",
  "POST /webhooks/:vendor": "ingest",
  "POST /surveys/invitations": "ingest",
  "GET /rejected": "read",
  "GET /settings": "read",
  "GET /live": "read",
  "GET /metrics/catalog": "read",
  "POST /metrics": "read",
  "GET /metrics": "read",
  "POST /metrics/staffing": "read",
  "POST /metrics/drilldown": "read",
  "GET /tickets/:id": "read",
  "GET /customers/:id": "read",
  "GET /alert-rules": "read",
  "GET /alert-rules/:id": "read",
  "GET /alerts": "read",
  "GET /surveys": "read",
  "GET /surveys/:id": "read",
  "GET /surveys/:id/stats": "read",
  "PATCH /settings": "admin",
  "POST /keys": "admin",
  "GET /keys": "admin",
  "DELETE /keys/:id": "admin",
  "GET /audit": "admin",
  "POST /alert-rules": "admin",
  "PUT /alert-rules/:id": "admin",
  "DELETE /alert-rules/:id": "admin",
  "POST /alert-rules/:id/run": "admin",
  "POST /alerts/:id/ack": "admin",
  "POST /alerts/:id/snooze": "admin",
  "POST /reports/:id/send": "admin",
  "GET /outbox/dead-letters": "admin",
  "POST /surveys": "admin",
  "PUT /surveys/:id": "admin",
  "DELETE /surveys/:id": "admin",
  "POST /surveys/:id/send": "admin",
  "GET /surveys/:id/webhook-secret": "admin",
};

describe("routes: scopes, the OpenAPI document, bodies and the catalog's language", () => {
  let t: FuzzTarget;
  before(async () => {
    t = await fuzzTarget();
  });
  after(() => t.close());

  const call = async (key: string | null, method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const res = await t.app.request(`http://127.0.0.1/api/v1${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body,
    });
    return {
      status: res.status,
      headers: res.headers,
      json: (await res.json()) as Record<string, unknown> & { error?: { code: string; details?: { path?: string } } },
    };
  };
  const routeKeys = () => t.routes.map((r) => `${r.method} ${r.path.slice("/api/v1".length)}`);

  it("every API route is in the scope table and in the OpenAPI document", () => {
    assert.deepEqual(
      routeKeys().filter((r) => !(r in SCOPES)),
      [],
      "routes without a row in SCOPES",
    );
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    const undocumented = routeKeys().filter((r) => {
      const [method, path] = r.split(" ");
      return !doc.paths[path.replace(/:(\w+)/g, "{$1}")]?.[method.toLowerCase()];
    });
    assert.deepEqual(undocumented, []);
  });

  it("a key without a route's scope gets 403 before anything else; one with it gets past the check", async () => {
    const keysWithout = (s: Scope) => (s === "read" ? [t.keys.ingest] : s === "ingest" ? [t.keys.read] : s === "admin" ? [t.keys.read, t.keys.ingest] : []);
    const keysWith = (s: Scope) => (s === "read" ? [t.keys.read, t.keys.admin] : s === "ingest" ? [t.keys.ingest, t.keys.admin] : [t.keys.admin]);
    let checked = 0;
    for (const r of routeKeys()) {
      const scope = SCOPES[r];
      if (scope === "public") continue;
      const [method, pattern] = r.split(" ");
      const path = pattern.replace(/:vendor/, "zendesk").replace(/:\w+/g, "x");
      // a body the scope check must refuse unread (the depth check would answer 400 if it read it)
      const body = method === "GET" ? undefined : `${"[".repeat(100)}${"]".repeat(100)}`;
      for (const key of keysWithout(scope)) {
        const res = await call(key, method, path, body);
        assert.equal(res.status, 403, `${r} without "${scope}": ${JSON.stringify(res.json)}`);
        assert.equal(res.json.error?.code, "forbidden");
        checked++;
      }
      for (const key of keysWith(scope)) {
        const res = await call(key, method, path, body);
        assert.ok(res.status !== 401 && res.status !== 403 && res.status < 500, `${r} with "${scope}": ${res.status} ${JSON.stringify(res.json)}`);
      }
    }
    assert.ok(checked >= 40, `${checked} refusals checked`);
  });

  it("a read key cannot acknowledge or snooze an alert (admin only)", async () => {
    assert.equal((await call(t.keys.read, "POST", "/alerts/a1/ack", "{}")).status, 403);
    assert.equal((await call(t.keys.read, "POST", "/alerts/a1/snooze", '{"minutes":60}')).status, 403);
    // an admin gets past the scope to the lookup: no such alert
    assert.equal((await call(t.keys.admin, "POST", "/alerts/a1/ack", "{}")).status, 404);
    assert.equal((await call(t.keys.admin, "POST", "/alerts/a1/snooze", '{"minutes":60}')).status, 404);
  });

  it("documents the alert and survey bodies with the schemas the routes check", () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>> };
    const body = (path: string, method: string) => doc.paths[path][method].requestBody?.content["application/json"].schema;
    assert.deepEqual(body("/alert-rules", "post"), toJsonSchema(alertRuleRequestSchema));
    assert.deepEqual(body("/alert-rules/{id}", "put"), toJsonSchema(alertRuleRequestSchema));
    assert.deepEqual(body("/alerts/{id}/snooze", "post"), toJsonSchema(snoozeRequestSchema));
    assert.deepEqual(body("/surveys", "post"), toJsonSchema(surveyRequestSchema));
    assert.deepEqual(body("/surveys/invitations", "post"), toJsonSchema(invitationRequestSchema));
    assert.deepEqual(body("/surveys/{id}/send", "post"), toJsonSchema(surveySendRequestSchema));
    const snooze = toJsonSchema(snoozeRequestSchema) as { required: string[]; properties: { minutes: unknown } };
    assert.deepEqual(snooze.required, ["minutes"]);
    assert.deepEqual(snooze.properties.minutes, { type: "integer", minimum: 1, maximum: 10_080 });
    // the rule's condition is one of its kinds, told apart by "kind"
    const rule = toJsonSchema(alertRuleRequestSchema) as { properties: { condition: { oneOf: { properties: { kind: { const: string } } }[] } } };
    assert.deepEqual(
      rule.properties.condition.oneOf.map((o) => o.properties.kind.const),
      ["sla_due", "sla_breached", "unassigned", "waiting", "backlog_age", "metric", "anomaly"],
    );
  });

  it("reads every JSON body within the depth limit, and checks it against its schema", async () => {
    const deep = `{"a":${"[".repeat(100)}${"]".repeat(100)}}`;
    for (const [key, path, method] of [
      [t.keys.admin, "/alert-rules", "POST"],
      [t.keys.admin, "/alert-rules/x", "PUT"],
      [t.keys.admin, "/alerts/x/snooze", "POST"],
      [t.keys.admin, "/alerts/x/ack", "POST"],
      [t.keys.admin, "/surveys", "POST"],
      [t.keys.admin, "/surveys/csat/send", "POST"],
      [t.keys.ingest, "/surveys/invitations", "POST"],
      [t.keys.admin, "/keys", "POST"],
    ] as const) {
      const res = await call(key, method, path, deep);
      // PUT looks the rule up first: no rule "x"
      if (path === "/alert-rules/x") assert.equal(res.status, 404);
      else {
        assert.equal(res.status, 400, `${method} ${path}: ${JSON.stringify(res.json)}`);
        assert.equal(res.json.error?.code, "json_too_deep", `${method} ${path}`);
      }
    }
    const bad = async (key: string, path: string, body: unknown) => (await call(key, "POST", path, JSON.stringify(body))).json.error;
    assert.deepEqual(
      [
        (await bad(t.keys.admin, "/alerts/x/snooze", { minutes: "soon" }))?.details?.path,
        (await bad(t.keys.admin, "/alerts/x/snooze", { minutes: 1e300 }))?.details?.path,
      ],
      ["minutes", "minutes"],
    );
    assert.equal((await bad(t.keys.ingest, "/surveys/invitations", { survey: "csat", lang: "klingon" }))?.details?.path, "lang");
    assert.equal((await bad(t.keys.ingest, "/surveys/invitations", { survey: "csat", ticket_id: { $gt: "" } }))?.details?.path, "ticket_id");
    assert.equal((await bad(t.keys.admin, "/surveys/csat/send", { agents: "everyone" }))?.details?.path, "agents");
    assert.equal((await bad(t.keys.admin, "/alert-rules", [1, 2]))?.code, "invalid_rule");
    // a valid invitation still works: a signed link back
    const ok = await call(t.keys.ingest, "POST", "/surveys/invitations", JSON.stringify({ survey: "csat", ticket_id: 42, lang: "fa-IR" }));
    assert.equal(ok.status, 201, JSON.stringify(ok.json));
    assert.match(String(ok.json.url), /^http:\/\/127\.0\.0\.1\/s\/\S+$/);
  });

  it("PATCH /settings checks surveys like every other setting", async () => {
    const res = await call(
      t.keys.admin,
      "PATCH",
      "/settings",
      JSON.stringify({
        surveys: [
          { id: "after-chat", kind: "csat" },
          { id: "x", kind: "bogus" },
        ],
      }),
    );
    assert.equal(res.status, 400);
    assert.equal(res.json.error?.code, "invalid_settings");
    assert.equal(res.json.error?.details?.path, "surveys.1.kind");
    const bad = await call(t.keys.admin, "PATCH", "/settings", JSON.stringify({ surveys: [{ id: "Not An Id", kind: "csat" }] }));
    assert.equal(bad.json.error?.details?.path, "surveys.0.id");
    const good = await call(t.keys.admin, "PATCH", "/settings", JSON.stringify({ surveys: [{ id: "after-chat", kind: "nps" }] }));
    assert.equal(good.status, 200, JSON.stringify(good.json));
    const list = await call(t.keys.read, "GET", "/surveys");
    assert.deepEqual(
      (list.json.surveys as { id: string; kind: string; expires_hours: number }[]).map((s) => [s.id, s.kind, s.expires_hours]),
      [["after-chat", "nps", 336]],
    );
  });

  it("GET /metrics/catalog answers names and definitions in the language asked for", async () => {
    type Entry = {
      id: string;
      name: string;
      names: Record<string, string>;
      definition: string;
      formula: string;
      attribution: string;
      attribution_text: string;
    };
    const catalog = async (accept?: string) => {
      const res = await call(t.keys.read, "GET", "/metrics/catalog", undefined, accept ? { "accept-language": accept } : {});
      const frt = (res.json.metrics as Entry[]).find((m) => m.id === "first_response_time")!;
      return { lang: res.json.lang, header: res.headers.get("content-language"), frt };
    };
    const fa = await catalog("fa-IR,fa;q=0.9,en;q=0.5");
    assert.equal(fa.lang, "fa");
    assert.equal(fa.header, "fa");
    assert.equal(fa.frt.name, "زمان اولین پاسخ");
    assert.equal(fa.frt.definition, CATALOG_TEXT.first_response_time.fa.definition);
    assert.equal(fa.frt.formula, "Σ (اولین پاسخ کارشناس − شروع) ÷ تیکت‌های دارای اولین پاسخ");
    assert.equal(fa.frt.attribution, "time of the first reply", "the key stays English");
    assert.notEqual(fa.frt.attribution_text, "time of the first reply");
    const zh = await catalog("zh-TW");
    assert.equal(zh.lang, "zh-Hant");
    assert.equal(zh.frt.name, "首次回覆時間");
    assert.equal(zh.frt.definition, CATALOG_TEXT.first_response_time["zh-Hant"].definition);
    const ar = await catalog("ar");
    assert.equal(ar.frt.name, "وقت الاستجابة الأول");
    assert.equal(ar.frt.definition, CATALOG_TEXT.first_response_time.ar.definition);
    // no header, or a language we do not have: English, names in all four kept
    for (const accept of [undefined, "de-DE,zh-CN;q=0.8"]) {
      const en = await catalog(accept);
      assert.equal(en.lang, "en");
      assert.equal(en.frt.name, "First response time");
      assert.equal(en.frt.definition, CATALOG_TEXT.first_response_time.en.definition);
      assert.deepEqual(Object.keys(en.frt.names), ["en", "ar", "fa", "zh-Hant"]);
    }
  });

  it("refuses a survey response on an absurd scale (1e300) with the field named", async () => {
    const post = (events: unknown[]) => call(t.keys.ingest, "POST", "/events", JSON.stringify(events));
    const res = await post([
      { id: "huge-1", type: "survey.responded", ts: "2026-03-02T10:00:00Z", kind: "csat", score: 1e300, scale: 1e300, ticket_id: "F1" },
      { id: "huge-2", type: "survey.responded", ts: "2026-03-02T10:00:00Z", kind: "cx", score: 3, scale: 0.5, ticket_id: "F1" },
      { id: "huge-3", type: "survey.responded", ts: "2026-03-02T10:00:00Z", kind: "csat", score: 1e300, ticket_id: "F1" },
    ]);
    assert.equal(res.status, 422);
    assert.deepEqual(
      (res.json.rejected as { index: number; field: string }[]).map((r) => [r.index, r.field]),
      [
        [0, "scale"],
        [1, "scale"],
        [2, "score"],
      ],
    );
    // the usual scales still pass: a 0–10 NPS and a thumbs-up (scale 1)
    const fine = await post([
      { id: "fine-1", type: "survey.responded", ts: "2026-03-02T10:00:00Z", kind: "nps", score: 9, scale: 10, ticket_id: "F1" },
      { id: "fine-2", type: "survey.responded", ts: "2026-03-02T10:00:00Z", kind: "csat", score: 1, scale: 1, ticket_id: "F2" },
    ]);
    assert.equal(fine.status, 200, JSON.stringify(fine.json));
    assert.equal(fine.json.stored, 2);
  });
});
