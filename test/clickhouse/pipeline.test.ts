import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generateDemo } from "../../src/demo/generate.js";
import { Runtime } from "../../src/runtime.js";
import { type ClickHouseStore, openClickHouseStore } from "../../src/store/clickhouse/index.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { table } from "../../src/store/schema.js";
import type { Store } from "../../src/store/store.js";
import { type Cluster, clickhouseSkipReason, startCluster } from "../helpers/clickhouse-cluster.js";

const skip = clickhouseSkipReason();
const records = [...generateDemo({ tickets: 60, seed: 12, endMs: Date.parse("2026-06-30T00:00:00Z") })].sort((a, b) =>
  String(a.ts).localeCompare(String(b.ts)),
);

/** The ticket facts that matter, in one order, as plain values (ClickHouse booleans are 0/1). */
async function tickets(store: Store): Promise<string[]> {
  const rows = await store.query<Record<string, unknown>>(
    "SELECT ticket_id, status, segment, frt_s, res_full_bs, sla_frt_met, reopens, agent_replies FROM ticket_facts WHERE workspace = 'w' ORDER BY ticket_id",
  );
  return rows.map((r) => JSON.stringify(Object.values(r).map((v) => (typeof v === "boolean" ? Number(v) : v))));
}

describe("the checkpointed pipeline on ClickHouse", { skip }, () => {
  let cluster: Cluster;
  let ch: ClickHouseStore;
  let rt: Runtime;
  let duckFacts: string[];
  before(async () => {
    cluster = await startCluster({ shards: 2 });
    ch = await openClickHouseStore({ url: cluster.url });
    rt = new Runtime(ch);
    const duck = new Runtime(await openDuckDbStore({ path: ":memory:" }));
    for (let i = 0; i < records.length; i += 150) {
      await rt.ingest("w", records.slice(i, i + 150), "test", undefined, { wait: i % 300 === 0 ? "projected" : "stored" });
      await duck.ingest("w", records.slice(i, i + 150), "test", undefined, { wait: "stored" });
    }
    await duck.follower.caughtUp("w");
    duckFacts = await tickets(duck.store);
    await duck.close();
    await rt.follower.caughtUp("w");
  });
  after(async () => {
    await rt?.close();
    await cluster?.stop();
  });

  it("projects behind the log to the same facts as DuckDB, checkpoint at the log's end", async () => {
    assert.equal(duckFacts.length, 60);
    assert.deepEqual(await tickets(ch), duckFacts);
    assert.equal(await ch.checkpoint("w"), records.length);
    assert.equal(await ch.logEnd("w"), records.length);
  });

  it("replays from a lost checkpoint to the same facts, nothing doubled (no transactions: replay is idempotent)", async () => {
    // as if the process died after writing facts but before any checkpoint
    await ch.deleteWorkspace(table("projection"), "w");
    assert.equal(await ch.checkpoint("w"), 0);
    const again = new Runtime(await openClickHouseStore({ url: cluster.url }));
    try {
      await again.follower.resumeAll();
      await again.follower.caughtUp("w");
      assert.equal((await again.follower.status("w")).last_rebuild, null, "replayed, not rebuilt");
      assert.deepEqual(await tickets(ch), duckFacts);
      const [n] = await ch.query<{ n: number; d: number }>("SELECT count() AS n, uniqExact(ticket_id) AS d FROM ticket_facts WHERE workspace = 'w'");
      assert.equal(Number(n.n), Number(n.d));
    } finally {
      await again.close();
    }
  });

  it("rebuilds through the _next twins and leaves them empty", async () => {
    const r = await rt.rebuild("w");
    assert.equal(r.events, records.length);
    assert.deepEqual(await tickets(ch), duckFacts);
    const [left] = await ch.query<{ n: number }>("SELECT count() AS n FROM ticket_facts_next WHERE workspace = 'w'");
    assert.equal(Number(left.n), 0);
  });

  it("refuses settings whose rebuild fails and keeps facts and settings", async () => {
    const before = await rt.settings("w");
    await assert.rejects(
      rt.saveSettings("w", { fcr_ineligible_tags: { a: 1 } as never }),
      (e: { status?: number }) => e.status !== undefined && e.status < 500,
    );
    assert.deepEqual(await tickets(ch), duckFacts);
    const fresh = new Runtime(ch);
    assert.deepEqual((await fresh.settings("w")).fcr_ineligible_tags, before.fcr_ineligible_tags);
  });
});
