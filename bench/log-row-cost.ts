// What one event-log row costs DuckDB, whichever way it goes in: the floor under HTTP ingest and
// bulk import on this machine (BENCHMARKS.md, Pipeline). Demo events as the log stores them, and
// for each way the CPU of the whole process (DuckDB's threads included) per row:
//   - the store's append (`insertRows`, the appender the acknowledgement waits for), in batches of
//     1,000, into a database file and into `:memory:` (no write-ahead log);
//   - DuckDB copying rows it already holds (`INSERT … SELECT`: no JavaScript at all);
//   - the CHECKPOINT that later moves those rows from the write-ahead log into the file;
//   - reading the same rows back from newline-delimited JSON (`read_ndjson`), the price of keeping
//     the log in files and giving DuckDB only an index of it, and JavaScript writing that JSON.
// Usage: node dist/bench/log-row-cost.js [--tickets 20000]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDemo } from "../src/demo/generate.js";
import { validateEvent } from "../src/events/validate.js";
import { openDuckDbStore, SQL_TYPE } from "../src/store/duckdb/duckdb-store.js";
import { eventRow } from "../src/store/event-log.js";
import { type Row, table } from "../src/store/schema.js";
import { cpuSeconds, fmt, loadAverage, numberFlag } from "./util.js";

const tickets = numberFlag("tickets", 20_000);
const rows: Row[] = [];
const now = Date.now();
for (const r of generateDemo({ tickets, seed: 5, endMs: Date.parse("2026-06-30T00:00:00Z") })) {
  const v = validateEvent(r, 0);
  if (v.ok) rows.push(eventRow("w", v.event, now, rows.length + 1));
}
const n = rows.length;
const events = table("events");
const dir = mkdtempSync(join(tmpdir(), "deskpulse-row-cost-"));

function line(label: string, cpu: number, wall: number): void {
  console.log(`${label}: ${((cpu * 1e6) / n).toFixed(1)} CPU-µs per row (${fmt(n / wall)} rows/s wall, ${cpu.toFixed(2)} CPU-s for ${fmt(n)} rows)`);
}

async function timed(label: string, fn: () => Promise<void>): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  line(label, cpuSeconds(cpu0), (performance.now() - t0) / 1000);
}

try {
  console.log(`${fmt(n)} log rows of ${fmt(tickets)} demo tickets; load average ${loadAverage()}`);
  for (const path of [join(dir, "log.duckdb"), ":memory:"]) {
    const store = await openDuckDbStore({ path });
    const where = path === ":memory:" ? "into :memory:" : "into a file";
    await timed(`appender (insertRows, batches of 1,000) ${where}`, async () => {
      for (let i = 0; i < n; i += 1000) await store.insertRows(events, rows.slice(i, i + 1000));
    });
    if (path !== ":memory:") {
      await timed("CHECKPOINT of those rows", () => store.exec("CHECKPOINT"));
      await timed("INSERT … SELECT of the same rows inside DuckDB (no JavaScript)", () =>
        store.exec("INSERT INTO events SELECT 'copy' AS workspace, * EXCLUDE (workspace) FROM events WHERE workspace = 'w'"),
      );
      await timed("CHECKPOINT of the copy", () => store.exec("CHECKPOINT"));
      const file = join(dir, "log.ndjson");
      await timed("JavaScript writing the rows as NDJSON (JSON.stringify, one string)", async () => {
        writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n"));
      });
      const columns = events.columns.map((c) => `"${c.name}": '${SQL_TYPE[c.type]}'`).join(", ");
      await timed("read_ndjson of that file into the table", () =>
        store.exec(
          `INSERT INTO events SELECT 'ndjson' AS workspace, * EXCLUDE (workspace) FROM read_ndjson('${file}', format = 'newline_delimited', columns = {${columns}})`,
        ),
      );
    }
    await store.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
