import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultSettings } from "../../src/config/settings.js";
import type { DeskEvent } from "../../src/events/types.js";
import { validateEvent } from "../../src/events/validate.js";
import { project } from "../../src/projector/index.js";
import type { ProjectorContext } from "../../src/projector/types.js";

const ctx = (over: Partial<ProjectorContext> = {}): ProjectorContext => ({
  workspace: "w",
  settings: defaultSettings(),
  segmentOf: () => undefined,
  ticketOf: () => undefined,
  maxValidTs: Date.parse("2026-12-31T00:00:00Z"),
  ...over,
});
let n = 0;
const ev = (type: string, ts: string, extra: Record<string, unknown> = {}): DeskEvent => {
  const v = validateEvent({ id: `p${n++}`, type, ts, ticket_id: "T", ...extra }, 0);
  if (!v.ok) throw new Error(JSON.stringify(v.rejection));
  return v.event;
};
const ticket = (events: DeskEvent[], c = ctx()) => project(events, c).ticket_facts[0];

describe("projector: tricky sequences, worked out by hand", () => {
  it("agent-opened ticket: the clock starts at the customer's first message", () => {
    const t = ticket([
      ev("ticket.created", "2026-03-02T09:00:00Z", { created_by: "agent" }),
      ev("message.created", "2026-03-02T09:00:10Z", { author_type: "agent", agent_id: "a" }), // outbound, not a reply
      ev("message.created", "2026-03-02T11:00:00Z", { author_type: "customer" }),
      ev("message.created", "2026-03-02T11:30:00Z", { author_type: "agent", agent_id: "a" }),
    ]);
    assert.equal(t.frt_start_at, Date.parse("2026-03-02T11:00:00Z"));
    assert.equal(t.frt_s, 1800);
  });

  it("a bot reply and an internal note before the human one do not count", () => {
    const t = ticket([
      ev("ticket.created", "2026-03-02T09:00:00Z"),
      ev("message.created", "2026-03-02T09:00:05Z", { author_type: "bot" }),
      ev("message.created", "2026-03-02T09:10:00Z", { author_type: "agent", agent_id: "a", public: false }),
      ev("message.created", "2026-03-02T09:20:00Z", { author_type: "system" }),
      ev("message.created", "2026-03-02T09:40:00Z", { author_type: "agent", agent_id: "b" }),
    ]);
    assert.deepEqual([t.frt_s, t.first_reply_agent_id, t.bot_messages, t.internal_notes, t.agent_replies], [2400, "b", 1, 1, 1]);
  });

  it("reopen after solve: first and full resolution, reopens counted, FCR lost", () => {
    const t = ticket([
      ev("ticket.created", "2026-03-02T09:00:00Z"),
      ev("message.created", "2026-03-02T09:30:00Z", { author_type: "agent", agent_id: "a" }),
      ev("ticket.status_changed", "2026-03-02T10:00:00Z", { status: "solved" }),
      ev("ticket.status_changed", "2026-03-02T12:00:00Z", { status: "open" }),
      ev("ticket.status_changed", "2026-03-02T13:00:00Z", { status: "solved" }),
      ev("ticket.status_changed", "2026-03-05T13:00:00Z", { status: "closed" }), // solved → closed is not a reopen
    ]);
    assert.deepEqual([t.reopens, t.res_first_s, t.res_full_s, t.fcr, t.fcr_eligible, t.status], [1, 3600, 14400, false, true, "closed"]);
  });

  it("transfers between teams count after the first assignment only", () => {
    const t = ticket([
      ev("ticket.created", "2026-03-02T09:00:00Z", { team_id: "A" }),
      ev("ticket.assigned", "2026-03-02T09:01:00Z", { agent_id: "a1" }), // an agent within team A: not a transfer
      ev("ticket.assigned", "2026-03-02T09:05:00Z", { team_id: "B", agent_id: "b1" }), // one transfer (both changed)
      ev("ticket.assigned", "2026-03-02T09:07:00Z", { team_id: "C" }), // another
    ]);
    assert.deepEqual([t.transfers, t.team_id, t.agent_id], [2, "C", "b1"]);
  });

  it("an event arriving before its ticket, the same event twice: same facts, flagged", () => {
    const created = ev("ticket.created", "2026-03-02T09:00:00Z");
    const early = ev("message.created", "2026-03-02T08:00:00Z", { author_type: "customer" });
    const reply = ev("message.created", "2026-03-02T09:15:00Z", { author_type: "agent", agent_id: "a" });
    const a = ticket([reply, early, created, reply]);
    const b = ticket([created, early, reply]);
    assert.deepEqual(a, b);
    assert.equal(a.flags, "reply_before_created");
    assert.equal(a.agent_replies, 1);
    assert.equal(a.frt_s, 900);
  });

  it("a ticket with no ticket.created is projected and flagged", () => {
    const t = ticket([ev("message.created", "2026-03-02T09:00:00Z", { author_type: "customer" })]);
    assert.equal(t.flags, "missing_created");
    assert.equal(t.created_at, Date.parse("2026-03-02T09:00:00Z"));
  });

  it("SLA clock pauses while pending", () => {
    const settings = defaultSettings();
    settings.sla_policies = [{ name: "p", first_reply_s: 3600, resolution_s: 7200, clock: "calendar" }];
    const t = ticket(
      [
        ev("ticket.created", "2026-03-02T09:00:00Z"),
        ev("message.created", "2026-03-02T09:30:00Z", { author_type: "agent", agent_id: "a" }),
        ev("ticket.status_changed", "2026-03-02T09:31:00Z", { status: "pending" }),
        ev("ticket.status_changed", "2026-03-02T14:31:00Z", { status: "open" }), // 5 h paused
        ev("ticket.status_changed", "2026-03-02T15:00:00Z", { status: "solved" }),
      ],
      ctx({ settings }),
    );
    // running time to solve: 09:00–09:31 (31 min) + 14:31–15:00 (29 min) = 60 min ≤ 2 h
    assert.deepEqual([t.sla_frt_met, t.sla_res_met, t.pending_s], [true, true, 18000]);
  });

  it("facts do not depend on arrival order", () => {
    const evs = [
      ev("ticket.created", "2026-03-02T09:00:00Z", { channel: "email", customer_id: "c" }),
      ev("ticket.assigned", "2026-03-02T09:00:00Z", { team_id: "A", agent_id: "a" }),
      ev("message.created", "2026-03-02T09:00:00Z", { author_type: "agent", agent_id: "a" }),
      ev("ticket.status_changed", "2026-03-02T09:00:00Z", { status: "solved" }),
      ev("survey.responded", "2026-03-02T10:00:00Z", { kind: "csat", score: 4 }),
    ];
    const forward = project(evs, ctx());
    for (let k = 0; k < 10; k++) {
      const shuffled = [...evs].sort(() => ((k * 7919 + evs.length) % 3) - 1);
      assert.deepEqual(project(shuffled.reverse(), ctx()), forward);
    }
    assert.equal(forward.survey_facts[0].channel, "email"); // the survey took its ticket's channel
  });
});
