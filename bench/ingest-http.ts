// HTTP ingest over loopback: batches of 1,000 demo events to POST /api/v1/events, stored and
// projected before each answer. Usage: node dist/bench/ingest-http.js [--tickets 20000] [--concurrency 4]
import { generateDemo } from "../src/demo/generate.js";
import { startTestServer } from "../test/helpers/server.js";
import { fmt, numberFlag, peakRssOfPid } from "./util.js";

const tickets = numberFlag("tickets", 20_000);
const concurrency = numberFlag("concurrency", 4);
const events = [...generateDemo({ tickets, seed: 2, endMs: Date.parse("2026-06-30T00:00:00Z") })];
// Arrival order of a live system: by time.
events.sort((a, b) => (a.ts as number) - (b.ts as number));
const bodies: string[] = [];
for (let i = 0; i < events.length; i += 1000) bodies.push(JSON.stringify(events.slice(i, i + 1000)));
const s = await startTestServer();
try {
  let next = 0;
  let stored = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const r = await fetch(`${s.url}/api/v1/events`, { method: "POST", body, headers: { authorization: `Bearer ${s.adminKey}`, "content-type": "application/json" } });
        stored += ((await r.json()) as { stored: number }).stored;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  console.log(`HTTP ingest (batches of 1,000, ${concurrency} connections): ${fmt(stored / secs)} events/s (${fmt(stored)} events in ${secs.toFixed(1)} s, each batch stored and projected); server peak RSS ${peakRssOfPid(s.proc.pid!)} MB`);
} finally {
  await s.stop();
}
