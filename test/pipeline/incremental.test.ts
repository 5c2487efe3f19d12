import assert from "node:assert/strict";
import { it } from "node:test";
import { generateDemo } from "../../src/demo/generate.js";
import { FACT_TABLES } from "../../src/projector/types.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { table } from "../../src/store/schema.js";

/** Deterministic shuffle (mulberry32) so a failure can be replayed. */
function shuffle<T>(xs: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function snapshot(rt: Runtime): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of FACT_TABLES) {
    const t = table(name);
    const order = t.key.join(", ");
    out[name] = await rt.store.query(`SELECT * FROM ${name} WHERE workspace = 'w' ORDER BY ${order}`);
  }
  return out;
}

it("facts from shuffled batches through the API path equal a full rebuild from the log", async () => {
  const records = [...generateDemo({ tickets: 150, seed: 11, endMs: Date.parse("2026-05-01T00:00:00Z") })];
  const rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
  // customers first, as a help desk would create them, then every other event in random order
  const customers = records.filter((r) => String(r.type).startsWith("customer.created"));
  const rest = shuffle(
    records.filter((r) => !String(r.type).startsWith("customer.created")),
    42,
  );
  await rt.ingest("w", customers, "test");
  for (let i = 0; i < rest.length; i += 97) await rt.ingest("w", rest.slice(i, i + 97), "test");
  const incremental = await snapshot(rt);
  assert.ok(incremental.ticket_facts.length >= 150);
  await rt.projection.rebuild("w");
  const rebuilt = await snapshot(rt);
  for (const name of FACT_TABLES) assert.deepEqual(incremental[name], rebuilt[name], `${name} differs between incremental and rebuild`);
  await rt.close();
});
