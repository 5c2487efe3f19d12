import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { agentsNeeded, erlangC, staffingFigures, staffingPlan } from "../../src/metrics/staffing.js";
import { Runtime } from "../../src/runtime.js";
import { api, startTestServer } from "../helpers/server.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";

let n = 0;
const call = (at: string) => {
  const id = `K${n}`;
  const t = Date.parse(at);
  const iso = (ms: number) => new Date(ms).toISOString();
  return [
    { id: `s${n++}`, type: "contact.offered", ts: iso(t), contact_id: id, channel: "phone", step: "queue" },
    { id: `s${n++}`, type: "contact.answered", ts: iso(t + 10_000), contact_id: id, agent_id: "a1" },
    { id: `s${n++}`, type: "contact.ended", ts: iso(t + 310_000), contact_id: id, talk_s: 240, hold_s: 0, acw_s: 60 },
  ];
};
const close = (a: number, b: number, eps: number) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

describe("staffing by Erlang C", () => {
  it("the textbook case: 100 calls in 30 min, 180 s handle time, 80% in 20 s → 14 agents (P(wait) also checked by the factorial formula)", () => {
    // traffic A = 100 × 180 ÷ 1800 = 10 Erlangs
    // one agent: C(1, A) = A (for A < 1), e.g. 0.5
    assert.equal(erlangC(1, 0.5), 0.5);
    // 13 agents: P(wait) ≈ 0.2853 → SL = 1 − 0.2853 × e^(−3 × 20 / 180) ≈ 79.6% (< 80)
    close(erlangC(13, 10), 0.2853, 5e-4);
    close(staffingFigures(13, 10, 180, 20).service_level, 79.56, 0.05);
    // 14 agents: P(wait) ≈ 0.17412 → SL = 1 − 0.17412 × e^(−4 × 20 / 180) = 1 − 0.17412 × 0.64118 ≈ 88.84%; ASA = 0.17412 × 180 ÷ 4 ≈ 7.84 s
    const n = agentsNeeded(100, 1800, 180, 80, 20);
    assert.equal(n.agents, 14);
    assert.equal(n.erlangs, 10);
    close(n.service_level, 88.84, 0.01);
    close(n.asa_s, 7.84, 0.01);
    close(n.occupancy, (10 / 14) * 100, 1e-9);
    // an occupancy ceiling of 70% needs ⌈10 ÷ 0.7⌉ = 15
    assert.equal(agentsNeeded(100, 1800, 180, 80, 20, 70).agents, 15);
    // no traffic, no agents; agents ≤ traffic always wait
    assert.equal(agentsNeeded(0, 3600, 180, 80, 20).agents, 0);
    assert.equal(erlangC(10, 10), 1);
  });

  describe("a weekday × hour profile from offered contacts", () => {
    let rt: Runtime;
    before(async () => {
      rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
      // Mondays 09:00–10:00 UTC: 3 calls in the first week, 1 in the second
      const r = await rt.ingest(
        "w",
        [...call("2026-03-02T09:05:00Z"), ...call("2026-03-02T09:20:00Z"), ...call("2026-03-02T09:40:00Z"), ...call("2026-03-09T09:10:00Z")],
        "test",
      );
      assert.deepEqual(r.rejected, []);
    });
    after(() => rt.close());

    it("averages each hour over the weeks and sizes it", async () => {
      const plan = await staffingPlan(rt.store, "w", await rt.settings("w"), { from: "2026-03-02", to: "2026-03-16", target: 80 });
      // AHT: every call 240 + 0 + 60 = 300 s
      assert.equal(plan.aht_s, 300);
      // 14 days × 24 h = 336 hours in 168 weekday-hour slots, each seen twice
      assert.equal(plan.profile.length, 168);
      const mon9 = plan.profile.find((p) => p.weekday === 1 && p.hour === 9)!;
      // (3 + 1) ÷ 2 = 2 calls an hour → A = 2 × 300 ÷ 3600 = 1/6 Erlang; one agent: C = A,
      // SL = 1 − (1/6) × e^(−(5/6) × 20 / 300) = 1 − 0.16667 × 0.94596 = 84.23% ≥ 80 → 1 agent
      assert.deepEqual([mon9.hours_seen, mon9.contacts, mon9.agents], [2, 2, 1]);
      close(mon9.service_level, 84.23, 0.01);
      assert.equal(plan.profile.filter((p) => p.agents > 0).length, 1);
    });
  });

  it("over HTTP: POST /api/v1/metrics/staffing, and a clear error without handle times", async () => {
    const srv = await startTestServer();
    try {
      const ev = await api(srv, srv.adminKey, "/api/v1/events?wait=projected", {
        method: "POST",
        body: JSON.stringify([...call("2026-03-02T09:05:00Z"), ...call("2026-03-02T09:20:00Z")]),
      });
      assert.equal(ev.status, 200);
      const res = await api(srv, srv.adminKey, "/api/v1/metrics/staffing", { method: "POST", body: JSON.stringify({ from: "2026-03-02", to: "2026-03-03" }) });
      const plan = (await res.json()) as { aht_s: number; target: number; profile: { hour: number; contacts: number; agents: number }[] };
      // one Monday: 2 calls of 300 s in the 09:00 hour → A = 1/6, one agent; 24 hourly slots; default target 80%
      assert.deepEqual([plan.aht_s, plan.target, plan.profile.length], [300, 80, 24]);
      assert.deepEqual(
        plan.profile.filter((p) => p.agents > 0).map((p) => [p.hour, p.contacts, p.agents]),
        [[9, 2, 1]],
      );
      const none = await api(srv, srv.adminKey, "/api/v1/metrics/staffing", { method: "POST", body: JSON.stringify({ from: "2026-04-01", to: "2026-04-02" }) });
      assert.equal(none.status, 400);
      assert.equal(((await none.json()) as { error: { code: string } }).error.code, "no_handle_time");
    } finally {
      await srv.stop();
    }
  });
});
