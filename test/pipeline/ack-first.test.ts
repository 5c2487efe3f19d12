import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateDemo } from "../../src/demo/generate.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";

const records = () => [...generateDemo({ tickets: 60, seed: 3, endMs: Date.parse("2026-05-20T00:00:00Z") })].sort((a, b) => Number(a.ts) - Number(b.ts));

describe("acknowledgements first: validation outside the append lock, projection yielding to appends", () => {
  it("concurrent batches of one workspace get disjoint, gapless log positions, each batch's own, and all are projected", async () => {
    const rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
    const all = records();
    const size = Math.ceil(all.length / 6);
    const batches = Array.from({ length: 6 }, (_, i) => all.slice(i * size, (i + 1) * size));
    // one record per batch is invalid: validated (and kept) before the lock, the rest still appended
    const sent = batches.map((b, i) => [...b, { id: `bad-${i}`, type: "ticket.created", ticket_id: `X${i}` }]);
    const results = await Promise.all(sent.map((b) => rt.ingest("w", b, "test", undefined, { wait: "stored" })));
    const ranges = results.map((r) => [r.appended_through - r.stored + 1, r.appended_through]).sort((a, b) => a[0] - b[0]);
    assert.equal(ranges[0][0], 1);
    for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i][0], ranges[i - 1][1] + 1, "no gap, no overlap");
    assert.equal(ranges.at(-1)![1], all.length);
    results.forEach((r, i) => {
      assert.equal(r.stored, batches[i].length);
      assert.deepEqual(
        r.rejected.map((x) => [x.index, x.field]),
        [[batches[i].length, "ts"]],
      );
    });
    // every batch's events sit at the positions its answer gave
    for (let i = 0; i < results.length; i++) {
      const rows = await rt.store.query<{ id: string }>("SELECT id FROM events WHERE workspace = 'w' AND pos BETWEEN $1 AND $2", [
        results[i].appended_through - results[i].stored + 1,
        results[i].appended_through,
      ]);
      assert.deepEqual(rows.map((x) => x.id).sort(), batches[i].map((e) => String(e.id)).sort());
    }
    await rt.follower.caughtUp("w");
    const rejected = await rt.store.query<{ n: number }>("SELECT count(*) AS n FROM rejected WHERE workspace = 'w' AND origin = 'test'");
    assert.equal(Number(rejected[0].n), 6);
    const tickets = await rt.store.query<{ n: number }>("SELECT count(DISTINCT ticket_id) AS n FROM ticket_facts WHERE workspace = 'w'");
    const expected = new Set(all.filter((e) => e.type === "ticket.created").map((e) => e.ticket_id)).size;
    assert.equal(Number(tickets[0].n), expected);
    await rt.close();
  });

  it("an append that never finishes holds projection back only for a moment: the facts still catch up", async () => {
    const rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
    const stuck = rt.follower.appending();
    const all = records();
    const r = await rt.ingest("w", all, "test", undefined, { wait: "stored" });
    assert.equal(await rt.follower.waitFor("w", r.appended_through, 60_000), true);
    assert.equal(rt.follower.projectedThrough("w"), all.length);
    stuck();
    await rt.close();
  });
});
