import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { defaultSettings, type WorkspaceSettings } from "../../src/config/settings.js";
import { loadSettings, settingsRow } from "../../src/config/settings-store.js";
import { Runtime } from "../../src/runtime.js";
import { createApp } from "../../src/server/app.js";
import { createKey } from "../../src/server/keys.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { table } from "../../src/store/schema.js";

const KEY = "dp_poison_admin";
const T0 = "2026-03-02T09:00:00Z";
// 3 tickets: T1 replied and solved, T2 replied, T3 untouched
const HISTORY = [
  { id: "c1", type: "ticket.created", ts: T0, ticket_id: "T1", channel: "email", priority: "high" },
  { id: "r1", type: "message.created", ts: "2026-03-02T10:00:00Z", ticket_id: "T1", author_type: "agent", agent_id: "ana" },
  { id: "s1", type: "ticket.status_changed", ts: "2026-03-02T11:00:00Z", ticket_id: "T1", status: "solved" },
  { id: "c2", type: "ticket.created", ts: T0, ticket_id: "T2", channel: "chat", tags: ["billing"] },
  { id: "r2", type: "message.created", ts: "2026-03-02T09:30:00Z", ticket_id: "T2", author_type: "agent", agent_id: "bo" },
  { id: "c3", type: "ticket.created", ts: T0, ticket_id: "T3", channel: "chat" },
];

describe("poison is refused before it is stored, and the facts stay", () => {
  let rt: Runtime;
  let app: ReturnType<typeof createApp>;
  const call = (path: string, init: RequestInit = {}) =>
    app.request(path, { ...init, headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...(init.headers ?? {}) } });
  const volume = async () => {
    const r = await call("/api/v1/metrics", { method: "POST", body: JSON.stringify({ metrics: ["ticket_volume"], from: "2026-03-01", to: "2026-04-01" }) });
    assert.equal(r.status, 200);
    return ((await r.json()) as { rows: { value: number | null }[] }).rows[0].value;
  };
  const intact = async () => {
    assert.equal(await volume(), 3, "ticket_volume is still 3");
    for (const t of ["T1", "T2", "T3"]) assert.equal((await call(`/api/v1/tickets/${t}`)).status, 200, `ticket ${t} is readable`);
    const [tf] = await rt.store.query<{ frt: number }>("SELECT frt_s AS frt FROM ticket_facts WHERE ticket_id = 'T1'");
    assert.equal(tf.frt, 3600, "T1's first reply came one hour after creation");
  };

  before(async () => {
    rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
    await createKey(rt.store, "default", ["admin"], "test", KEY);
    app = createApp(rt, { webRoot: "/nonexistent" });
    const r = await call("/api/v1/events?wait=projected", { method: "POST", body: JSON.stringify(HISTORY) });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { stored: number; appended_through: number; projected_through: number };
    assert.equal(body.stored, 6);
    // the answer says how far projection got: it waited, so the whole batch (positions 1…6)
    assert.equal(body.appended_through, 6);
    assert.equal(body.projected_through, 6);
    await intact();
  });
  after(() => rt.close());

  for (const ts of ["9999-12-31T23:59:59Z", 8.64e15, 1e16, -1, "1969-12-31T23:59:59Z"])
    it(`refuses ts ${JSON.stringify(ts)} with a 4xx naming the field, stores nothing`, async () => {
      const r = await call("/api/v1/events", { method: "POST", body: JSON.stringify([{ id: `p-${ts}`, type: "ticket.created", ts, ticket_id: "P1" }]) });
      assert.equal(r.status, 422);
      const body = (await r.json()) as { stored: number; rejected: { field: string; reason: string }[] };
      assert.equal(body.stored, 0);
      assert.equal(body.rejected[0].field, "ts");
      assert.match(body.rejected[0].reason, /1970-01-01/);
      assert.equal(await rt.store.logEnd("default"), 6, "the log did not grow");
      await intact();
    });

  for (const [label, patch] of [
    ["a calendar without opening hours", { calendar: { timezone: "UTC", hours: {} } }],
    ["an SLA first-reply target of 1e308 s", { sla_policies: [{ name: "huge", first_reply_s: 1e308, clock: "business" }] }],
    ["fcr_ineligible_tags given as an object", { fcr_ineligible_tags: { escalated: true } }],
  ] as const)
    it(`refuses settings with ${label} (4xx, not saved), keeps the facts`, async () => {
      const before = await (await call("/api/v1/settings")).text();
      const r = await call("/api/v1/settings", { method: "PATCH", body: JSON.stringify(patch) });
      assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
      const err = (await r.json()) as { error: { code: string; message: string } };
      assert.ok(err.error.code && err.error.message);
      assert.equal(await (await call("/api/v1/settings")).text(), before, "settings unchanged");
      await intact();
      // and later work is unaffected: a rebuild and a new batch go through
      await rt.rebuild("default");
      await intact();
    });

  it("reports a refused rebuild in the health status, and a good change goes through", async () => {
    // The rebuild that guards a settings change, tried directly (whatever the settings validation
    // in front of it refuses first): settings whose facts cannot be stored are refused with it.
    const current = await rt.settings("default");
    const candidate = { ...current, sla_policies: [{ name: "huge", first_reply_s: 1e308, clock: "calendar" as const }] };
    const r = await rt.follower
      .rebuild("default", {
        settings: candidate,
        strict: true,
        alsoCommit: [{ table: table("settings"), keyColumn: "name", keys: ["workspace"], rows: [settingsRow("default", candidate)] }],
      })
      .then(
        () => "swapped",
        (e: { code?: string; status?: number }) => `${e.code} ${e.status}`,
      );
    assert.equal(r, "settings_refused 422");
    assert.deepEqual((await loadSettings(rt.store, "default")).sla_policies, current.sla_policies, "the stored settings did not change");
    const h = (await (await call("/api/v1/health")).json()) as { pipeline: { last_rebuild: { ok: boolean; message: string }; lag_events: number } };
    assert.equal(h.pipeline.last_rebuild.ok, false);
    assert.match(h.pipeline.last_rebuild.message, /not applied/);
    await intact();
    const ok = await call("/api/v1/settings", {
      method: "PATCH",
      body: JSON.stringify({ sla_policies: [{ name: "all", first_reply_s: 1800, clock: "calendar" }] }),
    });
    assert.equal(ok.status, 200);
    const [tf] = await rt.store.query<{ met: boolean }>("SELECT sla_frt_met AS met FROM ticket_facts WHERE ticket_id = 'T1'");
    assert.equal(tf.met, false, "T1 replied after 3,600 s against a new 1,800 s target");
    assert.equal(((await (await call("/api/v1/health")).json()) as { pipeline: { last_rebuild: { ok: boolean } } }).pipeline.last_rebuild.ok, true);
  });

  it("quarantines an event the projector cannot fold, lists it with the rejected records, projects the rest", async () => {
    // A fold that throws: team "night" has a calendar with no hours, so a business-clock SLA
    // deadline of its tickets never comes (Infinity). The settings schema refuses such a calendar
    // and loading drops one stored by an older version, so the settings are handed to the
    // projector past both, as a stand-in for any fold failure the checks do not foresee.
    const unchecked: WorkspaceSettings = {
      ...defaultSettings(),
      team_calendars: { night: { timezone: "UTC", hours: {} } },
      sla_policies: [{ name: "b", first_reply_s: 3600, clock: "business" }],
    };
    class UncheckedSettings extends Runtime {
      override settings(): Promise<WorkspaceSettings> {
        return Promise.resolve(unchecked);
      }
    }
    const fresh = new UncheckedSettings(rt.store);
    const r = await fresh.ingest(
      "default",
      [
        { id: "n1", type: "ticket.created", ts: T0, ticket_id: "N1", team_id: "night" },
        { id: "c4", type: "ticket.created", ts: T0, ticket_id: "T4", channel: "chat" },
      ],
      "test",
    );
    assert.equal(r.stored, 2, "both are stored: the log is the truth");
    assert.equal(r.projected_through, 8);
    const rows = await rt.store.query<{ ticket_id: string }>("SELECT ticket_id FROM ticket_facts ORDER BY ticket_id");
    assert.deepEqual(
      rows.map((x) => x.ticket_id),
      ["T1", "T2", "T3", "T4"],
    );
    const rej = (await (await call("/api/v1/rejected")).json()) as { items: { origin: string; reason: string; record: string }[] };
    const q = rej.items.filter((x) => x.origin === "projector");
    assert.equal(q.length, 1);
    assert.equal(JSON.parse(q[0].record).id, "n1");
    assert.match(q[0].reason, /ticket:N1.*sla_frt_due_at came out as Infinity/);
    // a rebuild quarantines the same event, once
    await fresh.rebuild("default");
    assert.equal((await rt.store.query("SELECT * FROM rejected WHERE origin = 'projector'")).length, 1);
    assert.equal((await rt.store.query("SELECT * FROM ticket_facts")).length, 4);
  });
});
