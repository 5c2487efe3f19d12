import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runMetrics, wilson } from "../../src/metrics/compiler.js";
import { drilldown } from "../../src/metrics/drilldown.js";
import type { MetricRequest } from "../../src/metrics/request.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";

// Default settings: UTC, business hours Mon–Fri 09:00–17:00. 2026-03-02 is a Monday.
let n = 0;
const e = (type: string, ts: string, ticket_id: string | undefined, extra: Record<string, unknown> = {}) => ({ id: `e${n++}`, type, ts, ticket_id, ...extra });
const created = (t: string, ts: string, extra: Record<string, unknown> = {}) =>
  e("ticket.created", ts, t, { created_by: "customer", priority: "normal", ...extra });
const reply = (t: string, ts: string, agent = "a1") => e("message.created", ts, t, { author_type: "agent", agent_id: agent, public: true });
const status = (t: string, ts: string, s: string) => e("ticket.status_changed", ts, t, { status: s });

const EVENTS = [
  // T1: email, tag billing; reply after 1 h; solved → FCR
  created("T1", "2026-03-02T09:00:00Z", { channel: "email", tags: ["billing"] }),
  reply("T1", "2026-03-02T10:00:00Z"),
  status("T1", "2026-03-02T11:00:00Z", "solved"),
  // T2: chat, created Mon 16:00, first reply Tue 09:30; solved, reopened twice
  created("T2", "2026-03-02T16:00:00Z", { channel: "chat", priority: "high" }),
  reply("T2", "2026-03-03T09:30:00Z"),
  status("T2", "2026-03-03T10:00:00Z", "solved"),
  e("message.created", "2026-03-03T12:00:00Z", "T2", { author_type: "customer" }),
  status("T2", "2026-03-03T12:00:01Z", "open"),
  reply("T2", "2026-03-03T13:00:00Z"),
  status("T2", "2026-03-03T14:00:00Z", "solved"),
  status("T2", "2026-03-04T09:00:00Z", "open"),
  status("T2", "2026-03-04T10:00:00Z", "solved"),
  // T3: no reply yet — waiting, not zero
  created("T3", "2026-03-02T10:00:00Z", { channel: "email" }),
  // T4: phone, transferred from team A to team B, reply after 1 h
  created("T4", "2026-03-03T09:00:00Z", { channel: "phone", priority: "low" }),
  e("ticket.assigned", "2026-03-03T09:00:00Z", "T4", { team_id: "A", agent_id: "a1" }),
  e("ticket.assigned", "2026-03-03T09:30:00Z", "T4", { team_id: "B", agent_id: "b1" }),
  e("message.created", "2026-03-03T09:40:00Z", "T4", { author_type: "agent", agent_id: "b1", public: false }), // internal note
  reply("T4", "2026-03-03T10:00:00Z", "b1"),
  status("T4", "2026-03-03T10:30:00Z", "solved"),
  // T5: bot-only chat
  created("T5", "2026-03-04T09:00:00Z", { channel: "chat" }),
  e("message.created", "2026-03-04T09:00:05Z", "T5", { author_type: "bot" }),
  e("bot.resolved", "2026-03-04T09:01:00Z", "T5"),
  status("T5", "2026-03-04T09:01:30Z", "solved"),
  // surveys: CSAT 5/5, 3/5 and 9 on a 1–10 scale; NPS 10, 9, 7, 3
  e("survey.responded", "2026-03-05T09:00:00Z", "T1", { kind: "csat", score: 5, scale: 5 }),
  e("survey.responded", "2026-03-05T09:00:00Z", "T2", { kind: "csat", score: 3, scale: 5 }),
  e("survey.responded", "2026-03-05T09:00:00Z", "T4", { kind: "csat", score: 9, scale: 10 }),
  ...[10, 9, 7, 3].map((score, i) =>
    e("survey.responded", "2026-03-06T09:00:00Z", undefined, { kind: "nps", score, survey_id: `n${i}`, customer_id: `c${i}` }),
  ),
  // contacts: answered after 10 s in queue; abandoned in queue; answered after 30 s
  e("contact.offered", "2026-03-02T09:00:00Z", undefined, { contact_id: "C1", channel: "phone", step: "ivr" }),
  e("contact.offered", "2026-03-02T09:00:30Z", undefined, { contact_id: "C1", step: "queue" }),
  e("contact.answered", "2026-03-02T09:00:40Z", undefined, { contact_id: "C1", agent_id: "a1" }),
  e("contact.ended", "2026-03-02T09:06:40Z", undefined, { contact_id: "C1", talk_s: 300, hold_s: 60, acw_s: 40 }),
  e("contact.offered", "2026-03-02T10:00:00Z", undefined, { contact_id: "C2", channel: "phone", step: "queue" }),
  e("contact.ended", "2026-03-02T10:01:00Z", undefined, { contact_id: "C2", abandoned: true }),
  e("contact.offered", "2026-03-02T11:00:00Z", undefined, { contact_id: "C3", channel: "phone", step: "queue" }),
  e("contact.answered", "2026-03-02T11:00:30Z", undefined, { contact_id: "C3", agent_id: "a1" }),
  e("contact.ended", "2026-03-02T11:04:00Z", undefined, { contact_id: "C3", talk_s: 200, hold_s: 0, acw_s: 20 }),
];

describe("golden metrics (hand-computed)", () => {
  let rt: Runtime;
  const run = async (req: Partial<MetricRequest>) =>
    (await runMetrics(rt.store, "w", await rt.settings("w"), { metrics: [], from: "2026-03-01", to: "2026-04-01", ...req })).rows;
  const one = async (metric: string, req: Partial<MetricRequest> = {}) => {
    const rows = await run({ metrics: [metric], ...req });
    assert.equal(rows.length, 1, `${metric}: one row expected, got ${JSON.stringify(rows)}`);
    return rows[0];
  };
  before(async () => {
    rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
    // arrival order must not matter: send them reversed
    const r = await rt.ingest("w", [...EVENTS].reverse(), "test");
    assert.deepEqual(r.rejected, []);
  });
  after(() => rt.close());

  it("first response time: mean, median, p90, sample size; waiting tickets not counted", async () => {
    const r = await one("first_response_time");
    // T1 3600 s, T2 17.5 h = 63000 s, T4 3600 s; T3 (no reply) and T5 (bot only) are not counted
    assert.equal(r.count, 3);
    assert.equal(r.mean, 70200 / 3);
    assert.equal(r.median, 3600);
    // h = (3 − 1) × 0.9 = 1.8 → 3600 + 0.8 × (63000 − 3600) = 51120
    assert.ok(Math.abs((r.p90 as number) - 51120) < 1e-6);
  });

  it("first response time in business hours", async () => {
    // T2: Mon 16:00–17:00 (1 h) + Tue 09:00–09:30 (0.5 h) = 5400 s; T1 and T4: 3600 s → mean 4200
    const r = await one("first_response_time", { clock: "business" });
    assert.equal(r.mean, 4200);
  });

  it("groups by channel and filters by tag", async () => {
    const rows = await run({ metrics: ["first_response_time"], groupBy: ["channel"] });
    assert.deepEqual(
      rows.map((x) => [x.group?.channel, x.value]),
      [
        ["chat", 63000],
        ["email", 3600],
        ["phone", 3600],
      ],
    );
    const billing = await one("first_response_time", { filters: { tag: "billing" } });
    assert.equal(billing.value, 3600);
  });

  it("reopen rate, FCR, full resolution time, transfers, bot containment, volume", async () => {
    // resolved: T1, T2, T4, T5; reopened: T2 (twice) → 1/4
    assert.equal((await one("reopen_rate")).value, 25);
    // FCR: T1 (one reply) and T5 (solved at first touch) of 4 eligible; T2 reopened, T4 transferred
    const fcr = await one("first_contact_resolution");
    assert.deepEqual([fcr.numerator, fcr.denominator, fcr.value], [2, 4, 50]);
    // full: T1 7200, T2 Mon 16:00 → Wed 10:00 = 151200, T4 5400, T5 90 → mean 40972.5
    assert.equal((await one("resolution_time.full")).mean, 163890 / 4);
    // first: T2 first solved after 18 h = 64800
    assert.equal((await one("resolution_time.first", { filters: { channel: "chat" } })).median, (64800 + 90) / 2);
    assert.equal((await one("interactions_per_ticket.transfers")).value, 0.25);
    assert.equal((await one("bot_containment")).value, 100);
    assert.equal((await one("ticket_volume")).value, 5);
  });

  it("CSAT with a 1–10 answer, its Wilson interval, and NPS", async () => {
    const csat = await one("csat");
    // satisfied: 5/5 and 9/10 (top two boxes); not: 3/5
    assert.deepEqual([csat.numerator, csat.denominator], [2, 3]);
    assert.ok(Math.abs((csat.ci_low as number) - 20.77) < 0.01 && Math.abs((csat.ci_high as number) - 93.85) < 0.01);
    assert.deepEqual(wilson(0, 0), [0, 0]);
    const nps = await one("nps");
    // promoters 10, 9; passive 7; detractor 3 → (2 − 1) / 4 = 25
    assert.deepEqual([nps.value, nps.promoters, nps.passives, nps.detractors], [25, 2, 1, 1]);
  });

  it("handle time, service level and abandonment of calls", async () => {
    assert.equal((await one("average_handle_time")).mean, (400 + 220) / 2);
    const sl = await one("service_level");
    assert.deepEqual([sl.numerator, sl.denominator], [1, 3]); // only C1 answered within 20 s of queueing
    assert.equal((await one("service_level.asa")).mean, (10 + 30) / 2);
    const ab = await one("abandonment_rate");
    assert.deepEqual([ab.numerator, ab.denominator], [1, 3]);
    const byStep = await run({ metrics: ["abandonment_rate"], groupBy: ["step"] });
    assert.deepEqual(byStep.map((x) => x.group?.step).sort(), [null, "queue"]);
  });

  it("backlog at the end of Monday: T2 and T3 unresolved", async () => {
    const r = await run({ metrics: ["backlog"], from: "2026-03-02", to: "2026-03-04", grain: "day" });
    assert.deepEqual(
      r.map((x) => [x.bucket, x.value]),
      [
        ["2026-03-02T00:00:00.000Z", 2], // T2 (open since 16:00) and T3
        ["2026-03-03T00:00:00.000Z", 1], // T3; T2 solved at 14:00 Tue; T4 solved
      ],
    );
  });

  it("an empty period answers null with a count of 0", async () => {
    const r = await one("first_response_time", { from: "2026-04-01", to: "2026-05-01" });
    assert.deepEqual([r.value, r.count], [null, 0]);
  });

  it("compares with the previous period", async () => {
    // Tue 3 March: replies to T2 (63000 s) and T4 (3600 s); Mon 2 March: T1 (3600 s)
    const r = await one("first_response_time", { from: "2026-03-03", to: "2026-03-04", compare: true });
    assert.equal(r.value, 33300);
    assert.equal((r.previous as { value: number }).value, 3600);
  });

  it("drills down to exactly the tickets a number counted", async () => {
    const d = await drilldown(rt.store, "w", await rt.settings("w"), { metric: "first_contact_resolution", from: "2026-03-01", to: "2026-04-01" });
    assert.equal(d.total, 4);
    assert.deepEqual(
      d.items
        .filter((i) => i.in_numerator === 1)
        .map((i) => i.ticket_id)
        .sort(),
      ["T1", "T5"],
    );
    const nps = await drilldown(rt.store, "w", await rt.settings("w"), { metric: "nps", from: "2026-03-01", to: "2026-04-01" });
    assert.deepEqual(nps.items.map((i) => i.nps_group).sort(), ["detractor", "passive", "promoter", "promoter"]);
  });

  it("refuses unknown metrics and dimensions with a clear error", async () => {
    await assert.rejects(run({ metrics: ["happiness"] }), /unknown metric "happiness"/);
    await assert.rejects(run({ metrics: ["csat"], groupBy: ["colour"] }), /cannot group by "colour"/);
    await assert.rejects(run({ metrics: ["csat"], from: "2026-05-01", to: "2026-04-01" }), /must be after/);
  });
});
