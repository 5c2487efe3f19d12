import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { defaultSettings, type WorkspaceSettings } from "../../src/config/settings.js";
import type { DeskEvent } from "../../src/events/types.js";
import { validateEvent } from "../../src/events/validate.js";
import { DISTORTING_FLAGS } from "../../src/metrics/catalog.js";
import { project } from "../../src/projector/index.js";
import type { ProjectorContext } from "../../src/projector/types.js";

const ctx = (settings: WorkspaceSettings = defaultSettings()): ProjectorContext => ({
  workspace: "w",
  settings,
  segmentOf: () => undefined,
  ticketOf: () => undefined,
  maxValidTs: Date.parse("2026-12-31T00:00:00Z"),
});
let n = 0;
const ev = (type: string, ts: string | number, extra: Record<string, unknown> = {}): DeskEvent => {
  const v = validateEvent({ id: `i${String(n++).padStart(5, "0")}`, type, ts, ticket_id: "T", ...extra }, 0);
  if (!v.ok) throw new Error(JSON.stringify(v.rejection));
  return v.event;
};
const at = (hhmm: string) => `2026-03-02T${hhmm}:00Z`;
const withSla = (extra: Record<string, unknown> = {}): WorkspaceSettings => ({
  ...defaultSettings(),
  sla_policies: [{ name: "p", first_reply_s: 3600, resolution_s: 7200, clock: "calendar", ...extra }],
});

describe("projector: impossible durations are flagged, never silently negative", () => {
  it("solved before it was created: the −3,600 s resolution carries solved_before_created", () => {
    const t = project([ev("ticket.created", at("10:00")), ev("ticket.status_changed", at("09:00"), { status: "solved" })], ctx()).ticket_facts[0];
    assert.equal(t.res_first_s, -3600);
    assert.equal(t.flags, "solved_before_created");
  });

  it("a reply before creation is the first reply, negative, flagged; its response row says negative_response", () => {
    const f = project([ev("ticket.created", at("10:00")), ev("message.created", at("09:30"), { author_type: "agent", agent_id: "a" })], ctx());
    const t = f.ticket_facts[0];
    assert.deepEqual([t.first_reply_at, t.frt_s, t.flags], [Date.parse(at("09:30")), -1800, "reply_before_created"]);
    assert.deepEqual(
      f.response_facts.map((r) => [r.response_s, r.flags]),
      [[-1800, "negative_response,reply_before_created"]],
    );
  });

  it("a call answered before it was offered is flagged (a negative wait)", () => {
    const v = (type: string, ts: string) => {
      const x = validateEvent({ id: `c${n++}`, type, ts, contact_id: "C" }, 0);
      if (!x.ok) throw new Error("bad");
      return x.event;
    };
    const c = project([v("contact.offered", at("10:00")), v("contact.answered", at("09:59")), v("contact.ended", at("10:05"))], ctx()).contact_facts[0];
    assert.deepEqual([c.wait_s, c.flags], [-60, "answered_before_offered"]);
  });

  it("a merged ticket leaves the backlog at the merge and is no longer open", () => {
    const f = project(
      [
        ev("ticket.created", at("09:00")),
        ev("ticket.status_changed", at("09:10"), { status: "open" }),
        ev("ticket.merged", at("11:00"), { into_ticket_id: "U" }),
      ],
      ctx(),
    );
    const t = f.ticket_facts[0];
    assert.deepEqual([t.is_open, t.flags, t.status], [false, "merged", "open"]);
    assert.deepEqual(
      f.status_intervals.map((p) => [p.status, p.end_at]),
      [
        ["new", Date.parse(at("09:10"))],
        ["open", Date.parse(at("11:00"))],
      ],
    );
    const d = project([ev("ticket.created", at("09:00")), ev("ticket.deleted", at("09:01"))], ctx()).ticket_facts[0];
    assert.deepEqual([d.is_open, d.flags], [false, "deleted"]);
  });
});

describe("projector: SLA outcomes settle where they fall due", () => {
  it("no reply, solved after the first-reply target ran out: breached, placed at the due time", () => {
    // created 09:00, target 1 h → due 10:00; solved 11:00 without a reply
    const t = project([ev("ticket.created", at("09:00")), ev("ticket.status_changed", at("11:00"), { status: "solved" })], ctx(withSla())).ticket_facts[0];
    assert.deepEqual([t.sla_frt_met, t.sla_frt_due_at, t.sla_frt_at], [false, Date.parse(at("10:00")), Date.parse(at("10:00"))]);
  });

  it("no reply, solved before the target ran out: no first-reply outcome at all", () => {
    const t = project([ev("ticket.created", at("09:00")), ev("ticket.status_changed", at("09:30"), { status: "solved" })], ctx(withSla())).ticket_facts[0];
    assert.equal(t.sla_frt_met, null);
  });

  it("still open and unreplied: undecided in the facts, due at 10:00 (the metric reads it against now)", () => {
    const t = project([ev("ticket.created", at("09:00"))], ctx(withSla())).ticket_facts[0];
    assert.deepEqual(
      [t.sla_frt_met, t.sla_frt_at, t.sla_res_met, t.sla_res_at, t.is_open],
      [null, Date.parse(at("10:00")), null, Date.parse(at("11:00")), true],
    );
  });

  it("solved in time, reopened, solved late: breached on the final solve, met on the first when the policy says so", () => {
    // created 09:00, resolution target 2 h: solved 10:30 (1.5 h), reopened 10:45, solved again 12:00 (3 h)
    const events = [
      ev("ticket.created", at("09:00")),
      ev("message.created", at("09:20"), { author_type: "agent", agent_id: "a" }),
      ev("ticket.status_changed", at("10:30"), { status: "solved" }),
      ev("ticket.status_changed", at("10:45"), { status: "open" }),
      ev("ticket.status_changed", at("12:00"), { status: "solved" }),
    ];
    const final = project(events, ctx(withSla())).ticket_facts[0];
    assert.deepEqual([final.sla_res_met, final.sla_res_at, final.sla_frt_met], [false, Date.parse(at("12:00")), true]);
    const first = project(events, ctx(withSla({ resolution_judged_on: "first_solve" }))).ticket_facts[0];
    assert.deepEqual([first.sla_res_met, first.sla_res_at], [true, Date.parse(at("10:30"))]);
    // reopened and still open: undecided until it is solved again or its due time passes
    const reopened = project(events.slice(0, 4), ctx(withSla())).ticket_facts[0];
    assert.deepEqual([reopened.sla_res_met, reopened.is_open], [null, true]);
  });
});

describe("projector: property — every negative duration carries a flag that leaves it out", () => {
  const step = fc.record({
    kind: fc.constantFrom("customer", "agent", "bot", "note", "solved", "open", "pending", "closed"),
    offsetMin: fc.integer({ min: -180, max: 600 }),
  });
  it("for any events of a ticket, frt, resolutions and responses are ≥ 0 unless flagged", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), fc.boolean(), (steps, agentOpened) => {
        const base = Date.parse(at("09:00"));
        const events = [ev("ticket.created", base, agentOpened ? { created_by: "agent" } : {})];
        for (const s of steps) {
          const ts = base + s.offsetMin * 60_000;
          if (s.kind === "customer" || s.kind === "agent" || s.kind === "bot")
            events.push(ev("message.created", ts, { author_type: s.kind, ...(s.kind === "agent" ? { agent_id: "a" } : {}) }));
          else if (s.kind === "note") events.push(ev("message.created", ts, { author_type: "agent", public: false }));
          else events.push(ev("ticket.status_changed", ts, { status: s.kind }));
        }
        const f = project(events, ctx(withSla()));
        const t = f.ticket_facts[0];
        const flags = String(t.flags ?? "").split(",");
        const distorted = flags.some((x) => DISTORTING_FLAGS.includes(x));
        for (const col of ["frt_s", "res_first_s", "res_full_s"]) {
          const v = t[col] as number | null;
          if (v !== null && v < 0) assert.ok(distorted, `${col} = ${v} without a flag (${t.flags})`);
        }
        for (const col of ["frt_bs", "res_first_bs", "res_full_bs", "pending_s"]) assert.ok(((t[col] as number | null) ?? 0) >= 0, col);
        for (const r of f.response_facts) {
          if ((r.response_s as number | null) !== null && (r.response_s as number) < 0) assert.match(String(r.flags), /negative_response/);
          assert.ok(((r.response_bs as number | null) ?? 0) >= 0);
        }
        return true;
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});
