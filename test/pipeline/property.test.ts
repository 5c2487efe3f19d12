import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import fc from "fast-check";
import { FACT_TABLES } from "../../src/projector/types.js";
import { Runtime } from "../../src/runtime.js";
import { table } from "../../src/store/schema.js";
import { DAY0, eventArb } from "../helpers/event-arb.js";

/** A history (distinct ids and times), and how it arrives: shuffled, some events twice, in batches, restarts between some. */
const scenarioArb = fc.array(fc.tuple(eventArb, fc.integer({ min: 0, max: 48 * 60 })), { minLength: 1, maxLength: 40 }).chain((history) => {
  const events = history.map(([e, minute], i) => ({ ...e, id: `e${i}`, ts: new Date(DAY0 + minute * 60_000).toISOString() }));
  return fc.record({
    events: fc.constant(events),
    arrival: fc.shuffledSubarray(
      events.flatMap((e, i) => (i % 3 === 0 ? [e, e] : [e])),
      { minLength: events.length + Math.ceil(events.length / 3), maxLength: events.length + Math.ceil(events.length / 3) },
    ),
    cuts: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }),
    restarts: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    // whether a step waits for its facts: when it does not, the projector folds several steps at once
    waits: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
  });
});

async function facts(rt: Runtime): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of FACT_TABLES) out[name] = await rt.store.query(`SELECT * FROM ${name} WHERE workspace = 'w' ORDER BY ${table(name).key.join(", ")}`);
  return out;
}

it("facts equal one rebuild from the log, whatever the batching, order, duplicates and restarts", async () => {
  const dir = mkdtempSync(join(tmpdir(), "dp-prop-"));
  let run = 0;
  try {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ arrival, cuts, restarts, waits }) => {
        const path = join(dir, `p${run++}.duckdb`);
        let rt = await Runtime.open(path);
        try {
          let i = 0;
          for (let step = 0; i < arrival.length; step++) {
            const n = cuts[step % cuts.length];
            // acknowledged once in the log; the projector follows on its own
            await rt.ingest("w", arrival.slice(i, i + n), "test", undefined, { wait: waits[step % waits.length] ? "projected" : "stored" });
            i += n;
            if (restarts[step % restarts.length]) {
              await rt.close();
              rt = await Runtime.open(path);
            }
          }
          await rt.follower.caughtUp("w");
          const incremental = await facts(rt);
          assert.ok(incremental.ticket_facts.length + incremental.customer_facts.length + incremental.survey_facts.length > 0);
          await rt.rebuild("w");
          const rebuilt = await facts(rt);
          for (const name of FACT_TABLES) assert.deepEqual(incremental[name], rebuilt[name], `${name} differs from a rebuild`);
        } finally {
          await rt.close();
        }
      }),
      { numRuns: 20, seed: 20261125, endOnFailure: true },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
