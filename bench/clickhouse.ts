// The overview request on DuckDB vs ClickHouse with one shard vs two shards on this machine, and
// the ingest rate into the cluster. Needs Debian's clickhouse-server.
// Usage: node dist/bench/clickhouse.js [--tickets 1000000]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultSettings } from "../src/config/settings.js";
import { generateDemo } from "../src/demo/generate.js";
import type { DeskEvent } from "../src/events/types.js";
import { validateEvent } from "../src/events/validate.js";
import { runMetrics } from "../src/metrics/compiler.js";
import { openClickHouseStore } from "../src/store/clickhouse/index.js";
import { openDuckDbStore } from "../src/store/duckdb/duckdb-store.js";
import { type Row, table } from "../src/store/schema.js";
import type { Store } from "../src/store/store.js";
import { startCluster } from "../test/helpers/clickhouse-cluster.js";
import { generateTicketFacts } from "./ticket-facts.js";
import { fmt, numberFlag, peakRssMb } from "./util.js";

const tickets = numberFlag("tickets", 1_000_000);
const dir = mkdtempSync(join(tmpdir(), "dp-bench-ch-"));
const Y = Date.parse("2025-07-01T00:00:00Z");
const YEAR = 365 * 86_400_000;
const duck = await openDuckDbStore({ path: join(dir, "d.duckdb") });
await generateTicketFacts(duck, tickets, Y, YEAR);
const cluster = await startCluster(2);
const [a, b] = cluster.httpPorts;
const one = await openClickHouseStore({ url: `clickhouse://127.0.0.1:${a}/deskpulse_one` });
const two = await openClickHouseStore({ url: cluster.url });
try {
  const tf = table("ticket_facts");
  for (const [label, store] of [
    ["one shard", one],
    ["two shards", two],
  ] as const) {
    const t0 = performance.now();
    for (let off = 0; off < tickets; off += 200_000) {
      const rows = await duck.query<Row>(`SELECT * FROM ticket_facts ORDER BY ticket_id LIMIT 200000 OFFSET ${off}`);
      await store.insertRows(tf, rows);
    }
    const s = (performance.now() - t0) / 1000;
    console.log(`copy ${fmt(tickets)} ticket facts into ClickHouse (${label}): ${fmt(tickets / s)} rows/s`);
  }
  const settings = defaultSettings();
  const req = {
    from: "2025-07-01",
    to: "2026-07-01",
    grain: "month" as const,
    groupBy: ["channel"],
    percentiles: [50, 90],
    metrics: ["first_response_time", "resolution_time.first", "resolution_time.full", "first_contact_resolution", "reopen_rate", "sla_compliance.first_reply", "bot_containment", "resolution_rate", "ticket_volume"],
  };
  for (const [label, store] of [
    ["DuckDB", duck],
    ["ClickHouse, one shard", one],
    ["ClickHouse, two shards", two],
  ] as [string, Store][]) {
    await runMetrics(store, "w", settings, req);
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await runMetrics(store, "w", settings, req);
      runs.push(performance.now() - t);
    }
    console.log(`overview (9 ticket metrics × 12 months × channel, exact median and p90) on ${label}: ${(Math.min(...runs) / 1000).toFixed(3)} s`);
  }
  // Event ingest into the cluster through the store's idempotent append (the API and import path).
  const events: DeskEvent[] = [];
  for (const r of generateDemo({ tickets: 20_000, seed: 9 })) {
    const v = validateEvent(r, 0);
    if (v.ok) events.push(v.event);
  }
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += 20_000) await two.appendEvents("ingest", events.slice(i, i + 20_000), Date.now());
  const s = (performance.now() - t0) / 1000;
  console.log(`event ingest into the two-shard cluster: ${fmt(events.length / s)} events/s (${fmt(events.length)} events, batches of 20,000); peak RSS of this process ${peakRssMb()} MB`);
} finally {
  await one.close();
  await two.close();
  await duck.close();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
