import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { defaultSettings, type WorkspaceSettings } from "../../src/config/settings.js";
import { generateDemo } from "../../src/demo/generate.js";
import type { DeskEvent } from "../../src/events/types.js";
import { validateEvent } from "../../src/events/validate.js";
import { foldInSlices, foldSafely } from "../../src/pipeline/fold.js";
import { FACT_TABLES, type Facts, type ProjectorContext } from "../../src/projector/types.js";

const DEMO: DeskEvent[] = [...generateDemo({ tickets: 40, seed: 17, endMs: Date.parse("2026-05-20T00:00:00Z") })].map((r, i) => {
  const v = validateEvent(r, i);
  if (!v.ok) throw new Error(JSON.stringify(v.rejection));
  return v.event;
});
// A fold that throws (the poison test's stand-in): team "night" has a calendar with no hours, so a
// business-clock SLA deadline of its tickets never comes.
const SETTINGS: WorkspaceSettings = {
  ...defaultSettings(),
  team_calendars: { night: { timezone: "UTC", hours: {} } },
  sla_policies: [{ name: "b", first_reply_s: 3600, clock: "business" }],
};
const POISON: DeskEvent = { id: "n1", type: "ticket.created", ts: Date.parse("2026-03-01T10:00:00Z"), ticket_id: "N1", team_id: "night" };

/** Outside lookups as the incremental path has them: some customers' segments, some tickets' dimensions. */
function context(): ProjectorContext {
  return {
    workspace: "w",
    settings: SETTINGS,
    segmentOf: (id) => (id.endsWith("1") ? "enterprise" : undefined),
    ticketOf: () => undefined,
    maxValidTs: Date.parse("2026-06-01T00:00:00Z"),
  };
}

const sorted = (facts: Facts) => Object.fromEntries(FACT_TABLES.map((t) => [t, facts[t].map((r) => JSON.stringify(r)).sort()]));

describe("the fold in slices (an incremental commit pausing for acknowledgements)", () => {
  it("gives the same facts and quarantines the same events as one fold, whatever the slice size and the events' order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(DEMO, { minLength: 1 }),
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        fc.infiniteStream(fc.integer()),
        async (events, size, poison, keys) => {
          const list = poison ? [...events, POISON] : [...events];
          // any arrival order
          const order = list.map((e) => [keys.next().value as number, e] as const).sort((a, b) => a[0] - b[0]);
          const shuffled = order.map((x) => x[1]);
          const whole = foldSafely(shuffled, context());
          let pauses = 0;
          const sliced = await foldInSlices(shuffled, context(), async () => void pauses++, size);
          assert.deepEqual(sorted(sliced.facts), sorted(whole.facts));
          assert.deepEqual(sliced.quarantined.map((q) => q.event.id).sort(), whole.quarantined.map((q) => q.event.id).sort());
          if (shuffled.length > size) assert.ok(pauses > 0, "paused between slices");
        },
      ),
      { numRuns: 60 },
    );
  });
});
