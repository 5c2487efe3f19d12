// The dashboard overview (every catalog metric, 12 months × channel, median and p90) from the
// rollup against the same request forced to the raw facts (`source: "facts"`), on generated ticket
// facts; and the exactness check: every count, sum and rate of the two answers equal, every
// sketched percentile within the stated 1 %.
// Usage: node dist/bench/rollups.js [--tickets 1000000] [--zones UTC,Europe/London,Asia/Tehran]
//        node dist/bench/rollups.js --path .scratch/100m.duckdb --zones UTC   (facts from bench/facts-file.ts)
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultSettings } from "../src/config/settings.js";
import { settingsRow } from "../src/config/settings-store.js";
import { CATALOG } from "../src/metrics/catalog.js";
import { runMetrics } from "../src/metrics/compiler.js";
import { rebuildRollups, ticketRollups } from "../src/rollups/maintain.js";
import { openDuckDbStore } from "../src/store/duckdb/duckdb-store.js";
import { table } from "../src/store/schema.js";
import { compareRows } from "./rollups-overview.js";
import { generateTicketFacts } from "./ticket-facts.js";
import { fmt, numberFlag, peakRssMb } from "./util.js";

const { values } = parseArgs({ options: { zones: { type: "string" }, path: { type: "string" }, runs: { type: "string" } }, strict: false });
const zones = String(values.zones ?? "UTC,Europe/London,Asia/Tehran").split(",");
const runs = Number(values.runs ?? 3);
const dir = values.path ? null : mkdtempSync(join(tmpdir(), "dp-bench-rollups-"));
const path = values.path ? String(values.path) : join(dir!, "r.duckdb");
const store = await openDuckDbStore({ path });
store.factsHook = ticketRollups(store);
const Y = Date.parse("2025-07-01T00:00:00Z");
const YEAR = 365 * 86_400_000;
if (!values.path) {
  const t0 = performance.now();
  await generateTicketFacts(store, numberFlag("tickets", 1_000_000), Y, YEAR);
  console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const facts = Number((await store.query("SELECT count(*) AS n FROM ticket_facts WHERE workspace = 'w'"))[0].n);
const size = () => `${fmt(statSync(path).size / 2 ** 20)} MB`;
console.log(`${fmt(facts)} ticket facts; DuckDB file ${size()} (after a checkpoint)`);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const overview = {
  from: "2025-07-01",
  to: "2026-07-01",
  grain: "month" as const,
  groupBy: ["channel"],
  percentiles: [50, 90],
  metrics: CATALOG.filter((m) => !["preferred_channel", "cases_by_topic"].includes(m.id)).map((m) => m.id),
};

for (const timezone of zones) {
  const settings = { ...defaultSettings(), timezone };
  await store.deleteWorkspace(table("settings"), "w");
  await store.insertRows(table("settings"), [settingsRow("w", settings)]);
  let t = performance.now();
  let c = cpuMs();
  await rebuildRollups(store, "w");
  const cells = Number((await store.query("SELECT count(*) AS n FROM ticket_rollup WHERE workspace = 'w'"))[0].n);
  const bins = Number((await store.query("SELECT count(*) AS n FROM ticket_rollup_hist WHERE workspace = 'w'"))[0].n);
  await store.exec("CHECKPOINT");
  console.log(
    `${timezone}: rollup built from the facts in ${((performance.now() - t) / 1000).toFixed(1)} s (CPU ${((cpuMs() - c) / 1000).toFixed(1)} s): ${fmt(cells)} rollup rows, ${fmt(bins)} histogram rows; DuckDB file now ${size()}`,
  );
  const rolled = () => runMetrics(store, "w", settings, overview);
  const raw = () => runMetrics(store, "w", settings, { ...overview, source: "facts" });
  const [a, b] = [await rolled(), await raw()];
  const check = compareRows(a.rows, b.rows);
  console.log(
    `${timezone}: exactness, rollup (source ${a.source}, approximate ${a.approximate}) vs facts (source ${b.source}): ${fmt(check.rows)} rows, ${check.mismatches.length} mismatches in counts, sums and rates; worst percentile error ${(check.worstPct * 100).toFixed(3)} % (bound 1 %)`,
  );
  for (const m of check.mismatches.slice(0, 5)) console.log(`  ${m}`);
  // interleaved, so both see the same load on this shared machine; best of `runs` each
  const best = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const bestCpu = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let i = 0; i < runs; i++)
    for (const [j, fn] of [rolled, raw].entries()) {
      t = performance.now();
      c = cpuMs();
      await fn();
      best[j] = Math.min(best[j], performance.now() - t);
      bestCpu[j] = Math.min(bestCpu[j], cpuMs() - c);
    }
  console.log(
    `${timezone}: overview, all ${overview.metrics.length} catalog metrics × 12 months × channel: from the rollup ${(best[0] / 1000).toFixed(3)} s (CPU ${(bestCpu[0] / 1000).toFixed(3)} s), raw facts ${(best[1] / 1000).toFixed(3)} s (CPU ${(bestCpu[1] / 1000).toFixed(3)} s) → ${(best[1] / best[0]).toFixed(1)}× faster (best of ${runs}, interleaved)`,
  );
}
console.log(`peak RSS ${peakRssMb()} MB`);
await store.close();
if (dir) rmSync(dir, { recursive: true, force: true });
