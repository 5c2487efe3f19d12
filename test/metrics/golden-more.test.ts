import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runMetrics } from "../../src/metrics/compiler.js";
import type { MetricRequest } from "../../src/metrics/request.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";

// Customers, purchases, surveys of every kind, help-center sessions and a few tickets; March 2026
// (Mon–Fri 09:00–17:00 UTC business calendar). Expected values are worked out in each test.
let n = 0;
const e = (type: string, ts: string, extra: Record<string, unknown> = {}) => ({ id: `g${n++}`, type, ts, ...extra });
const EVENTS = [
  e("customer.created", "2026-01-10T00:00:00Z", { customer_id: "c1", segment: "smb" }),
  e("customer.created", "2026-02-01T00:00:00Z", { customer_id: "c2", segment: "enterprise" }),
  e("customer.created", "2026-03-15T00:00:00Z", { customer_id: "c3", segment: "smb" }),
  e("customer.created", "2025-12-01T00:00:00Z", { customer_id: "c4", segment: "smb" }),
  e("customer.churned", "2026-03-10T00:00:00Z", { customer_id: "c2" }),
  e("customer.churned", "2026-02-20T00:00:00Z", { customer_id: "c4" }),
  e("customer.purchase", "2026-03-05T00:00:00Z", { customer_id: "c1", amount: 99, ticket_id: "P1", agent_id: "a1" }),
  e("customer.purchase", "2026-03-20T00:00:00Z", { customer_id: "c1", amount: 20 }),
  e("customer.purchase", "2026-02-15T00:00:00Z", { customer_id: "c2", amount: 50 }),
  // P0 (February) only matters for month-over-month
  e("ticket.created", "2026-02-10T09:00:00Z", { ticket_id: "P0", customer_id: "c4", channel: "email", topic: "billing" }),
  e("ticket.status_changed", "2026-02-10T10:00:00Z", { ticket_id: "P0", status: "solved" }),
  // P1, P2 (c1, email, billing): P2 opened within 7 days of P1's solve → P1 is a repeat contact
  e("ticket.created", "2026-03-02T09:00:00Z", { ticket_id: "P1", customer_id: "c1", channel: "email", topic: "billing" }),
  e("message.created", "2026-03-02T09:30:00Z", { ticket_id: "P1", author_type: "agent", agent_id: "a1" }),
  e("ticket.status_changed", "2026-03-02T10:00:00Z", { ticket_id: "P1", status: "solved" }),
  e("ticket.created", "2026-03-03T09:00:00Z", { ticket_id: "P2", customer_id: "c1", channel: "email", topic: "billing" }),
  e("message.created", "2026-03-03T14:00:00Z", { ticket_id: "P2", author_type: "agent", agent_id: "a1" }),
  e("ticket.status_changed", "2026-03-03T15:00:00Z", { ticket_id: "P2", status: "solved" }),
  // P3 (c2, chat, login): answered in 30 s
  e("ticket.created", "2026-03-16T09:00:00Z", { ticket_id: "P3", customer_id: "c2", channel: "chat", topic: "login" }),
  e("message.created", "2026-03-16T09:00:30Z", { ticket_id: "P3", author_type: "agent", agent_id: "a2" }),
  e("ticket.status_changed", "2026-03-16T09:10:00Z", { ticket_id: "P3", status: "solved" }),
  // surveys
  e("survey.responded", "2026-03-04T10:00:00Z", { kind: "ces", score: 6, scale: 7, survey_id: "ces1" }),
  e("survey.responded", "2026-03-04T11:00:00Z", { kind: "ces", score: 3, scale: 7, survey_id: "ces2" }),
  e("survey.responded", "2026-03-05T10:00:00Z", { kind: "cx", survey_id: "cx1", question: "ease", score: 4, scale: 5 }),
  e("survey.responded", "2026-03-05T10:00:01Z", { kind: "cx", survey_id: "cx1", question: "speed", score: 2, scale: 5 }),
  e("survey.responded", "2026-03-06T10:00:00Z", { kind: "sps", survey_id: "s1", referred: true, referral_converted: true }),
  e("survey.responded", "2026-03-06T10:00:00Z", { kind: "sps", survey_id: "s2", referred: true, referral_converted: false }),
  e("survey.responded", "2026-03-06T10:00:00Z", { kind: "sps", survey_id: "s3", referred: false }),
  ...[9, 10, 5, 8].map((score, i) => e("survey.responded", "2026-03-07T10:00:00Z", { kind: "enps", score, agent_id: `a${i}`, survey_id: `en${i}` })),
  // help center: h1 followed by P1 within 24 h; h2 and h3 not followed by any ticket
  e("helpcenter.search", "2026-03-02T08:00:00Z", { session_id: "h1", customer_id: "c1", query: "invoice" }),
  e("helpcenter.view", "2026-03-02T08:01:00Z", { session_id: "h1", customer_id: "c1", article_id: "k1" }),
  e("helpcenter.search", "2026-03-17T10:00:00Z", { session_id: "h2", customer_id: "c3", query: "login" }),
  e("helpcenter.search", "2026-03-17T10:01:00Z", { session_id: "h2", customer_id: "c3", query: "password" }),
  e("helpcenter.view", "2026-03-18T10:00:00Z", { session_id: "h3", article_id: "k2" }),
];

describe("golden metrics, part two (hand-computed)", () => {
  let rt: Runtime;
  const one = async (metric: string, req: Partial<MetricRequest> = {}) => {
    const { rows } = await runMetrics(rt.store, "w", await rt.settings("w"), { metrics: [metric], from: "2026-03-01", to: "2026-04-01", ...req });
    return rows;
  };
  const value = async (metric: string, req: Partial<MetricRequest> = {}) => {
    const rows = await one(metric, req);
    assert.equal(rows.length, 1, JSON.stringify(rows));
    return rows[0];
  };
  before(async () => {
    rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
    await rt.saveSettings("w", { cx_weights: { ease: 3 } });
    // customers last: tickets must pick up their segment whatever the order
    const r = await rt.ingest("w", [...EVENTS.filter((x) => !x.type.startsWith("customer.")), ...EVENTS.filter((x) => x.type.startsWith("customer."))], "test");
    assert.deepEqual(r.rejected, []);
  });
  after(() => rt.close());

  it("retention, churn and repeat purchases", async () => {
    // at start: c1, c2 (c4 left in February) = 2; at end: c1, c3 = 2; new: c3 → (2 − 1) ÷ 2
    const ret = await value("customer_retention_rate");
    assert.deepEqual([ret.value, ret.at_start, ret.at_end, ret.new], [50, 2, 2, 1]);
    // c2 churned on 10 March of the 2 at start
    const churn = await value("customer_churn_rate");
    assert.deepEqual([churn.value, churn.net_change], [50, 0]);
    // c1 bought twice, c2 once
    assert.equal((await value("repeat_purchase_rate")).value, 50);
    // the purchase attributed to P1 ÷ 3 tickets solved in March
    const up = await value("upsell_cross_sell");
    assert.deepEqual([up.numerator, up.denominator], [1, 3]);
  });

  it("next issue avoidance, channel expectations, response time", async () => {
    // P1 is followed by P2 within 7 days; P2 and P3 are not → 2 of 3
    const nia = await value("next_issue_avoidance");
    assert.deepEqual([nia.numerator, nia.denominator], [2, 3]);
    // email target 4 h: P1 30 min ✓, P2 5 h ✗; chat 45 s: P3 30 s ✓
    const ce = await value("channel_expectations");
    assert.deepEqual([ce.numerator, ce.denominator], [2, 3]);
    // responses 1800, 18000 and 30 s
    assert.equal((await value("average_response_time")).mean, (1800 + 18000 + 30) / 3);
  });

  it("volume: per working day, per day, shares, topics month over month", async () => {
    // March 2026 has 22 weekdays
    const solved = await value("tickets_solved");
    assert.deepEqual([solved.numerator, solved.denominator], [3, 22]);
    assert.equal((await value("average_ticket_count")).value, 3 / 31);
    const share = await one("preferred_channel");
    assert.deepEqual(
      share.map((r) => [r.group?.channel, Math.round((r.value as number) * 100) / 100]),
      [
        ["chat", 33.33],
        ["email", 66.67],
      ],
    );
    const topics = await one("cases_by_topic", { from: "2026-02-01", grain: "month" });
    const billingMarch = topics.find((r) => r.group?.topic === "billing" && r.bucket === "2026-03-01T00:00:00.000Z")!;
    // 1 in February, 2 in March
    assert.deepEqual([billingMarch.value, billingMarch.change_pct], [2, 100]);
    // topics above the overall resolution time: March billing P1 3600 s and P2 (09:00 → 15:00) 21600 s → 12600;
    // login P3 600 s; overall (3600 + 21600 + 600) ÷ 3 = 8600 → billing above, login not; February: billing alone, equal
    const loginMarch = topics.find((r) => r.group?.topic === "login" && r.bucket === "2026-03-01T00:00:00.000Z")!;
    const billingFeb = topics.find((r) => r.group?.topic === "billing" && r.bucket === "2026-02-01T00:00:00.000Z")!;
    assert.deepEqual([billingMarch.resolution_mean_s, billingMarch.resolution_overall_mean_s, billingMarch.resolution_above_average], [12600, 8600, true]);
    assert.deepEqual([loginMarch.resolution_mean_s, loginMarch.resolution_above_average], [600, false]);
    assert.deepEqual([billingFeb.resolution_mean_s, billingFeb.resolution_above_average], [3600, false]);
  });

  it("CES, CX index with weights, social promoter score, eNPS", async () => {
    assert.equal((await value("ces")).mean, 4.5);
    // ease 4/5 → 0.75, speed 2/5 → 0.25; weights 3 and 1 → (3 × 75 + 25) ÷ 4
    assert.equal((await value("cx_score")).value, 62.5);
    assert.deepEqual([(await value("social_promoter_score")).numerator, (await value("social_promoter_score")).denominator], [2, 3]);
    assert.equal((await value("social_promoter_score.conversion")).value, 50);
    // 9, 10 promoters; 5 detractor; 8 passive
    assert.equal((await value("employee_experience")).value, 25);
  });

  it("self-service usage and case deflection", async () => {
    const use = await value("self_service_usage");
    assert.deepEqual([use.value, use.searches, use.views, use.unique_visitors], [3, 3, 2, 2]);
    const defl = await value("case_deflection");
    assert.deepEqual([defl.numerator, defl.denominator], [2, 3]);
  });

  it("segments reach ticket metrics even when customers arrive after their tickets", async () => {
    const rows = await one("ticket_volume", { groupBy: ["segment"] });
    assert.deepEqual(
      rows.map((r) => [r.group?.segment, r.value]),
      [
        ["enterprise", 1],
        ["smb", 2],
      ],
    );
  });
});
