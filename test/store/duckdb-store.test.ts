import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { DeskEvent } from "../../src/events/types.js";
import { chunkEvents } from "../../src/pipeline/fold-worker.js";
import { type DuckDbStore, openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { hash53, IdFilter } from "../../src/store/id-filter.js";
import { table } from "../../src/store/schema.js";

const ev = (id: string, ticket: string, ts = 1_000): DeskEvent => ({ id, type: "ticket.created", ts, ticket_id: ticket });

/**
 * Streams the workspace "w"'s ticket events (up to `through`) as a rebuild reads them, asserting on
 * the way that no event comes twice and no ticket is split across chunks.
 */
async function streamTickets(s: DuckDbStore, through?: number) {
  const ticketOfChunk = new Map<string, number>();
  const seen = new Set<string>();
  let chunks = 0;
  for await (const c of s.streamEventsByEntity("w", ["ticket"], through)) {
    for (const e of chunkEvents(c)) {
      assert.ok(!seen.has(e.id), `${e.id} streamed twice`);
      seen.add(e.id);
      const before = ticketOfChunk.get(e.ticket_id as string);
      assert.ok(before === undefined || before === chunks, `${e.ticket_id} split across chunks`);
      ticketOfChunk.set(e.ticket_id as string, chunks);
    }
    chunks++;
  }
  return { seen, ticketOfChunk, chunks };
}

describe("DuckDB store", () => {
  it("appends idempotently by id, within a batch, across batches and after reopening", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dp-store-"));
    const path = join(dir, "s.duckdb");
    try {
      let s = await openDuckDbStore({ path });
      const first = await s.appendEvents("w", [ev("a", "T1"), ev("b", "T2"), ev("a", "T1")], 5);
      assert.deepEqual(
        first.map((e) => e.id),
        ["a", "b"],
      );
      const second = await s.appendEvents("w", [ev("b", "T2"), ev("c", "T3")], 6);
      assert.deepEqual(
        second.map((e) => e.id),
        ["c"],
      );
      // another workspace has its own id space
      assert.equal((await s.appendEvents("other", [ev("a", "T1")], 7)).length, 1);
      await s.close();
      s = await openDuckDbStore({ path });
      assert.deepEqual(
        (await s.appendEvents("w", [ev("a", "T1"), ev("d", "T4")], 8)).map((e) => e.id),
        ["d"],
      );
      const n = await s.query<{ n: number }>("SELECT count(*) AS n FROM events WHERE workspace = $1", ["w"]);
      assert.equal(n[0].n, 4);
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("loads an entity's events and streams every event grouped by entity", async () => {
    const s = await openDuckDbStore({ path: ":memory:" });
    await s.appendEvents(
      "w",
      [ev("a", "T1", 1), ev("b", "T2", 2), { id: "m", type: "message.created", ts: 3, ticket_id: "T1", author_type: "customer", public: true }],
      1,
    );
    const t1 = await s.loadEntityEvents("w", ["ticket:T1"]);
    assert.deepEqual(t1.map((e) => e.id).sort(), ["a", "m"]);
    assert.equal(t1.find((e) => e.id === "m")?.author_type, "customer");
    const chunks: string[] = [];
    for await (const c of s.streamEventsByEntity("w", ["ticket"])) chunks.push(...chunkEvents(c).map((e) => e.id));
    assert.deepEqual(chunks.sort(), ["a", "b", "m"]);
    await s.close();
  });

  it("streams a large log in several chunks, every entity whole in one, up to the position asked", async () => {
    const s = await openDuckDbStore({ path: ":memory:" });
    // 9,000 tickets of 5 events, appended interleaved: more than one rebuild chunk of 20,000
    const events: DeskEvent[] = [];
    for (let k = 0; k < 5; k++) for (let t = 0; t < 9_000; t++) events.push(ev(`e${k}-${t}`, `T${t}`, 1_000 + k));
    await s.appendEvents("w", events, 1);
    await s.appendEvents("w", [ev("later", "T1")], 2);
    const through = events.length; // the last append is past it
    const { seen, chunks } = await streamTickets(s, through);
    assert.ok(chunks >= 2, `${chunks} chunk(s)`);
    assert.equal(seen.size, events.length);
    assert.ok(!seen.has("later"));
    const agents: DeskEvent[] = [];
    for await (const c of s.streamEventsByEntity("w", ["agent"])) agents.push(...chunkEvents(c));
    assert.deepEqual(agents, []);
    await s.close();
  });

  it("reads a log of more than one slice (the next read under way meanwhile): every event once, every entity whole", async () => {
    const s = await openDuckDbStore({ path: ":memory:" });
    // 105,000 ticket events of 21,000 tickets and one customer: past one read of 100,000 events
    const events: DeskEvent[] = [];
    for (let k = 0; k < 5; k++) for (let t = 0; t < 21_000; t++) events.push(ev(`e${k}-${t}`, `T${t}`, 1_000 + k));
    events.push({ id: "c1", type: "customer.created", ts: 5, customer_id: "C1", segment: "smb" });
    await s.appendEvents("w", events, 1);
    const { seen, ticketOfChunk, chunks } = await streamTickets(s);
    assert.equal(seen.size, 105_000);
    assert.equal(ticketOfChunk.size, 21_000);
    // 105,000 events in two reads of chunks of about 5,000
    assert.ok(chunks >= 20, `${chunks} chunk(s)`);
    await s.close();
  });

  it("replaces an entity's derived rows and leaves the others", async () => {
    const s = await openDuckDbStore({ path: ":memory:" });
    const tf = table("ticket_facts");
    await s.insertRows(tf, [
      { workspace: "w", ticket_id: "T1", reopens: 1 },
      { workspace: "w", ticket_id: "T2", reopens: 2 },
      { workspace: "v", ticket_id: "T1", reopens: 9 },
    ]);
    await s.replaceRows("w", [{ table: tf, keyColumn: "ticket_id", keys: ["T1"], rows: [{ workspace: "w", ticket_id: "T1", reopens: 5 }] }]);
    const rows = await s.query<{ workspace: string; ticket_id: string; reopens: number }>(
      "SELECT workspace, ticket_id, reopens FROM ticket_facts ORDER BY workspace, ticket_id",
    );
    assert.deepEqual(rows, [
      { workspace: "v", ticket_id: "T1", reopens: 9 },
      { workspace: "w", ticket_id: "T1", reopens: 5 },
      { workspace: "w", ticket_id: "T2", reopens: 2 },
    ]);
    await s.close();
  });
});

describe("IdFilter", () => {
  it("never misses an id it was given, and rarely claims one it was not", () => {
    const f = new IdFilter();
    for (let i = 0; i < 10_000; i++) f.add(`evt-${i}`);
    for (let i = 0; i < 10_000; i++) assert.ok(f.mayContain(`evt-${i}`));
    let false_ = 0;
    for (let i = 10_000; i < 20_000; i++) if (f.mayContain(`evt-${i}`)) false_++;
    assert.equal(false_, 0); // 53-bit hashes: a collision among 20k ids has odds ~2e-8
    assert.ok(Number.isSafeInteger(hash53("x")));
  });
});
