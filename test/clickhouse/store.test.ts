import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DeskEvent } from "../../src/events/types.js";
import { chunkEvents } from "../../src/pipeline/fold-worker.js";
import { type ClickHouseStore, openClickHouseStore, parseTarget } from "../../src/store/clickhouse/index.js";
import { inlineParams } from "../../src/store/clickhouse/literal.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { migrate } from "../../src/store/migrate.js";
import { type Row, TABLES, table } from "../../src/store/schema.js";
import { type Cluster, clickhouseSkipReason, startCluster } from "../helpers/clickhouse-cluster.js";
import { rebuildUnderReaders } from "../helpers/rebuild-readers.js";

const skip = clickhouseSkipReason();
const tf = table("ticket_facts");
const ev = (id: string, ticket: string, ts = 1_000): DeskEvent => ({ id, type: "ticket.created", ts, ticket_id: ticket });
/** 2026-01-01T00:00:00Z in epoch ms: 20,454 days × 86,400,000 */
const JAN1 = 1_767_225_600_000;

describe("ClickHouse literals (18.16 has no server-side parameters)", () => {
  it("binds placeholders as escaped literals, never as SQL", () => {
    assert.equal(inlineParams("a = {p1:String} AND b = {p2:Int64} AND c = {p3:Float64}", ["O'B\\x", 5, 0.25]), "a = 'O\\'B\\\\x' AND b = 5 AND c = 0.25");
    assert.equal(inlineParams("x IN ({p2:String}, {p1:Nullable(String)})", [null, "y"]), "x IN ('y', NULL)");
    assert.throws(() => inlineParams("a = {p2:String}", ["only one"]), /no value for parameter 2/);
    assert.throws(() => inlineParams("a = {p1:Float64}", [Number.NaN]), /cannot send NaN/);
  });

  it("reads store URLs with several nodes, a database and a cluster", () => {
    assert.deepEqual(parseTarget("clickhouse://h1:8123,h2:8124/dp?cluster=c"), { nodes: ["http://h1:8123", "http://h2:8124"], database: "dp", cluster: "c" });
    assert.deepEqual(parseTarget("https://h:8443"), { nodes: ["https://h:8443"], database: "deskpulse", cluster: null });
  });
});

describe("ClickHouse store on a two-shard cluster", { skip }, () => {
  let cluster: Cluster;
  let s: ClickHouseStore;
  before(async () => {
    cluster = await startCluster({ shards: 2 });
    s = await openClickHouseStore({ url: cluster.url });
  });
  after(async () => {
    await s?.close();
    await cluster?.stop();
  });

  it("creates a MergeTree table per shard and a Distributed table over them, for every table", async () => {
    // 19 tables in schema.ts (4 of them the rollups', 1 the outbox), 9 derived with a `_next` twin for
    // rebuilds: 28 local MergeTree + 28 Distributed on each node
    assert.equal(TABLES.length, 19);
    assert.equal(TABLES.filter((t) => t.derived).length, 9);
    for (const i of [0, 1]) {
      const tsv = await cluster.sql(i, "SELECT engine, count() FROM system.tables WHERE database = 'deskpulse' GROUP BY engine ORDER BY engine");
      assert.equal(tsv, "Distributed\t28\nMergeTree\t28\n");
    }
    // a second open is harmless (CREATE … IF NOT EXISTS) and the version is detected
    const again = await openClickHouseStore({ url: cluster.url.replace(/\?.*$/, ""), cluster: "deskpulse" });
    assert.match(again.version, /^\d+\.\d+/);
    await again.close();
  });

  it("inserts typed rows and returns 64-bit integers as numbers", async () => {
    await s.insertRows(tf, [
      {
        workspace: "types",
        ticket_id: "T1",
        created_at: JAN1,
        is_open: true,
        assigned: false,
        frt_s: 90.5,
        frt_bs: null,
        fields: JSON.stringify({ plan: "pro" }),
        tags: "|a|b|",
      },
      { workspace: "types", ticket_id: "T2", created_at: JAN1 + 1, is_open: false },
    ]);
    const rows = await s.query<Row>(
      "SELECT ticket_id, created_at, is_open, assigned, frt_s, frt_bs, fields, tags, status FROM ticket_facts WHERE workspace = {p1:String} ORDER BY ticket_id",
      ["types"],
    );
    assert.deepEqual(rows, [
      { ticket_id: "T1", created_at: JAN1, is_open: 1, assigned: 0, frt_s: 90.5, frt_bs: null, fields: '{"plan":"pro"}', tags: "|a|b|", status: null },
      { ticket_id: "T2", created_at: JAN1 + 1, is_open: 0, assigned: null, frt_s: null, frt_bs: null, fields: null, tags: null, status: null },
    ]);
    // count() is UInt64 and sum(Int64) Int64: both numbers; 2 × 1,767,225,600,000 + 1 = 3,534,451,200,001
    const [agg] = await s.query<Row>("SELECT count() AS n, sum(created_at) AS total FROM ticket_facts WHERE workspace = {p1:String}", ["types"]);
    assert.deepEqual(agg, { n: 2, total: 3_534_451_200_001 });
  });

  it("binds string and number parameters: quotes and backslashes are data, not SQL", async () => {
    // SQL quoting, JSON escaping (tab, newline, quote) and the seed languages (Arabic, Persian, Chinese)
    const agents = ["O'Brien", "back\\slash", "x' OR '1'='1", 'tab\there "q"\nline', "سارة", "مریم", "客服小王"];
    await s.insertRows(
      tf,
      agents.map((a, i) => ({ workspace: "params", ticket_id: `P${i}`, agent_id: a, created_at: JAN1 + i * 1000, frt_s: i * 1.5 })),
    );
    for (const [i, a] of agents.entries()) {
      const rows = await s.query<Row>("SELECT ticket_id FROM ticket_facts WHERE workspace = {p1:String} AND agent_id = {p2:String}", ["params", a]);
      assert.deepEqual(rows, [{ ticket_id: `P${i}` }], a);
    }
    // created_at ≥ JAN1 + 1000 keeps P1…P6; frt_s = 1.5 × i > 2.0 keeps P2…P6, and < 4.6 keeps P2 (3.0) and P3 (4.5)
    const rows = await s.query<Row>(
      "SELECT ticket_id FROM ticket_facts WHERE workspace = {p1:String} AND created_at >= {p2:Int64} AND frt_s > {p3:Float64} AND frt_s < {p4:Float64} ORDER BY ticket_id",
      ["params", JAN1 + 1000, 2.0, 4.6],
    );
    assert.deepEqual(rows, [{ ticket_id: "P2" }, { ticket_id: "P3" }]);
    // and they come back byte for byte
    const back = await s.query<{ agent_id: string }>("SELECT agent_id FROM ticket_facts WHERE workspace = {p1:String} ORDER BY ticket_id", ["params"]);
    assert.deepEqual(
      back.map((r) => r.agent_id),
      agents,
    );
  });

  it("appends events idempotently by id: within a batch, across batches, and from a fresh process", async () => {
    assert.deepEqual(
      (await s.appendEvents("dedup", [ev("a", "T1"), ev("b", "T2"), ev("a", "T1")], 5)).map((e) => e.id),
      ["a", "b"],
    );
    assert.deepEqual(
      (await s.appendEvents("dedup", [ev("b", "T2"), ev("c", "T3")], 6)).map((e) => e.id),
      ["c"],
    );
    // another workspace has its own id space
    assert.equal((await s.appendEvents("dedup2", [ev("a", "T1")], 7)).length, 1);
    // a second store (another process) knows nothing in memory: it dedups against the stored ids
    const other = await openClickHouseStore({ url: cluster.url });
    assert.deepEqual(
      (await other.appendEvents("dedup", [ev("a", "T1"), ev("d", "T4")], 8)).map((e) => e.id),
      ["d"],
    );
    await other.close();
    const rows = await s.query<Row>("SELECT id, received_at FROM events WHERE workspace = {p1:String} ORDER BY id", ["dedup"]);
    assert.deepEqual(rows, [
      { id: "a", received_at: 5 },
      { id: "b", received_at: 5 },
      { id: "c", received_at: 6 },
      { id: "d", received_at: 8 },
    ]);
  });

  it("dedups a large re-sent batch (id lists longer than max_query_size are split) and spreads it over both shards", async () => {
    // 3,000 ids of 100 characters: one IN list would be ≈ 315 KB of SQL, over the 256 KiB limit
    const long = (i: number) => `${String(i).padStart(6, "0")}-${"x".repeat(93)}`;
    const batch = Array.from({ length: 3000 }, (_, i) => ev(long(i), `B${i}`, JAN1 + i));
    assert.equal((await s.appendEvents("bulk", batch, 1)).length, 3000);
    const fresh = await openClickHouseStore({ url: cluster.url });
    assert.equal((await fresh.appendEvents("bulk", [...batch, ev(long(3000), "B3000")], 2)).length, 1);
    await fresh.close();
    const [{ n }] = await s.query<{ n: number }>("SELECT count() AS n FROM events WHERE workspace = {p1:String}", ["bulk"]);
    assert.equal(n, 3001);
    const perShard = await Promise.all(
      [0, 1].map(async (i) => Number(await cluster.sql(i, "SELECT count() FROM deskpulse.events_local WHERE workspace = 'bulk'"))),
    );
    assert.equal(perShard[0] + perShard[1], 3001);
    assert.ok(perShard[0] > 0 && perShard[1] > 0, `both shards hold events: ${perShard}`);
    // every ticket's events on one shard: no entity appears on both nodes
    const [e0, e1] = await Promise.all(
      [0, 1].map(
        async (i) => new Set((await cluster.sql(i, "SELECT DISTINCT entity FROM deskpulse.events_local WHERE workspace = 'bulk'")).trim().split("\n")),
      ),
    );
    assert.equal([...e0].filter((e) => e1.has(e)).length, 0);
  });

  it("loads an entity's events and streams every event of the asked kinds", async () => {
    await s.appendEvents(
      "ent",
      [
        ev("a", "T1", 1),
        ev("b", "T2", 2),
        { id: "m", type: "message.created", ts: 3, ticket_id: "T1", author_type: "customer", public: true },
        { id: "c", type: "customer.created", ts: 4, customer_id: "C1" },
      ],
      1,
    );
    const t1 = await s.loadEntityEvents("ent", ["ticket:T1"]);
    assert.deepEqual(t1.map((e) => e.id).sort(), ["a", "m"]);
    assert.equal(t1.find((e) => e.id === "m")?.author_type, "customer");
    const ids: string[] = [];
    for await (const chunk of s.streamEventsByEntity("ent", ["ticket"])) ids.push(...chunkEvents(chunk).map((e) => e.id));
    assert.deepEqual(ids.sort(), ["a", "b", "m"]);
  });

  it("stays exact after re-projection: replaced rows are gone before the next read, on every shard", async () => {
    const facts = (ws: string) => Array.from({ length: 100 }, (_, i) => ({ workspace: ws, ticket_id: `T${i}`, frt_s: i }));
    await s.insertRows(tf, [...facts("r"), ...facts("r2")]);
    const totals = async (ws: string) =>
      (await s.query<{ n: number; total: number }>("SELECT count() AS n, sum(frt_s) AS total FROM ticket_facts WHERE workspace = {p1:String}", [ws]))[0];
    // 0 + 1 + … + 99 = 4,950
    assert.deepEqual(await totals("r"), { n: 100, total: 4950 });
    const reproject = Array.from({ length: 10 }, (_, i) => ({ workspace: "r", ticket_id: `T${i}`, frt_s: 1000 }));
    const keys = reproject.map((r) => r.ticket_id);
    // twice: re-projecting the same tickets again changes nothing
    for (let k = 0; k < 2; k++) {
      await s.replaceRows("r", [{ table: tf, keyColumn: "ticket_id", keys, rows: reproject }]);
      // 4,950 − (0 + … + 9 = 45) + 10 × 1,000 = 14,905, still 100 tickets
      assert.deepEqual(await totals("r"), { n: 100, total: 14905 });
    }
    // 25,000 keys (two delete mutations of ≤ 20,000): T0…T49 exist; left are T50…T99 = (50 + 99) × 50 / 2 = 3,725
    const many = [...Array.from({ length: 50 }, (_, i) => `T${i}`), ...Array.from({ length: 24_950 }, (_, i) => `missing-${i}`)];
    await s.deleteWhereIn(tf, "r", "ticket_id", many);
    assert.deepEqual(await totals("r"), { n: 50, total: 3725 });
    // the other workspace's same ticket ids were never touched
    assert.deepEqual(await totals("r2"), { n: 100, total: 4950 });
    await s.deleteWorkspace(tf, "r");
    // sum over no rows is NULL, as in DuckDB
    assert.deepEqual(await totals("r"), { n: 0, total: null });
    assert.deepEqual(await totals("r2"), { n: 100, total: 4950 });
  });

  it("rebuilds without a hole: one RENAME chain per shard, readers in a loop always see every ticket", async () => {
    // 18.16 has no Atomic database; its RENAME chain holds the global lock that table look-ups take
    assert.equal(s.swapsBy, "RENAME TABLE");
    await rebuildUnderReaders(s, "swap", false);
  });

  it("migrates one workspace from DuckDB to a single ClickHouse server and back; a re-run copies nothing twice", async () => {
    const duck = await openDuckDbStore({ path: ":memory:" });
    const single = await openClickHouseStore({ url: `clickhouse://127.0.0.1:${cluster.httpPorts[0]}/migrated` });
    const back = await openDuckDbStore({ path: ":memory:" });
    try {
      await duck.appendEvents("w1", [ev("a", "T1"), ev("b", "T2")], 100);
      await duck.appendEvents("w1", [ev("c", "T3")], 200);
      await duck.appendEvents("w2", [ev("z", "T9")], 300);
      await duck.insertRows(tf, [
        { workspace: "w1", ticket_id: "T1", frt_s: 10, is_open: true },
        { workspace: "w1", ticket_id: "T2", frt_s: 20, is_open: false },
        { workspace: "w2", ticket_id: "T9", frt_s: 99 },
      ]);
      await duck.insertRows(table("settings"), [{ workspace: "w1", name: "knobs", value: '{"a":1}', updated_at: 5 }]);
      await duck.insertRows(table("api_keys"), [{ workspace: "w1", key_hash: "h1", name: "k", scopes: "read", created_at: 6 }]);
      for (let run = 0; run < 2; run++) {
        const copied = await migrate(duck, single, "w1");
        assert.equal(copied.events, 3);
        assert.equal(copied.ticket_facts, 2);
        assert.equal(copied.settings, 1);
        assert.equal(copied.api_keys, 1);
        assert.equal(copied.rejected, 0);
        // after either run the target holds each row once, and nothing of w2
        assert.deepEqual(await single.query<Row>("SELECT workspace, id, received_at FROM events ORDER BY id"), [
          { workspace: "w1", id: "a", received_at: 100 },
          { workspace: "w1", id: "b", received_at: 100 },
          { workspace: "w1", id: "c", received_at: 200 },
        ]);
        assert.deepEqual(await single.query<Row>("SELECT ticket_id, frt_s, is_open FROM ticket_facts ORDER BY ticket_id"), [
          { ticket_id: "T1", frt_s: 10, is_open: 1 },
          { ticket_id: "T2", frt_s: 20, is_open: 0 },
        ]);
        assert.deepEqual(await single.query<Row>("SELECT name, value FROM settings"), [{ name: "knobs", value: '{"a":1}' }]);
      }
      // no Distributed tables without a cluster: plain MergeTree on that one server
      assert.equal(await cluster.sql(0, "SELECT DISTINCT engine FROM system.tables WHERE database = 'migrated'"), "MergeTree\n");
      // and back into an empty DuckDB: the same rows
      await migrate(single, back);
      assert.deepEqual(await back.query<Row>("SELECT ticket_id, frt_s FROM ticket_facts ORDER BY ticket_id"), [
        { ticket_id: "T1", frt_s: 10 },
        { ticket_id: "T2", frt_s: 20 },
      ]);
      assert.deepEqual((await back.loadEntityEvents("w1", ["ticket:T1", "ticket:T3"])).map((e) => e.id).sort(), ["a", "c"]);
    } finally {
      await back.close();
      await single.close();
      await duck.close();
    }
  });
});
