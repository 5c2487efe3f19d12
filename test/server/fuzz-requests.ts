import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import type { Hono } from "hono";
import { Runtime } from "../../src/runtime.js";
import { createApp } from "../../src/server/app.js";
import type { AppEnv } from "../../src/server/context.js";
import { createKey } from "../../src/server/keys.js";

/**
 * Generated and mutated requests for every route of the app (the list is read from the app, so
 * routes added later are fuzzed too), and an in-process server to throw them at. Used by the
 * fuzz test in `npm test` and by bench/fuzz.ts for longer runs.
 */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface FuzzTarget {
  app: Hono<AppEnv>;
  rt: Runtime;
  routes: { method: string; path: string }[];
  keys: { admin: string; read: string; ingest: string };
  close(): Promise<void>;
}

const T0 = Date.parse("2026-03-02T09:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

/** A Runtime on a fresh data folder, a few tickets, keys of each scope, and the app without rate limits. */
export async function fuzzTarget(): Promise<FuzzTarget> {
  const dir = mkdtempSync(join(tmpdir(), "dp-fuzz-"));
  const prevData = process.env.DESKPULSE_DATA;
  process.env.DESKPULSE_DATA = dir;
  const rt = await Runtime.open(join(dir, "deskpulse.duckdb"));
  const keys = {
    admin: await createKey(rt.store, "default", ["admin"], "fuzz-admin"),
    read: await createKey(rt.store, "default", ["read"], "fuzz-read"),
    ingest: await createKey(rt.store, "default", ["ingest"], "fuzz-ingest"),
  };
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < 20; i++) {
    const t = `F${i}`;
    events.push(
      {
        id: `${t}-c`,
        type: "ticket.created",
        ts: iso(T0 + i * 3_600_000),
        ticket_id: t,
        channel: ["email", "chat", "phone"][i % 3],
        priority: "normal",
        customer_id: `cu${i % 5}`,
      },
      { id: `${t}-r`, type: "message.created", ts: iso(T0 + i * 3_600_000 + 600_000), ticket_id: t, author_type: "agent", agent_id: `a${i % 4}` },
      { id: `${t}-s`, type: "ticket.status_changed", ts: iso(T0 + i * 3_600_000 + 1_200_000), ticket_id: t, status: "solved" },
    );
  }
  await rt.ingest("default", events, "fuzz");
  // Signed vendors exercise the signature and freshness checks; the others their payload mapping.
  await rt.saveSettings("default", { webhook_secrets: { intercom: "fuzz-secret-1", hubspot: "fuzz-secret-2" } });
  const app = createApp(rt, { maxBodyBytes: 256 * 1024, ratePerMinute: 0, signInsPerMinute: 0, queryTimeoutMs: 60_000, webRoot: join(dir, "no-web") });
  const routes = app.routes
    .filter((r) => r.path.startsWith("/api/") && !r.path.includes("*") && r.method !== "ALL")
    // the live stream never ends by design; it is checked by its own test
    .filter((r) => r.path !== "/api/v1/live/stream")
    .map((r) => ({ method: r.method, path: r.path }));
  const unique = [...new Map(routes.map((r) => [`${r.method} ${r.path}`, r])).values()];
  return {
    app,
    rt,
    routes: unique,
    keys,
    async close() {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
      if (prevData === undefined) delete process.env.DESKPULSE_DATA;
      else process.env.DESKPULSE_DATA = prevData;
    },
  };
}

/** Valid bodies per route, the seeds that mutations start from. */
function samples(path: string): unknown[] {
  const range = { from: "2026-03-01", to: "2026-04-01" };
  switch (path) {
    case "/api/v1/events":
      return [
        [{ id: "e1", type: "ticket.created", ts: "2026-03-03T09:00:00Z", ticket_id: "N1", channel: "chat" }],
        { id: "e2", type: "message.created", ts: 1772528400, ticket_id: "N1", author_type: "customer" },
      ];
    case "/api/v1/metrics":
      return [
        { metrics: ["first_response_time", "csat"], ...range, grain: "week", groupBy: ["channel"], percentiles: [50, 90], compare: true },
        { metrics: ["backlog"], ...range, filters: { channel: ["chat"] }, clock: "business" },
      ];
    case "/api/v1/metrics/drilldown":
      return [{ metric: "first_response_time", ...range, page: 0, pageSize: 10, group: { channel: "chat" }, bucket: "2026-03-02", grain: "day" }];
    case "/api/v1/metrics/staffing":
      return [{ ...range, target: 80, threshold_s: 20, aht_s: 300, max_occupancy: 85 }];
    case "/api/v1/settings":
      return [{ targets: { csat: 90 } }, { week_start: "sat", timezone: "Asia/Tehran" }, { service_level_threshold_s: 30, cx_weights: { q1: 2 } }];
    case "/api/v1/keys":
      return [{ name: "k", scopes: ["read"] }];
    case "/api/v1/session":
      return [{ key: "dp_nope" }];
    case "/api/v1/webhooks/:vendor":
      return [
        { id: "z1", type: "zen:event-type:ticket.status_changed", time: "2026-03-02T09:00:00Z", detail: { id: "F1" }, event: { current: "OPEN" } },
        { event: "message_created", id: 5, message_type: "outgoing", created_at: 1772442300, conversation: { id: 9 }, sender: { id: 4, type: "user" } },
        [{ eventId: 1, subscriptionType: "ticket.creation", objectId: 42, occurredAt: 1772442000000 }],
        { data: { item: { id: "ic1", created_at: 1772442000, conversation_parts: { conversation_parts: [] } } } },
        { ticket: { id: 3, created_at: "2026-03-02T09:00:00Z", status: 2 } },
      ];
    default:
      return [{}];
  }
}

/** Values that have broken parsers before: huge, negative, non-finite-looking, empty, hostile strings. */
const nasty = fc.constantFrom<unknown>(
  1e300,
  -1e300,
  -1,
  0,
  0.5,
  Number.MAX_SAFE_INTEGER,
  "",
  "50",
  "1e300",
  "NaN",
  "-1",
  "=cmd|' /C calc'!A0",
  "__proto__",
  "constructor",
  "monday",
  "20'--",
  "'; DROP TABLE events; --",
  "../../etc/passwd",
  "\u0000",
  "😀".repeat(50),
  "x".repeat(5000),
  null,
  true,
  [],
  {},
  [[[[[[[[]]]]]]]],
  { __proto__: { a: 1 } },
);
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 4 }), nasty);

function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (v && typeof v === "object" && out.length < 200) for (const [k, x] of Object.entries(v)) paths(x, [...at, Array.isArray(v) ? Number(k) : k], out);
  return out;
}

function mutate(v: unknown, ops: { at: number; op: "set" | "delete" | "wrap" | "key"; value: unknown; key: string }[]): unknown {
  let cur = structuredClone(v);
  for (const m of ops) {
    const all = paths(cur);
    const p = all[m.at % all.length];
    if (p.length === 0) {
      cur = m.op === "wrap" ? [cur] : m.op === "set" ? m.value : cur;
      continue;
    }
    const parent = p.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], cur) as Record<string | number, unknown>;
    const last = p[p.length - 1];
    if (m.op === "set") parent[last] = m.value;
    else if (m.op === "delete") delete parent[last];
    else if (m.op === "wrap") parent[last] = [parent[last]];
    else if (parent && typeof parent === "object" && !Array.isArray(parent))
      Object.defineProperty(parent, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
  }
  return cur;
}

const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<"set" | "delete" | "wrap" | "key">("set", "delete", "wrap", "key"),
  value: anyJson,
  key: fc.oneof(fc.constantFrom("__proto__", "constructor", "metrics", "from", "page", "percentiles", "key", "timezone"), fc.string({ maxLength: 12 })),
});

const queryValue = fc.oneof(
  fc.constantFrom("1e300", "-1", "0", "", "abc", "50,abc", "2026-03-01", "hour", "csv", "1", "true", "%", "x".repeat(300)),
  fc.string({ maxLength: 20 }),
);
const queryKey = fc.oneof(
  fc.constantFrom(
    "limit",
    "offset",
    "metrics",
    "from",
    "to",
    "grain",
    "groupBy",
    "clock",
    "percentiles",
    "compare",
    "format",
    "explain",
    "key",
    "filter.channel",
    "filter.field.x",
  ),
  fc.string({ maxLength: 10 }),
);
const param = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("F1", "cu1", "zendesk", "hubspot", "chatwoot", "intercom", "freshdesk") },
  fc.constantFrom("F1", "cu1", "zendesk", "hubspot", "chatwoot", "intercom", "freshdesk", "acme", "..", "%2e%2e", "0123456789abcdef"),
  fc.string({ maxLength: 30 }),
);

/** One request: a route of the app (or a near-miss of one), a key or none, a generated or mutated body. */
export function requestArb(t: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const route = fc.constantFrom(...t.routes);
  const auth = fc.oneof(
    { weight: 8, arbitrary: fc.constant<string | null>(t.keys.admin) },
    { weight: 2, arbitrary: fc.constantFrom<string | null>(t.keys.read, t.keys.ingest) },
    { weight: 1, arbitrary: fc.constantFrom<string | null>("dp_wrong", "", null) },
  );
  return fc
    .record({
      route,
      methodSwap: fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT") }),
      params: fc.array(param, { minLength: 3, maxLength: 3 }),
      query: fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 }),
      auth,
      authStyle: fc.oneof({ weight: 12, arbitrary: fc.constant("bearer") }, { weight: 1, arbitrary: fc.constantFrom("query", "cookie", "basic") }),
      contentType: fc.constantFrom(
        "application/json",
        "application/json",
        "application/x-ndjson",
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data; boundary=x",
        "",
      ),
      bodyKind: fc.constantFrom("mutated", "mutated", "mutated", "sample", "json", "text", "deep", "gzip", "none"),
      sampleIndex: fc.nat(),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
      json: anyJson,
      text: fc.string({ unit: "binary", maxLength: 300 }),
      depth: fc.integer({ min: 50, max: 5000 }),
      forwardedProto: fc.boolean(),
      signature: fc.option(
        fc.record({
          name: fc.constantFrom("x-zendesk-webhook-signature", "x-hub-signature", "x-hubspot-signature", "x-hubspot-signature-v3", "x-deskpulse-signature"),
          value: fc.oneof(fc.constantFrom("sha1=00", "sha256=00", "AAAA", ""), fc.string({ maxLength: 80 })),
          ts: fc.option(fc.oneof(fc.constantFrom("2019-06-01T10:00:00Z", "0", "-1", "1e300", "NaN", String(Date.now())), fc.string({ maxLength: 30 }))),
        }),
        { freq: 4 },
      ),
    })
    .map((g) => {
      let i = 0;
      const path = g.route.path.replace(/:[A-Za-z]+/g, () => encodeURIComponent(g.params[i++] ?? "x"));
      const qs = new URLSearchParams();
      for (const [k, v] of g.query) qs.append(k, v);
      const headers: Record<string, string> = {};
      if (g.auth !== null) {
        if (g.authStyle === "bearer") headers.authorization = `Bearer ${g.auth}`;
        else if (g.authStyle === "basic") headers.authorization = `Basic ${Buffer.from(`x:${g.auth}`).toString("base64")}`;
        else if (g.authStyle === "cookie") headers.cookie = `deskpulse_session=${g.auth}; deskpulse_key=${g.auth}`;
        else qs.append("key", g.auth);
      }
      if (g.contentType) headers["content-type"] = g.contentType;
      if (g.forwardedProto) headers["x-forwarded-proto"] = "https";
      if (g.signature) {
        headers[g.signature.name] = g.signature.value;
        if (g.signature.ts !== null)
          for (const h of ["x-zendesk-webhook-signature-timestamp", "x-hubspot-request-timestamp", "x-deskpulse-timestamp"]) headers[h] = g.signature.ts;
      }
      const seeds = samples(g.route.path);
      const seed = seeds[g.sampleIndex % seeds.length];
      const method = g.methodSwap ?? g.route.method;
      let body: string | Uint8Array | undefined;
      if (method !== "GET" && method !== "HEAD") {
        if (g.bodyKind === "mutated") body = JSON.stringify(mutate(seed, g.mutations)) ?? "null";
        else if (g.bodyKind === "sample") body = JSON.stringify(seed);
        else if (g.bodyKind === "json") body = JSON.stringify(g.json) ?? "null";
        else if (g.bodyKind === "text") body = g.text;
        else if (g.bodyKind === "deep") body = `${"[".repeat(g.depth)}${"]".repeat(g.depth)}`;
        else if (g.bodyKind === "gzip") {
          body = gzipSync(JSON.stringify(seed));
          headers["content-encoding"] = "gzip";
        }
      }
      const q = qs.toString();
      return { method, path: q ? `${path}?${q}` : path, headers, body };
    });
}

/** Sends one request in process; returns the status (the body is read whole, as a client would). */
export async function send(t: FuzzTarget, r: FuzzRequest): Promise<{ status: number; body: string }> {
  const res = await t.app.request(`http://127.0.0.1${r.path}`, { method: r.method, headers: r.headers, body: r.body as BodyInit | undefined });
  return { status: res.status, body: await res.text() };
}
