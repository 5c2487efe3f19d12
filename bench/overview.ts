// The dashboard overview request — every catalog metric, 12 monthly buckets, grouped by channel,
// exact medians and p90 — over N generated tickets, and the same ticket numbers by the simplest
// hand-written DuckDB SQL. Usage: node dist/bench/overview.js [--tickets 1000000]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultSettings } from "../src/config/settings.js";
import { CATALOG } from "../src/metrics/catalog.js";
import { runMetrics } from "../src/metrics/compiler.js";
import { openDuckDbStore } from "../src/store/duckdb/duckdb-store.js";
import { generateTicketFacts } from "./ticket-facts.js";
import { fmt, numberFlag, peakRssMb } from "./util.js";

const tickets = numberFlag("tickets", 1_000_000);
const dir = mkdtempSync(join(tmpdir(), "dp-bench-overview-"));
const store = await openDuckDbStore({ path: join(dir, "o.duckdb") });
const Y = Date.parse("2025-07-01T00:00:00Z");
const YEAR = 365 * 86_400_000;
const t0 = performance.now();
await generateTicketFacts(store, tickets, Y, YEAR);
console.log(`generated ${fmt(tickets)} ticket facts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const settings = defaultSettings();
const base = { from: "2025-07-01", to: "2026-07-01", grain: "month" as const, groupBy: ["channel"], percentiles: [50, 90] };

async function time(label: string, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await fn();
    runs.push(performance.now() - t);
  }
  const best = Math.min(...runs);
  console.log(`${label}: ${(best / 1000).toFixed(3)} s (best of 3)`);
  return best;
}

const all = CATALOG.filter((m) => !["preferred_channel", "cases_by_topic"].includes(m.id)).map((m) => m.id);
await time(`overview, all ${all.length} catalog metrics × 12 months × channel`, () => runMetrics(store, "w", settings, { ...base, metrics: all }));
// The ticket-fact subset: 3 durations (mean, median, p90) and 4 rates, as the hand-written query computes them.
const subset = ["first_response_time", "resolution_time.first", "resolution_time.full", "first_contact_resolution", "reopen_rate", "sla_compliance.first_reply", "bot_containment"];
const ours = await time("compiler, 3 durations + 4 rates", () => runMetrics(store, "w", settings, { ...base, metrics: subset }));
const month = (col: string) => `epoch_ms(timezone('UTC', date_trunc('month', timezone('UTC', make_timestamptz(${col} * 1000)))))`;
const hand = await time("hand-written DuckDB SQL, same numbers", () =>
  Promise.all([
    store.query(`SELECT ${month("first_reply_at")} b, channel, avg(frt_s), quantile_cont(frt_s, 0.5), quantile_cont(frt_s, 0.9) FROM ticket_facts WHERE workspace='w' AND first_reply_at >= ${Y} AND first_reply_at < ${Y + YEAR} GROUP BY ALL`),
    store.query(`SELECT ${month("first_solved_at")} b, channel, avg(res_first_s), quantile_cont(res_first_s, 0.5), quantile_cont(res_first_s, 0.9),
      avg(fcr::INT) FILTER (WHERE fcr_eligible), avg((reopens > 0)::INT) FROM ticket_facts WHERE workspace='w' AND first_solved_at >= ${Y} AND first_solved_at < ${Y + YEAR} GROUP BY ALL`),
    store.query(`SELECT ${month("last_solved_at")} b, channel, avg(res_full_s), quantile_cont(res_full_s, 0.5), quantile_cont(res_full_s, 0.9) FROM ticket_facts WHERE workspace='w' AND last_solved_at >= ${Y} AND last_solved_at < ${Y + YEAR} GROUP BY ALL`),
    store.query(`SELECT ${month("first_reply_at")} b, channel, avg(sla_frt_met::INT) FROM ticket_facts WHERE workspace='w' AND first_reply_at >= ${Y} AND first_reply_at < ${Y + YEAR} AND sla_frt_met IS NOT NULL GROUP BY ALL`),
    store.query(`SELECT ${month("created_at")} b, channel, avg(bot_resolved::INT) FROM ticket_facts WHERE workspace='w' AND created_at >= ${Y} AND created_at < ${Y + YEAR} AND bot_handled GROUP BY ALL`),
  ]),
);
console.log(`ratio compiler / hand-written: ${(ours / hand).toFixed(2)}× (target ≤ 1.5×); peak RSS ${peakRssMb()} MB`);
await store.close();
rmSync(dir, { recursive: true, force: true });
