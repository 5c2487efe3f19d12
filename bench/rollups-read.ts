// The rollup's share of the overview on a facts file whose rollup is built (bench/rollups.ts
// --path builds it): the ticket metrics the rollup covers, 12 months × channel, median and p90.
// Usage: node dist/bench/rollups-read.js --path .scratch/100m.duckdb [--zone UTC]
import { parseArgs } from "node:util";
import { defaultSettings } from "../src/config/settings.js";
import { METRICS } from "../src/metrics/catalog.js";
import { runMetrics } from "../src/metrics/compiler.js";
import { ticketRollups } from "../src/rollups/maintain.js";
import { rollable } from "../src/rollups/ticket-rollup.js";
import { openDuckDbStore } from "../src/store/duckdb/duckdb-store.js";
import { peakRssMb } from "./util.js";

const { values } = parseArgs({ options: { path: { type: "string" }, zone: { type: "string" } }, strict: false });
const store = await openDuckDbStore({ path: String(values.path) });
store.factsHook = ticketRollups(store);
const settings = { ...defaultSettings(), timezone: String(values.zone ?? "UTC") };
const metrics = [...METRICS.values()].filter((m) => rollable(m) && m.id !== "cases_by_topic").map((m) => m.id);
const req = { from: "2025-07-01", to: "2026-07-01", grain: "month" as const, groupBy: ["channel"], percentiles: [50, 90], metrics };
const cpu = () => (process.cpuUsage().user + process.cpuUsage().system) / 1000;
for (let i = 0; i < 4; i++) {
  const [t, c] = [performance.now(), cpu()];
  const r = await runMetrics(store, "w", settings, req);
  console.log(
    `${metrics.length} rollup-covered ticket metrics × 12 months × channel (${settings.timezone}), source ${r.source}, approximate ${r.approximate}: ${((performance.now() - t) / 1000).toFixed(3)} s (CPU ${((cpu() - c) / 1000).toFixed(3)} s)${i === 0 ? " (cold)" : ""}`,
  );
}
console.log(`peak RSS ${peakRssMb()} MB`);
await store.close();
