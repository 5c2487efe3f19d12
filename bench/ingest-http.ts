// HTTP ingest over loopback: batches of 1,000 demo events to POST /api/v1/events from several
// clients, each answered once the batch is in the log (projection follows behind). Prints events/s
// acknowledged, the acknowledgement latency per batch, and how long projection took to catch up.
// Usage: node dist/bench/ingest-http.js [--tickets 20000] [--concurrency 8]
import { generateDemo } from "../src/demo/generate.js";
import { api, startTestServer } from "../test/helpers/server.js";
import { cpuSecondsOfPid, fmt, loadAverage, numberFlag, peakRssOfPid } from "./util.js";

const tickets = numberFlag("tickets", 20_000);
const concurrency = numberFlag("concurrency", 8);
const events = [...generateDemo({ tickets, seed: 2, endMs: Date.parse("2026-06-30T00:00:00Z") })];
// Arrival order of a live system: by time.
events.sort((a, b) => (a.ts as number) - (b.ts as number));
const bodies: string[] = [];
for (let i = 0; i < events.length; i += 1000) bodies.push(JSON.stringify(events.slice(i, i + 1000)));
const s = await startTestServer();
try {
  let next = 0;
  let stored = 0;
  let retries = 0;
  const latencies: number[] = [];
  const cpu0 = cpuSecondsOfPid(s.proc.pid!);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const t = performance.now();
        for (;;) {
          try {
            const r = await fetch(`${s.url}/api/v1/events`, {
              method: "POST",
              body,
              headers: { authorization: `Bearer ${s.adminKey}`, "content-type": "application/json" },
            });
            stored += ((await r.json()) as { stored: number }).stored;
            break;
          } catch {
            // a connection reset (the server closed a kept-alive socket): send the batch again, as a client would
            retries++;
          }
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const ackCpu = cpuSecondsOfPid(s.proc.pid!) - cpu0;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
  for (;;) {
    const h = (await api(s, s.adminKey, "/api/v1/health")
      .then((r) => r.json())
      .catch(() => null)) as { pipeline: { lag_events: number } } | null;
    if (h?.pipeline.lag_events === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const caught = (performance.now() - t0) / 1000;
  const allCpu = cpuSecondsOfPid(s.proc.pid!) - cpu0;
  console.log(
    `HTTP ingest (batches of 1,000, ${concurrency} clients, answered once in the log): ${fmt(stored / secs)} events/s acknowledged (${fmt(stored)} events in ${secs.toFixed(1)} s); ` +
      `ack latency p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms; facts caught up ${caught.toFixed(1)} s after the start (${fmt(stored / caught)} events/s projected); ${retries} batches resent after a connection reset; server peak RSS ${peakRssOfPid(s.proc.pid!)} MB; ` +
      `server CPU ${ackCpu.toFixed(1)} s until the last ack (${fmt(stored / ackCpu)} events per CPU-second), ${allCpu.toFixed(1)} s until caught up; load average ${loadAverage()}`,
  );
} finally {
  await s.stop();
}
