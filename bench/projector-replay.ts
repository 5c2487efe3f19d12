// Projector replay speed: validated events in memory → project() (pure, no I/O), the way a
// rebuild feeds it: in chunks of about 5,000 events, every entity whole (the DuckDB store's
// rebuild read). Usage: node dist/bench/projector-replay.js [--tickets 100000] [--chunk 5000]
import { defaultSettings } from "../src/config/settings.js";
import { generateDemo } from "../src/demo/generate.js";
import { type DeskEvent, entityOf } from "../src/events/types.js";
import { validateEvent } from "../src/events/validate.js";
import { project } from "../src/projector/index.js";
import { cpuSeconds, fmt, loadAverage, numberFlag, peakRssMb } from "./util.js";

const tickets = numberFlag("tickets", 100_000);
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
const settings = defaultSettings();
const ctx = { workspace: "w", settings, segmentOf: () => undefined, ticketOf: () => undefined, maxValidTs: Date.now() + 86_400_000 };
for (let round = 0; round < 2; round++) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let rows = 0;
  for (const chunk of chunks) {
    const f = project(chunk, ctx);
    rows += f.ticket_facts.length + f.response_facts.length + f.survey_facts.length;
  }
  const s = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(cpu0);
  console.log(
    `projector replay${round === 0 ? " (cold)" : ""}: ${fmt(events.length / s)} events/s wall, ${fmt(events.length / cpu)} per CPU-second (${fmt(events.length)} events of ${fmt(tickets)} tickets in ${s.toFixed(2)} s in chunks of ${fmt(CHUNK)}, ${fmt(rows)} fact rows, business hours and SLA included); peak RSS ${peakRssMb()} MB; load average ${loadAverage()}`,
  );
}
