// Projection lag at a sustained rate: batches of 1,000 demo events sent on a fixed schedule
// (default 10,000 events/s) while a poller reads how far the facts are (GET /api/v1/health with
// a key). Lag of a batch = from sending it to the first poll that shows its last log position
// in the facts (so it includes the HTTP append; resolution ~20 ms).
// With --cost N: no server, no clock; N events go through one in-process runtime in batches of
// 1,000, `--burst` batches appended before the follower catches up, and the CPU (DuckDB's threads
// included) of the appends and of the follower's incremental projection is printed per event.
// Usage: node dist/bench/projection-lag.js [--rate 10000] [--seconds 20]
//        node dist/bench/projection-lag.js --cost 100000 [--burst 1]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDemo } from "../src/demo/generate.js";
import { Runtime } from "../src/runtime.js";
import { api, startTestServer } from "../test/helpers/server.js";
import { cpuSeconds, cpuSecondsOfPid, fmt, loadAverage, numberFlag, peakRssMb, peakRssOfPid } from "./util.js";

const cost = numberFlag("cost", 0);
const rate = numberFlag("rate", 10_000);
const seconds = numberFlag("seconds", 20);
const total = cost || rate * seconds;
const events: Record<string, unknown>[] = [];
for (const r of generateDemo({ tickets: Math.ceil(total / 11), seed: 4, endMs: Date.parse("2026-06-30T00:00:00Z") })) {
  events.push(r);
  if (events.length >= total) break;
}
events.sort((a, b) => (a.ts as number) - (b.ts as number));
const bodies: string[] = [];
for (let i = 0; i < events.length; i += 1000) bodies.push(JSON.stringify(events.slice(i, i + 1000)));
if (cost) await measureCost();
else await measureLag();

/** CPU per event of the append and of the follower's incremental projection, in-process. */
async function measureCost(): Promise<void> {
  const burst = numberFlag("burst", 1);
  const dir = mkdtempSync(join(tmpdir(), "deskpulse-cost-"));
  const rt = await Runtime.open(join(dir, "bench.duckdb"));
  try {
    let appendCpu = 0;
    let projectCpu = 0;
    for (let i = 0; i < events.length; i += 1000 * burst) {
      let c = process.cpuUsage();
      let last = 0;
      for (let j = i; j < Math.min(events.length, i + 1000 * burst); j += 1000)
        last = (await rt.ingest("bench", events.slice(j, j + 1000), "api", undefined, { wait: "stored" })).appended_through;
      appendCpu += cpuSeconds(c);
      c = process.cpuUsage();
      await rt.follower.waitFor("bench", last);
      projectCpu += cpuSeconds(c);
    }
    const us = (s: number) => fmt((s * 1e6) / events.length);
    console.log(
      `incremental projection cost (${fmt(events.length)} events, batches of 1,000, ${burst} appended per catch-up): ` +
        `append ${us(appendCpu)} CPU-µs/event, projection ${us(projectCpu)} CPU-µs/event; peak RSS ${peakRssMb()} MB; load average ${loadAverage()}`,
    );
  } finally {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureLag(): Promise<void> {
  const s = await startTestServer();
  try {
    const pending: { pos: number; sent: number }[] = [];
    const lags: number[] = [];
    let done = false;
    const poller = (async () => {
      while (!done || pending.length) {
        const h = (await api(s, s.adminKey, "/api/v1/health")
          .then((r) => r.json())
          .catch(() => null)) as { pipeline: { projected_through: number } } | null;
        const now = performance.now();
        for (let i = pending.length - 1; i >= 0; i--)
          if (h && pending[i].pos > 0 && pending[i].pos <= h.pipeline.projected_through) {
            lags.push(now - pending[i].sent);
            pending.splice(i, 1);
          }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const cpu0 = cpuSecondsOfPid(s.proc.pid!);
    const interval = (1000 * 1000) / rate; // ms between batches of 1,000
    const t0 = performance.now();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < bodies.length; i++) {
      const due = t0 + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const entry = { pos: 0, sent: performance.now() };
      pending.push(entry);
      sends.push(
        fetch(`${s.url}/api/v1/events`, {
          method: "POST",
          body: bodies[i],
          headers: { authorization: `Bearer ${s.adminKey}`, "content-type": "application/json" },
        })
          .then((r) => r.json())
          .then((b) => {
            entry.pos = (b as { appended_through: number }).appended_through;
          }),
      );
    }
    await Promise.all(sends);
    const sentSecs = (performance.now() - t0) / 1000;
    done = true;
    await poller;
    lags.sort((a, b) => a - b);
    const q = (p: number) => Math.round(lags[Math.min(lags.length - 1, Math.floor(p * lags.length))]);
    console.log(
      `projection lag at ${fmt(rate)} events/s offered (${fmt(events.length)} events in ${sentSecs.toFixed(1)} s, batches of 1,000): ` +
        `send → in the facts p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms; server peak RSS ${peakRssOfPid(s.proc.pid!)} MB; server CPU ${(cpuSecondsOfPid(s.proc.pid!) - cpu0).toFixed(1)} s; load average ${loadAverage()}`,
    );
  } finally {
    await s.stop();
  }
}
