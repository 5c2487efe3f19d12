import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { defaultSettings, type WorkspaceSettings } from "../../src/config/settings.js";
import { workerFolder } from "../../src/pipeline/fold-worker.js";
import { Projection } from "../../src/pipeline/projection.js";
import { FACT_TABLES } from "../../src/projector/types.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { valuesOf } from "../../src/store/columns.js";
import { table } from "../../src/store/schema.js";
import type { Store } from "../../src/store/store.js";
import { DAY0, eventArb } from "../helpers/event-arb.js";

async function facts(store: Store): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of FACT_TABLES) out[name] = await store.query(`SELECT * FROM ${name} WHERE workspace = 'w' ORDER BY ${table(name).key.join(", ")}`);
  return out;
}

const HUGE_SLA: Partial<WorkspaceSettings> = { sla_policies: [{ name: "huge", first_reply_s: 1e308, clock: "calendar" }] };

describe("the rebuild's fold worker", () => {
  it("gives exactly the facts (and quarantines) of the fold on the calling thread", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(eventArb, fc.integer({ min: 0, max: 48 * 60 })), { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        async (history, huge) => {
          const rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
          try {
            const events = history.map(([e, minute], i) => ({ ...e, id: `e${i}`, ts: new Date(DAY0 + minute * 60_000).toISOString() }));
            await rt.ingest("w", events, "test", undefined, { wait: "projected" });
            // an SLA target no store can hold: the tickets it touches are quarantined, the rest folds
            const settings = huge ? { ...defaultSettings(), ...HUGE_SLA } : undefined;
            const here = await rt.follower.rebuild("w", { foldIn: "thread", settings });
            const inThread = await facts(rt.store);
            const there = await rt.projection.rebuild("w", { foldIn: "worker", settings });
            assert.equal(there.foldedIn, "worker", "the worker ran");
            assert.equal(there.events, here.events);
            assert.equal(there.quarantined, here.quarantined);
            const inWorker = await facts(rt.store);
            for (const name of FACT_TABLES) assert.deepEqual(inWorker[name], inThread[name], `${name} differs`);
          } finally {
            await rt.close();
          }
        },
      ),
      { numRuns: 15, seed: 20261126, endOnFailure: true },
    );
  });

  it("a rebuild whose fold fails keeps the old facts and checkpoint, in the worker and on this thread", async () => {
    const rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
    try {
      const T0 = "2026-03-02T09:00:00Z";
      await rt.ingest(
        "w",
        [
          { id: "k1", type: "customer.created", ts: T0, customer_id: "C1", segment: "vip" },
          { id: "c1", type: "ticket.created", ts: T0, ticket_id: "T1", customer_id: "C1", channel: "email" },
          { id: "r1", type: "message.created", ts: "2026-03-02T10:00:00Z", ticket_id: "T1", author_type: "agent", agent_id: "ana" },
        ],
        "test",
        undefined,
        { wait: "projected" },
      );
      const before = await facts(rt.store);
      assert.equal(before.ticket_facts.length, 1);
      assert.equal(before.customer_facts.length, 1);
      const checkpoint = await rt.store.checkpoint("w");
      assert.equal(checkpoint, 3);
      // the log read hands the fold the customers (folded and appended) and then text it cannot parse
      const store = rt.store;
      const broken = new Proxy(store, {
        get(target, key) {
          if (key === "streamEventsByEntity")
            return async function* (workspace: string, kinds: string[], through?: number) {
              if (kinds[0] === "ticket") yield '[{"id":"c1","type":"ticket.cr';
              else yield* target.streamEventsByEntity(workspace, kinds, through);
            };
          const v = Reflect.get(target, key);
          return typeof v === "function" ? v.bind(target) : v;
        },
      });
      const projection = new Projection(broken, (ws) => rt.settings(ws));
      for (const foldIn of ["worker", "thread"] as const) {
        let appended = 0;
        await assert.rejects(
          projection.rebuild("w", { foldIn, progress: (n) => (appended = n) }),
          (e: Error) => /JSON/.test(e.message),
          `${foldIn}: the rebuild fails`,
        );
        assert.equal(appended, 1, `${foldIn}: the customer chunk was appended before the failure`);
        assert.deepEqual(await facts(rt.store), before, `${foldIn}: the old facts stay`);
        assert.equal(await rt.store.checkpoint("w"), checkpoint, `${foldIn}: the checkpoint stays`);
      }
    } finally {
      await rt.close();
    }
  });

  it("a worker that stops answers every chunk still waiting with an error, never leaves it hanging", async () => {
    const folder = await workerFolder({ workspace: "w", settings: defaultSettings(), maxValidTs: Date.now() + 86_400_000 });
    try {
      const ok = await folder.fold([{ id: "a", type: "ticket.created", ts: DAY0, ticket_id: "T1" }]);
      assert.equal(ok.events, 1);
      const tf = ok.tables.find((t) => t.name === "ticket_facts")!;
      assert.equal(tf.columns.rows, 1);
      const id = table("ticket_facts").columns.findIndex((c) => c.name === "ticket_id");
      assert.deepEqual(Array.from(valuesOf(tf.columns.values[id])), ["T1"]);
      const waiting = folder.fold(
        JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ id: `e${i}`, type: "ticket.created", ts: DAY0, ticket_id: `T${i}` }))),
      );
      await folder.close();
      await assert.rejects(waiting, /fold worker/);
      await assert.rejects(folder.fold("[]"), /fold worker/);
    } finally {
      await folder.close();
    }
  });
});
