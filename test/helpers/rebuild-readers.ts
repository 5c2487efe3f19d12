import assert from "node:assert/strict";
import { type Row, table } from "../../src/store/schema.js";
import type { Store } from "../../src/store/store.js";

const tf = table("ticket_facts");
const rf = table("response_facts");
/** tickets of the rebuilt workspace, and of a bystander workspace */
const N = 200;
const B = 50;

const tickets = (ws: string, n: number, reopens: number, from = 0): Row[] =>
  Array.from({ length: n }, (_, i) => ({ workspace: ws, ticket_id: `T${from + i}`, reopens }));
const responses = (ws: string, n: number): Row[] => Array.from({ length: n }, (_, i) => ({ workspace: ws, ticket_id: `T${i}`, seq: 1, at: 1_000 + i }));

interface Read {
  n: number;
  reopens: number;
  responses: number;
  bystander: number;
  reader?: number;
}

/**
 * Rebuilds a workspace of N tickets (reopens 1 → 2) through `swapFacts` while readers count its
 * facts in a loop, and a bystander workspace commits a fact in the middle of the build. Every read
 * must see all N tickets and N responses — never none, never some — and the bystander's commit
 * must outlive the swap. `exact`: one node, so each read sees all old or all new rows (on several
 * shards each shard swaps on its own and a read may mix them for a moment).
 */
export async function rebuildUnderReaders(s: Store, ws: string, exact: boolean): Promise<void> {
  const by = `${ws}-bystander`;
  await s.insertRows(tf, [...tickets(ws, N, 1), ...tickets(by, B, 7)]);
  await s.insertRows(rf, responses(ws, N));
  const reads: Read[] = [];
  let stop = false;
  const read = async (): Promise<Read> => {
    const [t] = await s.query<{ n: number; r: number | null }>("SELECT count() AS n, sum(reopens) AS r FROM ticket_facts WHERE workspace = {p1:String}", [ws]);
    const [r] = await s.query<{ n: number }>("SELECT count() AS n FROM response_facts WHERE workspace = {p1:String}", [ws]);
    const [b] = await s.query<{ n: number }>("SELECT count() AS n FROM ticket_facts WHERE workspace = {p1:String}", [by]);
    return { n: Number(t.n), reopens: Number(t.r), responses: Number(r.n), bystander: Number(b.n) };
  };
  const readers = [0, 1].map(async (reader) => {
    while (!stop) reads.push({ ...(await read()), reader });
  });
  /** lets the readers run a few rounds (the build's steps interleave with reads) */
  const moreReads = async (k: number) => {
    const until = reads.length + k;
    while (reads.length < until) await new Promise((r) => setTimeout(r, 1));
  };
  try {
    await moreReads(3);
    await s.swapFacts(ws, [tf, rf], async (insert) => {
      for (let i = 0; i < N; i += N / 4) {
        await insert(tf, tickets(ws, N / 4, 2, i));
        await moreReads(3);
      }
      // another workspace's projection commits while the rebuild is under way: it must not be lost
      await s.commitFacts(by, [{ table: tf, keyColumn: "ticket_id", keys: [], rows: tickets(by, 1, 7, B) }], 1);
      await insert(rf, responses(ws, N));
      await moreReads(3);
      return { pos: 42, parts: [] };
    });
    await moreReads(6);
  } finally {
    stop = true;
    await Promise.all(readers);
  }
  const during = reads.map((r) => `${r.n}/${r.responses}`);
  assert.deepEqual([...new Set(during)], [`${N}/${N}`], "every read saw the whole workspace");
  if (exact) assert.deepEqual([...new Set(reads.map((r) => r.reopens))].sort(), [N, 2 * N], "each read saw the old (1 reopen each) or the new (2) facts");
  else for (const r of reads) assert.ok(r.reopens >= N && r.reopens <= 2 * N, `reopens ${r.reopens}`);
  assert.ok(reads.some((r) => r.reopens === N) && reads.at(-1)?.reopens === 2 * N, "reads before and after the swap");
  // to each reader the bystander only grows: 50, then 51 once its commit landed, and 51 after the swap
  for (const reader of [0, 1]) {
    const seen = reads.filter((r) => r.reader === reader).map((r) => r.bystander);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], `reader ${reader}: a bystander commit disappeared`);
  }
  assert.equal(reads.at(-1)?.bystander, B + 1);
  assert.deepEqual(await read(), { n: N, reopens: 2 * N, responses: N, bystander: B + 1 });
  assert.equal(await s.checkpoint(ws), 42);
  const [left] = await s.query<{ n: number }>("SELECT count() AS n FROM ticket_facts_next");
  assert.equal(Number(left.n), 0, "the twins are empty again");
}
