// Projector replay speed: validated events in memory → the fold (pure, no I/O), the way a rebuild
// feeds it: in chunks of about 5,000 events, every entity whole, each chunk the JSON array text the
// DuckDB store reads. Three ways, in one process:
//   - in the rebuild's fold worker (what the product runs): parse + fold + fact columns, 3 chunks
//     in flight, answers received by this thread (wall, and CPU of every thread);
//   - the same RebuildFold on this thread (the fallback when no worker can start);
//   - `project()` alone on this thread, on parsed events (the figure earlier sessions printed).
// Usage: node dist/bench/projector-replay.js [--tickets 100000] [--chunk 5000] [--young 192]
//        [--only worker|thread|project] [--rounds 1]
//        (--young: the worker's young generation in MB; a list such as 32,64,128 runs one worker each;
//        --only: one of the three ways; --rounds: warm rounds of each after the cold one)
import { parseArgs } from "node:util";
import { defaultSettings } from "../src/config/settings.js";
import { generateDemo } from "../src/demo/generate.js";
import { type DeskEvent, entityOf } from "../src/events/types.js";
import { validateEvent } from "../src/events/validate.js";
import { FOLD_YOUNG_GENERATION_MB, type FoldedChunk, RebuildFold, workerFolder } from "../src/pipeline/fold-worker.js";
import { project } from "../src/projector/index.js";
import { cpuSeconds, fmt, loadAverage, numberFlag, peakRssMb } from "./util.js";

const tickets = numberFlag("tickets", 100_000);
const { values } = parseArgs({ options: { young: { type: "string" }, only: { type: "string" } }, strict: false });
const only = typeof values.only === "string" ? values.only : null;
const runs = (way: string) => only === null || only === way;
const ROUNDS = 1 + numberFlag("rounds", 1);
const youngs = typeof values.young === "string" ? values.young.split(",").map(Number) : [FOLD_YOUNG_GENERATION_MB];
const events: DeskEvent[] = [];
for (const r of generateDemo({ tickets, seed: 3, endMs: Date.parse("2026-06-30T00:00:00Z") })) {
  const v = validateEvent(r, 0);
  if (v.ok) events.push(v.event);
}
// a rebuild hands the projector one kind of entity at a time, in chunks of whole entities
const order = ["customer", "ticket", "contact", "survey", "session", "agent"];
const byEntity = new Map<string, DeskEvent[]>();
for (const e of events) {
  const { kind, key } = entityOf(e);
  const k = `${kind}:${key}`;
  const list = byEntity.get(k);
  if (list) list.push(e);
  else byEntity.set(k, [e]);
}
const CHUNK = numberFlag("chunk", 5_000);
const chunks: DeskEvent[][] = [];
for (const kind of order) {
  let cur: DeskEvent[] = [];
  for (const [k, list] of byEntity) {
    if (!k.startsWith(`${kind}:`)) continue;
    for (const e of list) cur.push(e);
    if (cur.length >= CHUNK) {
      chunks.push(cur);
      cur = [];
    }
  }
  if (cur.length) chunks.push(cur);
}
// only the fold ways read the text: without it, project() runs on a heap like a rebuild's
const texts = runs("worker") || runs("thread") ? chunks.map((c) => JSON.stringify(c)) : [];
const settings = defaultSettings();
const maxValidTs = Date.now() + 86_400_000;
const what = `${fmt(events.length)} events of ${fmt(tickets)} tickets in chunks of ${fmt(CHUNK)}`;

function report(label: string, t0: number, cpu0: NodeJS.CpuUsage, rows: number): void {
  const s = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(cpu0);
  console.log(
    `${label}: ${fmt(events.length / s)} events/s wall, ${fmt(events.length / cpu)} per CPU-second (${what} in ${s.toFixed(2)} s, ${fmt(rows)} fact rows); peak RSS ${peakRssMb()} MB; load average ${loadAverage()}`,
  );
}

const rowsOf = (f: FoldedChunk) => f.tables.reduce((n, t) => n + t.columns.rows, 0);

for (const young of runs("worker") ? youngs : []) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const folder = await workerFolder({ workspace: "w", settings, maxValidTs }, young);
  for (let round = 0; round < ROUNDS; round++) {
    const r0 = round === 0 ? t0 : performance.now();
    const c0 = round === 0 ? cpu0 : process.cpuUsage();
    let rows = 0;
    const inFlight: Promise<FoldedChunk>[] = [];
    for (const text of texts) {
      inFlight.push(folder.fold(text));
      if (inFlight.length >= 3) rows += rowsOf(await inFlight.shift()!);
    }
    for (const p of inFlight) rows += rowsOf(await p);
    report(`fold worker, young generation ${young} MB${round === 0 ? " (cold, worker start included)" : ""}`, r0, c0, rows);
  }
  await folder.close();
}

for (let round = 0; runs("thread") && round < ROUNDS; round++) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const fold = new RebuildFold({ workspace: "w", settings, maxValidTs });
  let rows = 0;
  for (const text of texts) rows += rowsOf(fold.fold(text));
  report(`the same fold on this thread${round === 0 ? " (cold)" : ""}`, t0, cpu0, rows);
}

const ctx = { workspace: "w", settings, segmentOf: () => undefined, ticketOf: () => undefined, maxValidTs };
for (let round = 0; runs("project") && round < ROUNDS; round++) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let rows = 0;
  for (const chunk of chunks) {
    const f = project(chunk, ctx);
    rows += f.ticket_facts.length + f.response_facts.length + f.survey_facts.length;
  }
  report(`project() alone on this thread, parsed events${round === 0 ? " (cold)" : ""}`, t0, cpu0, rows);
}
