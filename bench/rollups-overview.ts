// The dashboard overview (src/rollups/overview.ts: the page's headline metrics for the default 30
// days, with the previous period, and by day; median and p90) on a facts file from
// bench/facts-file.ts, read from the rollup, and once from the raw facts beside it.
// Usage: node dist/bench/rollups-overview.js --path /work/data/100m.duckdb            (the rollup's figure; the rollup must be built)
//        node dist/bench/rollups-overview.js --path … --build --raw                 (builds the rollup first; one raw run and the exactness check after)
import { statSync } from "node:fs";
import { parseArgs } from "node:util";
import { defaultSettings } from "../src/config/settings.js";
import { settingsRow } from "../src/config/settings-store.js";
import { METRICS } from "../src/metrics/catalog.js";
import { type MetricRow, runMetrics } from "../src/metrics/compiler.js";
import { rebuildRollups, rollupZone, ticketRollups } from "../src/rollups/maintain.js";
import { HEADLINE_METRICS } from "../src/metrics/headline.js";
import { overviewRequests } from "../src/rollups/overview.js";
import { openDuckDbStore } from "../src/store/duckdb/duckdb-store.js";
import { table } from "../src/store/schema.js";
import { cpuSeconds, fmt, loadAverage, peakRssMb } from "./util.js";

/** Compares two answers row by row: exact for everything but the sketched percentiles (their worst relative error is returned). */
export function compareRows(a: MetricRow[], b: MetricRow[]): { rows: number; mismatches: string[]; worstPct: number } {
  const key = (x: MetricRow) => `${x.metric}|${x.bucket}|${JSON.stringify(x.group ?? {})}`;
  const other = new Map(b.map((x) => [key(x), x]));
  const mismatches: string[] = [];
  let worstPct = 0;
  if (a.length !== b.length) mismatches.push(`${a.length} rows from the rollup, ${b.length} from the facts`);
  for (const x of a) {
    const y = other.get(key(x));
    if (!y) {
      mismatches.push(`${key(x)}: not in the facts' answer`);
      continue;
    }
    for (const f of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const [u, v] = [x[f as keyof MetricRow], y[f as keyof MetricRow]];
      if (f === "median" || f === "p90") {
        if (typeof u === "number" && typeof v === "number" && v >= 1) worstPct = Math.max(worstPct, Math.abs(u - v) / v);
        else if (u !== v) mismatches.push(`${key(x)} ${f}: ${u} vs ${v}`);
      } else if (typeof u === "number" && typeof v === "number") {
        // sums of floats added in another order: equal to the last few bits
        if (Math.abs(u - v) > 1e-9 * Math.max(1, Math.abs(v))) mismatches.push(`${key(x)} ${f}: ${u} vs ${v}`);
      } else if (JSON.stringify(u) !== JSON.stringify(v)) mismatches.push(`${key(x)} ${f}: ${JSON.stringify(u)} vs ${JSON.stringify(v)}`);
    }
  }
  return { rows: a.length, mismatches, worstPct };
}

if (process.argv[1]?.endsWith("rollups-overview.js")) {
  const { values } = parseArgs({
    options: {
      path: { type: "string" },
      zone: { type: "string" },
      to: { type: "string" },
      runs: { type: "string" },
      build: { type: "boolean" },
      raw: { type: "boolean" },
      // read the rollup even below ROLLUP_MIN_TICKETS (a small file while developing)
      force: { type: "boolean" },
    },
    strict: false,
  });
  const path = String(values.path ?? "/work/data/100m.duckdb");
  const timezone = String(values.zone ?? "UTC");
  // the generated year ends on 2026-07-01: its last 30 days stand for the page's default range
  const requests = overviewRequests(String(values.to ?? "2026-07-01"));
  const runs = Number(values.runs ?? 5);
  const size = () => `${fmt(statSync(path).size / 2 ** 20)} MB`;
  const store = await openDuckDbStore({ path });
  store.factsHook = ticketRollups(store);
  const settings = { ...defaultSettings(), timezone };
  const facts = Number((await store.query("SELECT count(*) AS n FROM ticket_facts WHERE workspace = 'w'"))[0].n);
  console.log(`${fmt(facts)} ticket facts; file ${size()}; load average ${loadAverage()}`);
  if (values.build || (await rollupZone(store, store, "w")) !== timezone) {
    await store.deleteWorkspace(table("settings"), "w");
    await store.insertRows(table("settings"), [settingsRow("w", settings)]);
    await store.exec("CHECKPOINT");
    const before = size();
    const [t, c] = [performance.now(), process.cpuUsage()];
    await rebuildRollups(store, "w");
    await store.exec("CHECKPOINT");
    const count = async (t: string) => fmt(Number((await store.query(`SELECT count(*) AS n FROM ${t} WHERE workspace = 'w'`))[0].n));
    console.log(
      `rollup built (${timezone}) in ${((performance.now() - t) / 1000).toFixed(1)} s wall, CPU ${cpuSeconds(c).toFixed(1)} s: ${await count("ticket_rollup")} rollup rows, ${await count("ticket_rollup_hist")} histogram rows, ${await count("ticket_rollup_due")} clock-dependent rows; file ${before} → ${size()}; load average ${loadAverage()}`,
    );
  }
  /** The page's two requests at once, as the browser sends them. */
  const overview = (metrics: string[], source: "auto" | "facts" | "rollup") =>
    Promise.all(requests.map((r) => runMetrics(store, "w", settings, { ...r, metrics, source })));
  const auto = values.force ? "rollup" : "auto";
  const ticketMetrics = HEADLINE_METRICS.filter((m) => METRICS.get(m)!.table === "ticket_facts");
  const time = async (what: string, metrics: string[], source: "auto" | "facts" | "rollup", n: number) => {
    let best = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    let last: Awaited<ReturnType<typeof overview>> = [];
    for (let i = 0; i < n; i++) {
      const [t, c] = [performance.now(), process.cpuUsage()];
      last = await overview(metrics, source);
      const took = [(performance.now() - t) / 1000, cpuSeconds(c)];
      if (took[0] < best[0]) best = took;
    }
    console.log(
      `${what}: ${best[0].toFixed(3)} s wall, CPU ${best[1].toFixed(3)} s (best of ${n}; sources ${last.map((r) => r.source).join(", ")}; approximate ${last.some((r) => r.approximate)}; load average ${loadAverage()})`,
    );
    return last;
  };
  const rolled = await time(`overview, ${HEADLINE_METRICS.length} headline metrics`, HEADLINE_METRICS, auto, runs);
  await time(`of which the ${ticketMetrics.length} ticket metrics (${ticketMetrics.join(", ")})`, ticketMetrics, auto, runs);
  if (values.raw) {
    const raw = await time("the same overview from the raw facts", HEADLINE_METRICS, "facts", 1);
    rolled.forEach((r, i) => {
      const check = compareRows(r.rows, raw[i].rows);
      console.log(
        `request ${i + 1}: ${fmt(check.rows)} rows, ${check.mismatches.length} mismatches in counts, sums and rates; worst percentile error ${(check.worstPct * 100).toFixed(3)} % (bound 1 %)`,
      );
      for (const m of check.mismatches.slice(0, 5)) console.log(`  ${m}`);
    });
  }
  console.log(`peak RSS ${peakRssMb()} MB`);
  await store.close();
}
