import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { saveSettings } from "../../src/config/settings-store.js";
import { generateDemo } from "../../src/demo/generate.js";
import { rebuildRollups, ticketRollups } from "../../src/rollups/maintain.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";

// The projector's commits skip the read of rollup_state for a workspace known to have no rollup;
// whatever builds one must end that, or the later commits would leave the new rollup behind the facts.
describe("rollups: a workspace remembered without a rollup", () => {
  it("keeps a rollup built later (rebuildRollups) equal to the facts through the commits after it", async () => {
    const store = await openDuckDbStore({ path: ":memory:" });
    await saveSettings(store, "w", { timezone: "Europe/London" });
    // a threshold no workspace here reaches: the commits find no rollup and remember it
    store.factsHook = ticketRollups(store, { minTickets: 1_000_000 });
    const rt = new Runtime(store);
    const records = [...generateDemo({ tickets: 80, seed: 21, endMs: Date.parse("2026-05-20T00:00:00Z") })].sort((a, b) => Number(a.ts) - Number(b.ts));
    const half = Math.floor(records.length / 2);
    for (let i = 0; i < half; i += 150) await rt.ingest("w", records.slice(i, Math.min(half, i + 150)), "test");
    const count = async (sql: string) => Number((await store.query<{ n: number }>(sql))[0].n);
    assert.equal(await count("SELECT count(*) AS n FROM rollup_state WHERE workspace = 'w'"), 0, "no rollup yet");

    await rebuildRollups(store, "w");
    assert.equal(await count("SELECT count(*) AS n FROM rollup_state WHERE workspace = 'w'"), 1, "built from the facts");
    // the second half moves tickets already counted (replies, solves, reopens) and adds new ones
    for (let i = half; i < records.length; i += 150) await rt.ingest("w", records.slice(i, i + 150), "test");
    const sums = () =>
      store.query(
        "SELECT grp, day, channel, priority, team_id, x, sum(a0) AS a0, sum(a1) AS a1, sum(a2) AS a2 FROM ticket_rollup WHERE workspace = 'w' GROUP BY ALL HAVING sum(a1) <> 0 ORDER BY ALL",
      );
    const kept = await sums();
    assert.ok(kept.length > 0);
    // one built anew from the facts now holds the same sums as the one the commits kept
    await rebuildRollups(store, "w");
    assert.deepEqual(await sums(), kept);
    await rt.close();
  });
});
