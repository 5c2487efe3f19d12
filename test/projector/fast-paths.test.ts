import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { defaultSettings } from "../../src/config/settings.js";
import type { DeskEvent } from "../../src/events/types.js";
import { validateEvent } from "../../src/events/validate.js";
import { project } from "../../src/projector/index.js";
import { canonical } from "../../src/projector/order.js";
import type { ProjectorContext } from "../../src/projector/types.js";

// The projector's fast paths (insertion sort and id comparison for small entities, the sorted
// check for long ones, runs of one entity copied whole, fields written as they came when their
// keys are sorted) against the plain way of doing the same.

const ctx: ProjectorContext = {
  workspace: "w",
  settings: defaultSettings(),
  segmentOf: () => undefined,
  ticketOf: () => undefined,
  maxValidTs: Date.parse("2026-12-31T00:00:00Z"),
};

/** order.ts's causal ranks of the types drawn here */
const RANK: Record<string, number> = {
  "ticket.created": 0,
  "ticket.updated": 1,
  "ticket.assigned": 2,
  "message.created": 3,
  "bot.handoff": 4,
  "ticket.status_changed": 5,
};

/** The canonical order as first written: a Set of ids seen (the first stays), then Array#sort. */
function canonicalPlain(events: DeskEvent[]): DeskEvent[] {
  const seen = new Set<string>();
  const out: DeskEvent[] = [];
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    out.push(e);
  }
  return out.sort((a, b) => a.ts - b.ts || (RANK[a.type] ?? 3) - (RANK[b.type] ?? 3) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const T0 = Date.parse("2026-03-02T09:00:00Z");
const TYPES = ["ticket.created", "ticket.updated", "ticket.assigned", "message.created", "ticket.status_changed", "bot.handoff"];

/** Events of one ticket with few distinct ids and instants, so repeats and ties are common; same id, possibly another time. */
const historyArb = fc.array(fc.record({ id: fc.integer({ min: 0, max: 60 }), minute: fc.integer({ min: 0, max: 8 }), type: fc.constantFrom(...TYPES) }), {
  maxLength: 90,
});
const asEvents = (h: { id: number; minute: number; type: string }[]) =>
  h.map((x) => ({ id: `e${x.id}`, type: x.type, ts: T0 + x.minute * 60_000, ticket_id: "T" }) as DeskEvent);

const ev = (raw: Record<string, unknown>): DeskEvent => {
  const v = validateEvent(raw, 0);
  if (!v.ok) throw new Error(JSON.stringify(v.rejection));
  return v.event;
};

describe("projector fast paths give what the plain way gives", () => {
  it("canonical: the same events in the same order, for small and long entities, sorted or not", () => {
    fc.assert(
      fc.property(historyArb, fc.constantFrom("as drawn", "sorted", "sorted, then repeated"), (h, how) => {
        const events = asEvents(h);
        const input = how === "as drawn" ? events : how === "sorted" ? canonicalPlain(events) : canonicalPlain(events).concat(events);
        assert.deepEqual(
          canonical(input).map((e) => e.id),
          canonicalPlain(input).map((e) => e.id),
        );
        // the first of a repeated id is the one kept
        assert.deepEqual(canonical(input), canonicalPlain(input));
      }),
      { numRuns: 400 },
    );
  });

  it("grouping: entities interleaved or in runs, the facts are the same", () => {
    const eventArb = fc.record({
      ticket: fc.constantFrom("T1", "T2", "T3"),
      minute: fc.integer({ min: 0, max: 30 }),
      kind: fc.constantFrom("message.created", "ticket.status_changed", "ticket.assigned"),
    });
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 40 }), (h) => {
        const events = h.map((x, i) =>
          ev({
            id: `g${i}`,
            type: x.kind,
            ts: new Date(T0 + x.minute * 60_000).toISOString(),
            ticket_id: x.ticket,
            author_type: "customer",
            status: "pending",
            agent_id: "a",
          }),
        );
        const created = ["T1", "T2", "T3"].map((t) => ev({ id: `c${t}`, type: "ticket.created", ts: new Date(T0).toISOString(), ticket_id: t }));
        const interleaved = [...created, ...events];
        // every ticket's events together, tickets in order of first appearance
        const runs = [...interleaved].sort(
          (a, b) => interleaved.findIndex((e) => e.ticket_id === a.ticket_id) - interleaved.findIndex((e) => e.ticket_id === b.ticket_id),
        );
        assert.deepEqual(project(interleaved, ctx), project(runs, ctx));
      }),
      { numRuns: 200 },
    );
  });

  it("custom fields and tags: keys in any order (integer-like ones too), the JSON the sorted object gives", () => {
    const keyArb = fc.constantFrom("a", "b", "B", "z", "10", "2", "0", "a1", "_x", "é");
    const fieldsArb = fc.dictionary(keyArb, fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.constant(null)), { maxKeys: 6 });
    const tagsArb = fc.array(fc.constantFrom("x", "y", "escalated", "A", "b"), { maxLength: 4 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fieldsArb, tagsArb, tagsArb), { minLength: 1, maxLength: 4 }), (updates) => {
        const events = updates.map(([fields, added, removed], i) =>
          ev({
            id: `f${i}`,
            type: i === 0 ? "ticket.created" : "ticket.updated",
            ts: new Date(T0 + i * 60_000).toISOString(),
            ticket_id: "T",
            fields,
            ...(i === 0 ? { tags: added } : { tags_added: added, tags_removed: removed }),
          }),
        );
        events.push(ev({ id: "solved", type: "ticket.status_changed", ts: new Date(T0 + 3_600_000).toISOString(), ticket_id: "T", status: "solved" }));
        const merged: Record<string, unknown> = {};
        const tags = new Set<string>();
        updates.forEach(([fields, added, removed], i) => {
          Object.assign(merged, fields);
          for (const t of added) tags.add(t);
          if (i > 0) for (const t of removed) tags.delete(t);
        });
        const keys = Object.keys(merged).sort();
        const t = project(events, ctx).ticket_facts[0];
        assert.equal(t.fields, keys.length ? JSON.stringify(Object.fromEntries(keys.map((k) => [k, merged[k]]))) : null);
        assert.equal(t.tags, tags.size ? `|${[...tags].sort().join("|")}|` : null);
        // solved: eligible for first-contact resolution unless an ineligible tag is on it
        assert.equal(t.fcr_eligible, !tags.has("escalated"));
      }),
      { numRuns: 300 },
    );
  });
});
