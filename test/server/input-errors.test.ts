import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifySignature } from "../../src/ingest/webhooks.js";
import { api, startTestServer, type TestServer } from "../helpers/server.js";

type Err = { error: { code: string; message: string; details?: { path?: string } } };

/** Every finding that used to answer 500 now answers a 4xx in the one error shape, naming the field. */
describe("input errors are 4xx, never 5xx", () => {
  let s: TestServer & { outputs: string[] };
  let readKey = "";
  before(async () => {
    s = await startTestServer({ before: [["keys", "create", "--scopes", "read"]] });
    readKey = s.outputs[0].trim();
    await api(s, s.adminKey, "/api/v1/events", {
      method: "POST",
      body: JSON.stringify([{ id: "c1", type: "ticket.created", ts: "2026-03-02T09:00:00Z", ticket_id: "T1", channel: "email" }]),
    });
  });
  after(() => s.stop());

  async function expectError(r: Response, status: number, code: string, path?: string): Promise<Err> {
    const j = (await r.json()) as Err;
    assert.equal(r.status, status, JSON.stringify(j));
    assert.equal(j.error.code, code);
    assert.ok(j.error.message.length > 10);
    if (path !== undefined) assert.equal(j.error.details?.path, path, j.error.message);
    return j;
  }

  it("/session with null, malformed JSON or a non-text key", async () => {
    const post = (body: string) => fetch(`${s.url}/api/v1/session`, { method: "POST", body, headers: { "content-type": "application/json" } });
    await expectError(await post("null"), 400, "invalid_request");
    await expectError(await post("{not json"), 400, "invalid_json");
    await expectError(await post('{"key":5}'), 400, "invalid_request", "key");
    await expectError(await post('{"key":"nope"}'), 401, "invalid_key");
  });

  it('"percentiles":"50", a NaN percentile and a metrics body that is not an object', async () => {
    const base = { metrics: ["first_response_time"], from: "2026-03-01", to: "2026-04-01" };
    const post = (b: unknown) => api(s, readKey, "/api/v1/metrics", { method: "POST", body: JSON.stringify(b) });
    const j = await expectError(await post({ ...base, percentiles: "50" }), 400, "invalid_request", "percentiles");
    assert.match(j.error.message, /^percentiles: .*Array/);
    await expectError(await post({ ...base, percentiles: [150] }), 400, "invalid_request", "percentiles.0");
    await expectError(await post(null), 400, "invalid_request");
    await expectError(await post([1, 2]), 400, "invalid_request");
    await expectError(
      await api(s, readKey, "/api/v1/metrics?metrics=csat&from=2026-03-01&to=2026-04-01&percentiles=abc"),
      400,
      "invalid_request",
      "percentiles.0",
    );
    await expectError(
      await api(s, readKey, "/api/v1/metrics?metrics=csat&from=2026-03-01&to=2026-04-01&filter.__proto__=x"),
      400,
      "invalid_request",
      "filters.__proto__",
    );
    // the right request still answers
    assert.equal((await post({ ...base, percentiles: [50] })).status, 200);
  });

  it("drill-down page 1e300 and /rejected?offset=1e300", async () => {
    const dd = (b: Record<string, unknown>) =>
      api(s, readKey, "/api/v1/metrics/drilldown", {
        method: "POST",
        body: JSON.stringify({ metric: "first_response_time", from: "2026-03-01", to: "2026-04-01", ...b }),
      });
    await expectError(await dd({ page: 1e300 }), 400, "invalid_request", "page");
    await expectError(await dd({ page: 1.5 }), 400, "invalid_request", "page");
    await expectError(await dd({ pageSize: -1 }), 400, "invalid_request", "pageSize");
    await expectError(await dd({ bucket: "yesterday", grain: "day" }), 400, "invalid_request", "bucket");
    assert.equal((await dd({ page: 0 })).status, 200);
    await expectError(await api(s, readKey, "/api/v1/rejected?offset=1e300"), 400, "invalid_request", "offset");
    await expectError(await api(s, readKey, "/api/v1/rejected?limit=-5"), 400, "invalid_request", "limit");
    assert.equal((await api(s, readKey, "/api/v1/rejected?offset=10&limit=5")).status, 200);
  });

  it("a request whose buckets × metrics × groups is too costly is refused before it runs", async () => {
    const r = await api(s, readKey, "/api/v1/metrics", {
      method: "POST",
      body: JSON.stringify({
        metrics: ["customer_retention_rate", "csat"],
        from: "2016-01-01",
        to: "2026-01-01",
        grain: "hour",
        groupBy: ["channel", "agent"],
      }),
    });
    const j = await expectError(r, 400, "request_too_costly");
    // 87,673 hourly buckets (3,653 days × 24, + 1) × 2 metrics × 20² estimated groups
    assert.match(j.error.message, /70,138,400 values/);
    // the Persian month is a grain like the others here: 127 buckets (3,653 days ÷ 29, + 1) × 1 metric × 20³ groups
    const persian = await api(s, readKey, "/api/v1/metrics", {
      method: "POST",
      body: JSON.stringify({ metrics: ["ticket_volume"], from: "2016-01-01", to: "2026-01-01", grain: "persian_month", groupBy: ["channel", "agent", "team"] }),
    });
    assert.match((await expectError(persian, 400, "request_too_costly")).error.message, /1,016,000 values \(127 persian_month buckets/);
  });

  it("settings that would break a rebuild or every later metric are refused with the field's path", async () => {
    const before = await (await api(s, s.adminKey, "/api/v1/settings")).json();
    const cases: [Record<string, unknown>, string][] = [
      [{ timezone: "" }, "timezone"],
      [{ timezone: "Mars/Olympus_Mons" }, "timezone"],
      [{ service_level_threshold_s: "20'--" }, "service_level_threshold_s"],
      [{ service_level_threshold_s: 1e308 }, "service_level_threshold_s"],
      [{ week_start: "monday" }, "week_start"],
      [{ cx_weights: { q1: { nested: 1 } } }, "cx_weights.q1"],
      [{ cx_weights: [1, 2] }, "cx_weights"],
      [JSON.parse('{"targets":{"__proto__":{"polluted":1}}}'), "targets.__proto__"],
      [{ targets: { constructor: 5 } }, "targets.constructor"],
      [{ targets: { cast: 90 } }, "targets.cast"],
      [{ sla_policies: [{ name: "x", clock: "calendar", first_reply_s: 1e308 }] }, "sla_policies.0.first_reply_s"],
      [{ sla_policies: [{ name: "x", clock: "sometimes" }] }, "sla_policies.0.clock"],
      [{ calendar: { timezone: "UTC", hours: {} } }, "calendar"],
      [{ calendar: { timezone: "UTC", hours: { mon: [] } } }, "calendar"],
      [{ calendar: { timezone: "UTC", hours: { monday: [["09:00", "17:00"]] } } }, "calendar.hours.monday"],
      [{ team_calendars: { t1: { timezone: "UTC", hours: { mon: [["25:00", "26:00"]] } } } }, "team_calendars.t1.hours.mon.0.0"],
      [{ webhook_secrets: { zendesk: 12345678 } }, "webhook_secrets.zendesk"],
      [{ webhook_secrets: { acme: "0123456789" } }, "webhook_secrets.acme"],
      [{ colour: "blue" }, "colour"],
    ];
    for (const [patch, path] of cases) {
      const r = await api(s, s.adminKey, "/api/v1/settings", { method: "PATCH", body: JSON.stringify(patch) });
      await expectError(r, 400, "invalid_settings", path).catch((e) => assert.fail(`${JSON.stringify(patch)}: ${e.message}`));
    }
    for (const body of ["null", "[]", '"x"'])
      await expectError(await api(s, s.adminKey, "/api/v1/settings", { method: "PATCH", body }), 400, "invalid_settings");
    // nothing was saved, and metrics still answer
    assert.deepEqual(await (await api(s, s.adminKey, "/api/v1/settings")).json(), before);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const m = await api(s, readKey, "/api/v1/metrics", {
      method: "POST",
      body: JSON.stringify({ metrics: ["backlog"], from: "2026-03-01", to: "2026-04-01", grain: "week" }),
    });
    assert.equal(m.status, 200);
  });

  it("takes the documented forms: week_start sat, an IANA zone, a calendar with hours", async () => {
    const ok = await api(s, s.adminKey, "/api/v1/settings", {
      method: "PATCH",
      body: JSON.stringify({
        week_start: "sat",
        timezone: "Asia/Tehran",
        calendar: { timezone: "Asia/Tehran", hours: { sat: [["08:00", "16:00"]] }, holidays: ["2026-03-20"] },
      }),
    });
    assert.equal(ok.status, 200);
    const got = (await ok.json()) as { week_start: string; timezone: string };
    assert.deepEqual([got.week_start, got.timezone], ["sat", "Asia/Tehran"]);
  });

  it("a webhook secret stored as a number (by an older version) is a 409 that says what to do, not a 500", () => {
    assert.throws(
      () => verifySignature("zendesk", new Headers(), "{}", { secret: 12345, toleranceS: 300 }),
      (e: Error & { status?: number; code?: string }) => e.status === 409 && e.code === "invalid_secret" && /PATCH \/api\/v1\/settings/.test(e.message),
    );
  });
});
