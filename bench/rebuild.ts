// A rebuild alone (what bulk import's projection phase is): a DuckDB store loaded once with demo
// events (bulk path), then `deskpulse rebuild`'s rebuild timed several times: wall, CPU of every
// thread, and that CPU by thread (the Node thread: reading the log's answers, folding, appending
// rows; DuckDB's own threads; libuv's pool, where the DuckDB client's queries and flushes wait;
// V8's helpers: garbage collection).
// Usage: node dist/bench/rebuild.js [--tickets 50000] [--rounds 3] [--fold worker|thread] [--store FILE]
// --store keeps the loaded store in FILE and reuses it when it exists (loading takes longer than a rebuild).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { generateDemo } from "../src/demo/generate.js";
import { bulkIngest } from "../src/pipeline/bulk.js";
import { Runtime } from "../src/runtime.js";
import { openDuckDbStore } from "../src/store/duckdb/duckdb-store.js";
import { cpuSeconds, cpuSecondsOfPid, fmt, loadAverage, numberFlag, peakRssMb } from "./util.js";

/** CPU seconds per kind of thread of this process (Linux names them: the Node thread is `node`). */
function cpuByThread(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${process.pid}/task/${tid}/comm`, "utf8").trim();
      const kind =
        tid === String(process.pid)
          ? "Node thread"
          : /^V8|DefaultWorker/i.test(name)
            ? "V8 helpers"
            : /libuv|^node$/.test(name)
              ? "libuv pool"
              : name.replace(/[-_ ]?\d+$/, "") || "other";
      out.set(kind, (out.get(kind) ?? 0) + cpuSecondsOfPid(`${process.pid}/task/${tid}`));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Threads that ended during the round are not in `after`: their CPU shows only in the total. */
function byThreadSince(before: Map<string, number>): string {
  return [...cpuByThread()]
    .map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const)
    .filter(([, v]) => v >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(", ");
}

const tickets = numberFlag("tickets", 50_000);
const rounds = numberFlag("rounds", 3);
const { values } = parseArgs({ options: { fold: { type: "string" }, store: { type: "string" } }, strict: false });
const foldIn = values.fold === "thread" || values.fold === "worker" ? values.fold : undefined;
const dir = typeof values.store === "string" ? null : mkdtempSync(join(tmpdir(), "dp-bench-rebuild-"));
const path = typeof values.store === "string" ? values.store : join(dir!, "bench.duckdb");
try {
  const fresh = !existsSync(path);
  const rt = new Runtime(await openDuckDbStore({ path }));
  if (fresh) {
    let position = 0;
    const items = (function* () {
      for (const record of generateDemo({ tickets, seed: 1, endMs: Date.parse("2026-06-30T00:00:00Z") }))
        yield { kind: "record" as const, position: position++, record: record as Record<string, unknown> };
    })();
    const loaded = await bulkIngest(rt, "bench", items, "bench");
    console.log(`loaded ${fmt(loaded.stored)} events of ${fmt(tickets)} tickets in ${loaded.seconds.toFixed(1)} s`);
  } else console.log(`reusing ${path} (${fmt(await rt.store.logEnd("bench"))} events)`);
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const threads0 = cpuByThread();
    const r = await rt.follower.rebuild("bench", foldIn ? { foldIn } : {});
    const s = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const where = "foldedIn" in r ? ` (fold: ${r.foldedIn})` : "";
    console.log(
      `rebuild${where}: ${fmt(r.events / s)} events/s wall, ${fmt(r.events / cpu)} per CPU-second (${fmt(r.events)} events in ${s.toFixed(2)} s, CPU ${cpu.toFixed(1)} s all threads: ${byThreadSince(threads0)}; Node thread busy ${(elu.active / 1000).toFixed(1)} s); ${((cpu * 1e6) / r.events).toFixed(1)} CPU-µs per event; peak RSS ${peakRssMb()} MB; load average ${loadAverage()}`,
    );
  }
  await rt.close();
} finally {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
