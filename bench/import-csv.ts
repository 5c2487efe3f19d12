// Streaming import of a large generated CSV of snapshot rows (no database): rows/s and peak memory.
// Usage: node dist/bench/import-csv.js [--mb 200]   (--mb 1024 for the 1 GB figure)
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openImport } from "../src/ingest/source.js";
import { fmt, numberFlag, peakRssMb } from "./util.js";

const mb = numberFlag("mb", 200);
const dir = mkdtempSync(join(tmpdir(), "dp-bench-csv-"));
const path = join(dir, "snapshots.csv");
try {
  const out = createWriteStream(path);
  out.write("Ticket ID,Updated At,Created At,Status,Assignee,Group,Priority,Subject\n");
  const statuses = ["New", "Open", "Pending", "Open", "Resolved", "Closed"];
  let rows = 0;
  let bytes = 0;
  // tickets interleaved in time, as an audit export is: the importer must sort them itself
  for (let t = 0; bytes < mb * 1e6; t += 50) {
    for (let step = 0; step < statuses.length; step++)
      for (let k = 0; k < 50; k++) {
        const id = t + k;
        const at = new Date(Date.UTC(2026, 0, 1) + id * 60_000 + step * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
        const line = `T${id},${at},${new Date(Date.UTC(2026, 0, 1) + id * 60_000).toISOString().slice(0, 16).replace("T", " ")},${statuses[step]},agent-${id % 25},team-${(id + step) % 4},Normal,"Question, number ${id}"\n`;
        bytes += line.length;
        rows++;
        if (!out.write(line)) await once(out, "drain");
      }
  }
  out.end();
  await once(out, "finish");
  const size = statSync(path).size;
  const t0 = performance.now();
  const src = await openImport(path, {});
  let records = 0;
  let rejects = 0;
  for await (const it of src.items) {
    if (it.kind === "record") records++;
    else if (it.kind === "reject") rejects++;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(
    `snapshot CSV import (${fmt(size / 1e6)} MB, ${fmt(rows)} rows, guessed mapping, external sort, events derived): ${fmt(rows / s)} rows/s, ${fmt(size / 1e6 / s)} MB/s, ${fmt(records)} events, ${rejects} rejected; peak RSS ${peakRssMb()} MB`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
