// Bulk import end to end: generated demo NDJSON → `deskpulse import` path (parse, validate,
// append to DuckDB, project every fact). Usage: node dist/bench/ingest-bulk.js [--tickets 100000]
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { generateDemo } from "../src/demo/generate.js";
import { openImport } from "../src/ingest/source.js";
import { bulkIngest } from "../src/pipeline/bulk.js";
import { Runtime } from "../src/runtime.js";
import { openDuckDbStore } from "../src/store/duckdb/duckdb-store.js";
import { cpuSeconds, fmt, loadAverage, numberFlag, peakRssMb } from "./util.js";

const tickets = numberFlag("tickets", 100_000);
const dir = mkdtempSync(join(tmpdir(), "dp-bench-bulk-"));
try {
  const file = join(dir, "events.ndjson");
  const out = createWriteStream(file);
  let n = 0;
  for (const r of generateDemo({ tickets, seed: 1, endMs: Date.parse("2026-06-30T00:00:00Z") })) {
    if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, "drain");
    n++;
  }
  out.end();
  await once(out, "finish");
  console.log(`generated ${fmt(n)} events for ${fmt(tickets)} tickets (${fmt(statSync(file).size / 1e6)} MB NDJSON)`);

  const cpu0 = process.cpuUsage();
  const rt = new Runtime(await openDuckDbStore({ path: join(dir, "bench.duckdb") }));
  const src = await openImport(file, { format: "ndjson" });
  let loadSeconds = 0;
  const sum = await bulkIngest(rt, "bench", src.items, "bench", (s, phase) => {
    if (phase === "projecting") loadSeconds = s.seconds;
  });
  await rt.close();
  console.log(
    `bulk import, end to end: ${fmt(sum.stored / sum.seconds)} events/s (${fmt(sum.stored)} events in ${sum.seconds.toFixed(1)} s; parse+validate+append ${loadSeconds.toFixed(1)} s = ${fmt(sum.stored / loadSeconds)} events/s, projection ${(sum.seconds - loadSeconds).toFixed(1)} s); peak RSS ${peakRssMb()} MB; CPU ${cpuSeconds(cpu0).toFixed(1)} s (all threads); load average ${loadAverage()}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
