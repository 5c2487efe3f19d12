// Generated ticket facts in a DuckDB file that stays, for the benchmarks too big to generate per run
// (100 M tickets take a long while). Resumable: it appends in chunks from the count already there.
// Usage: node dist/bench/facts-file.js --tickets 100000000 --path .bench-data/100m.duckdb
import { parseArgs } from "node:util";
import { openDuckDbStore } from "../src/store/duckdb/duckdb-store.js";
import { generateTicketFacts } from "./ticket-facts.js";
import { fmt, numberFlag, peakRssMb } from "./util.js";

export const Y = Date.parse("2025-07-01T00:00:00Z");
export const YEAR = 365 * 86_400_000;

if (process.argv[1]?.endsWith("facts-file.js")) {
  const tickets = numberFlag("tickets", 1_000_000);
  const chunk = numberFlag("chunk", 5_000_000);
  const { values } = parseArgs({ options: { path: { type: "string" } }, strict: false });
  const store = await openDuckDbStore({ path: String(values.path ?? ".bench-data/facts.duckdb") });
  const have = Number((await store.query("SELECT count(*) AS n FROM ticket_facts"))[0].n);
  const t0 = performance.now();
  for (let start = have; start < tickets; start += chunk) {
    const n = Math.min(chunk, tickets - start);
    await generateTicketFacts(store, n, Y, YEAR, start);
    console.log(`${fmt(start + n)} ticket facts (${((performance.now() - t0) / 1000).toFixed(0)} s, peak RSS ${peakRssMb()} MB)`);
  }
  await store.close();
}
