// The cost bounds of a metrics request against a real server: four parallel hourly
// customer_retention_rate requests over the demo's six months (what the issue saw take 78 s each),
// answered or cancelled at the deadline, and a request over the cells cap refused before it runs.
// Usage: node dist/bench/request-cost.js [--tickets 5000] [--timeout-ms 10000]
import { api, startTestServer } from "../test/helpers/server.js";
import { fmt, numberFlag, peakRssOfPid } from "./util.js";

const tickets = numberFlag("tickets", 5000);
const timeoutMs = numberFlag("timeout-ms", 10_000);
const s = await startTestServer({ demoTickets: tickets, env: { DESKPULSE_QUERY_TIMEOUT_MS: String(timeoutMs) } });
try {
  const to = new Date().toISOString();
  const from = new Date(Date.now() - 183 * 86_400_000).toISOString();
  const one = async () => {
    const t0 = performance.now();
    const r = await api(s, s.adminKey, "/api/v1/metrics", {
      method: "POST",
      body: JSON.stringify({ metrics: ["customer_retention_rate"], from, to, grain: "hour" }),
    });
    const j = (await r.json()) as { error?: { code: string } };
    return `${r.status}${j.error ? ` ${j.error.code}` : ""} in ${fmt(performance.now() - t0)} ms`;
  };
  const t0 = performance.now();
  const results = await Promise.all([one(), one(), one(), one()]);
  console.log(
    `4 parallel hourly customer_retention_rate over 183 days (${fmt(tickets)} demo tickets, deadline ${fmt(timeoutMs)} ms): ${results.join("; ")}; all done in ${fmt(performance.now() - t0)} ms`,
  );
  const t1 = performance.now();
  const big = await api(s, s.adminKey, "/api/v1/metrics", {
    method: "POST",
    body: JSON.stringify({ metrics: ["customer_retention_rate", "csat"], from: "2016-01-01", to: "2026-01-01", grain: "hour", groupBy: ["channel", "agent"] }),
  });
  console.log(
    `hourly, ten years, two metrics by channel × agent: ${big.status} ${((await big.json()) as { error: { code: string } }).error.code} in ${fmt(performance.now() - t1)} ms`,
  );
  console.log(`server peak RSS ${peakRssOfPid(s.proc.pid!)} MB; health afterwards ${(await fetch(`${s.url}/api/v1/health`)).status}`);
} finally {
  await s.stop();
}
