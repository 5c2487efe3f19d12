import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseRule } from "../../src/alerts/rules.js";
import { evaluateTicketRule } from "../../src/alerts/ticket-conditions.js";
import { defaultSettings } from "../../src/config/settings.js";
import type { Row } from "../../src/store/schema.js";

const MIN = 60_000;
const T = Date.UTC(2026, 2, 2, 9);
const settings = {
  ...defaultSettings(),
  sla_policies: [{ name: "p", first_reply_s: 3600, next_reply_s: 1800, resolution_s: 4 * 3600, clock: "calendar" as const }],
};
const base = { sla_policy: "p", status: "open", is_open: true, channel: "email", priority: "normal", sla_nrt_target_s: 1800 };
const rows: Row[] = [
  // A: waiting for its first reply, due at T + 60 min; resolution due T + 4 h
  { ...base, ticket_id: "A", created_at: T, frt_start_at: T, team_id: "billing", agent_id: "a1", sla_frt_due_at: T + 60 * MIN, sla_res_due_at: T + 240 * MIN },
  // B: replied at T + 10, the customer wrote again at T + 20: next reply due T + 50
  {
    ...base,
    ticket_id: "B",
    created_at: T,
    frt_start_at: T,
    team_id: "billing",
    agent_id: "a2",
    first_reply_at: T + 10 * MIN,
    last_agent_reply_at: T + 10 * MIN,
    last_customer_message_at: T + 20 * MIN,
    sla_frt_due_at: T + 60 * MIN,
    sla_res_due_at: T + 240 * MIN,
  },
  // C: pending — the SLA clock is stopped
  { ...base, ticket_id: "C", created_at: T, status: "pending", team_id: "sales", agent_id: "a3", sla_frt_due_at: T + 30 * MIN },
  // D: unassigned for two hours already
  { ...base, ticket_id: "D", created_at: T - 120 * MIN, frt_start_at: T - 120 * MIN, team_id: "sales", agent_id: null, sla_frt_due_at: T - 60 * MIN },
];
const rule = (condition: unknown, filters = {}) =>
  parseRule({ name: "r", condition, filters, destinations: [{ type: "webhook", url: "http://127.0.0.1:9/h", secret: "12345678" }] });
const ids = (e: ReturnType<typeof evaluateTicketRule>) => e.findings.map((f) => [f.key, f.value]);

describe("ticket-level conditions (hand-computed)", () => {
  it("sla_due first_reply 30: A fires at T + 30 min, not a millisecond before; C is paused", () => {
    const r = rule({ kind: "sla_due", target: "first_reply", within_minutes: 30 });
    const before = evaluateTicketRule(r, rows, settings, T + 30 * MIN - 1);
    // D is past due already (T − 60): a reminder that stays until the reply, with −60 − … minutes left
    assert.deepEqual(ids(before), [["D", -90]]);
    assert.equal(before.nextAt, T + 30 * MIN);
    assert.deepEqual(ids(evaluateTicketRule(r, rows, settings, T + 30 * MIN)), [
      ["A", 30],
      ["D", -90],
    ]);
  });

  it("next_reply runs from the customer's unanswered message on the policy's clock", () => {
    const r = rule({ kind: "sla_due", target: "next_reply", within_minutes: 10 });
    assert.deepEqual(ids(evaluateTicketRule(r, rows, settings, T + 39 * MIN)), []);
    const at = evaluateTicketRule(r, rows, settings, T + 40 * MIN);
    assert.deepEqual(ids(at), [["B", 10]]);
    assert.equal(at.findings[0].due_at, T + 50 * MIN);
  });

  it("sla_breached any: B's next reply at T + 55 is 5 minutes late; A is not yet", () => {
    const r = rule({ kind: "sla_breached" });
    const e = evaluateTicketRule(r, rows, settings, T + 55 * MIN);
    assert.deepEqual(ids(e), [
      ["B", 5],
      ["D", 115],
    ]);
    assert.equal(e.nextAt, T + 60 * MIN + 1);
  });

  it("unassigned, team filter, and the backlog count", () => {
    assert.deepEqual(ids(evaluateTicketRule(rule({ kind: "unassigned", longer_than_minutes: 60 }), rows, settings, T)), [["D", 120]]);
    assert.deepEqual(ids(evaluateTicketRule(rule({ kind: "unassigned", longer_than_minutes: 60 }, { team: ["billing"] }), rows, settings, T)), []);
    const backlog = rule({ kind: "backlog_age", older_than_hours: 1, above: 1 });
    const early = evaluateTicketRule(backlog, rows, settings, T + 30 * MIN);
    assert.deepEqual(ids(early), [], "only D is older than an hour: 1 is not above 1");
    assert.equal(early.nextAt, T + 60 * MIN);
    assert.deepEqual(ids(evaluateTicketRule(backlog, rows, settings, T + 60 * MIN)), [["backlog", 4]]);
  });

  it("waiting: a finding exactly when now − since ≥ N, and nextAt is that instant otherwise (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 300 }), (elapsedMin, n) => {
        const row: Row = { ...base, ticket_id: "W", created_at: T, frt_start_at: T, agent_id: "a", sla_frt_due_at: null };
        const e = evaluateTicketRule(rule({ kind: "waiting", longer_than_minutes: n }), [row], settings, T + elapsedMin * MIN);
        if (elapsedMin >= n) assert.deepEqual(ids(e), [["W", elapsedMin]]);
        else {
          assert.deepEqual(ids(e), []);
          assert.equal(e.nextAt, T + n * MIN);
        }
      }),
    );
  });
});
