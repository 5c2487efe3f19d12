// A rebuild alone (what bulk import's projection phase is): a DuckDB store loaded once with demo
// events (bulk path), then `deskpulse rebuild`'s rebuild timed several times: wall, CPU of every
// thread, and the Node thread's own CPU and busy time (event loop utilization: reading the log,
// appending rows; the rest is DuckDB's threads and the fold worker).
// Usage: node dist/bench/rebuild.js [--tickets 50000] [--rounds 3] [--fold worker|thread]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { generateDemo } from "../src/demo/generate.js";
import { bulkIngest } from "../src/pipeline/bulk.js";
import { Runtime } from "../src/runtime.js";
import { openDuckDbStore } from "../src/store/duckdb/duckdb-store.js";
import { cpuSeconds, cpuSecondsOfPid, fmt, loadAverage, numberFlag, peakRssMb } from "./util.js";

/** CPU seconds of this process's main thread (the Node thread), from Linux's per-thread stat. */
const nodeThreadCpu = () => cpuSecondsOfPid(`${process.pid}/task/${process.pid}`);

const tickets = numberFlag("tickets", 50_000);
const rounds = numberFlag("rounds", 3);
const { values } = parseArgs({ options: { fold: { type: "string" } }, strict: false });
const foldIn = values.fold === "thread" || values.fold === "worker" ? values.fold : undefined;
const dir = mkdtempSync(join(tmpdir(), "dp-bench-rebuild-"));
try {
  const rt = new Runtime(await openDuckDbStore({ path: join(dir, "bench.duckdb") }));
  let position = 0;
  const items = (function* () {
    for (const record of generateDemo({ tickets, seed: 1, endMs: Date.parse("2026-06-30T00:00:00Z") }))
      yield { kind: "record" as const, position: position++, record: record as Record<string, unknown> };
  })();
  const loaded = await bulkIngest(rt, "bench", items, "bench");
  console.log(`loaded ${fmt(loaded.stored)} events of ${fmt(tickets)} tickets in ${loaded.seconds.toFixed(1)} s`);
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const node0 = nodeThreadCpu();
    const r = await rt.follower.rebuild("bench", foldIn ? { foldIn } : {});
    const s = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const node = nodeThreadCpu() - node0;
    const where = "foldedIn" in r ? ` (fold: ${r.foldedIn})` : "";
    console.log(
      `rebuild${where}: ${fmt(r.events / s)} events/s wall, ${fmt(r.events / cpu)} per CPU-second (${fmt(r.events)} events in ${s.toFixed(2)} s, CPU ${cpu.toFixed(1)} s all threads, Node thread ${node.toFixed(1)} CPU-s, busy ${(elu.active / 1000).toFixed(1)} s); peak RSS ${peakRssMb()} MB; load average ${loadAverage()}`,
    );
  }
  await rt.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
