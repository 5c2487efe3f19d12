// The 7 ticket metrics of the overview on ClickHouse at 10 M tickets: the compiler's SQL against
// plain ClickHouse SQL, on two shards (Debian's 18.16, two servers behind Distributed tables), one
// shard (plain MergeTree on the first server) and chdb (ClickHouse 26.x in process, what users
// deploy). Both servers share this machine's cores, so two shards show the cost of the
// distributed plan, not a second machine's gain. The facts are generated inside ClickHouse.
// Usage: node dist/bench/clickhouse.js [--tickets 10000000] [--cluster 0] [--one-shard 0] [--chdb 0] [--overview 0] [--at-once 1]
import assert from "node:assert/strict";
import { createClient } from "@clickhouse/client";
import { defaultSettings } from "../src/config/settings.js";
import { generateDemo } from "../src/demo/generate.js";
import type { DeskEvent } from "../src/events/types.js";
import { validateEvent } from "../src/events/validate.js";
import { CATALOG } from "../src/metrics/catalog.js";
import { runMetrics } from "../src/metrics/compiler.js";
import type { MetricRequest } from "../src/metrics/request.js";
import { openClickHouseStore } from "../src/store/clickhouse/index.js";
import type { Row } from "../src/store/schema.js";
import type { Store } from "../src/store/store.js";
import { openChdb } from "../test/helpers/chdb.js";
import { startCluster } from "../test/helpers/clickhouse-cluster.js";
import { cpuSeconds, cpuSecondsOfPid, fmt, loadAverage, numberFlag, peakRssMb, peakRssOfPid } from "./util.js";

const tickets = numberFlag("tickets", 10_000_000);
const withChdb = numberFlag("chdb", 1) !== 0;
const withCluster = numberFlag("cluster", 1) !== 0;
const withOneShard = numberFlag("one-shard", 1) !== 0;
const withOverview = numberFlag("overview", 1) !== 0;
/** also time the 5 plain queries sent at once (both cores of one server on 18.16, which runs a query on one thread here) */
const withAtOnce = numberFlag("at-once", 0) !== 0;
const ZONES = ["UTC", "Europe/London", "Asia/Tehran"];
const Y = Date.parse("2025-07-01T00:00:00Z");
const YEAR = 365 * 86_400_000;
const PROGRESS = { send_progress_in_http_headers: 1, http_headers_progress_interval_ms: "110000" } as never;

/**
 * `INSERT … SELECT` of `tickets` ticket facts from `numbers()`, hash-derived with the same
 * distributions as bench/ticket-facts.ts (DuckDB's): one year, five channels, ~85% replied, ~80%
 * solved. `where` keeps one shard's rows (by the Distributed table's sharding key), so each
 * server writes its own local table and nothing crosses the network.
 */
function ticketFactsSql(target: string, tickets: number, where = "1"): string {
  const h = (k: number) => `intHash64(i + ${k})`;
  return `INSERT INTO ${target} (workspace, ticket_id, created_at, channel, priority, team_id, agent_id, topic, status, is_open,
    first_reply_at, frt_s, frt_bs, first_solved_at, last_solved_at, res_first_s, res_first_bs, res_full_s, res_full_bs, reopens, transfers,
    agent_replies, fcr, fcr_eligible, sla_policy, sla_frt_met, sla_res_met, sla_nrt_met_n, sla_nrt_n, channel_target_met, bot_handled, bot_resolved, sla_frt_due_at, sla_frt_at)
  SELECT 'w', id, c, ['email','chat','phone','web','social'][1 + ${h(0)} % 5], ['low','normal','high','urgent'][1 + ${h(1)} % 4],
    concat('t', toString(${h(2)} % 4)), concat('a', toString(${h(3)} % 25)), concat('topic', toString(${h(4)} % 10)), if(s, 'solved', 'open'), toUInt8(NOT s),
    if(r, c + toInt64(frt * 1000), NULL), if(r, frt, NULL), if(r, frt * 0.4, NULL),
    if(s, c + toInt64(res * 1000), NULL), if(s, c + toInt64(res * 1100), NULL), if(s, res, NULL), if(s, res * 0.4, NULL),
    if(s, res * 1.1, NULL), if(s, res * 0.45, NULL), toInt64(${h(5)} % 12 = 0), toInt64(${h(6)} % 9 = 0), toInt64(1 + ${h(7)} % 4),
    s AND ${h(8)} % 2 = 0, s, 'standard', if(r, frt < 14400, NULL), if(s, res < 86400, NULL), toInt64(0), toInt64(0),
    if(r, frt < 3600, NULL), ${h(9)} % 5 = 0, ${h(9)} % 15 = 0, c + 14400000, if(r, c + toInt64(frt * 1000), c + 14400000)
  FROM (SELECT number AS i, concat('T', toString(i)) AS id, toInt64(${Y} + ${h(10)} % ${YEAR}) AS c, ${h(11)} % 100 < 85 AS r,
    ${h(12)} % 100 < 80 AS s, toFloat64(60 + ${h(13)} % 36000) AS frt, toFloat64(600 + ${h(14)} % 300000) AS res
    FROM numbers(${tickets}) WHERE ${where})`;
}

/** R-7 of the sorted values `a` (a WITH alias) at level p, by hand: ClickHouse before 20.1 has no function for it. */
const r7 = (a: string, p: number) => {
  const h = `((length(${a}) - 1) * ${p})`;
  return `${a}[toUInt64(floor(${h})) + 1] + (${h} - floor(${h})) * (${a}[toUInt64(floor(${h})) + 2] - ${a}[toUInt64(floor(${h})) + 1])`;
};

/**
 * The same 7 numbers by plain ClickHouse SQL, as an expert would write them: UTC months with
 * toStartOfMonth, one query per time column (the SLA is attributed at `sla_frt_at`, as the
 * catalog does), exact R-7 percentiles — `quantilesExactInclusive` where the server has it,
 * else sorting the gathered values once and interpolating (18.16's `quantileExact` is the
 * nearest rank, another number). Answers keyed `metric|bucket|channel`.
 */
function plainQueries(current: boolean): { sql: string; read(rows: Row[], out: Map<string, Answer>): void }[] {
  const month = (col: string) => `toStartOfMonth(toDateTime(intDiv(${col}, 1000), 'UTC'))`;
  const q = (col: string, aggs: string, pct?: string) =>
    `${pct && !current ? `WITH arraySort(groupArray(${pct})) AS a ` : ""}SELECT ${month(col)} AS b, channel, ${aggs}${
      pct
        ? `, ${current ? `quantilesExactInclusive(0.5, 0.9)(${pct}) AS qs, qs[1] AS q50, qs[2] AS q90` : `${r7("a", 0.5)} AS q50, ${r7("a", 0.9)} AS q90`}`
        : ""
    } FROM ticket_facts WHERE workspace = 'w' AND ${col} >= ${Y} AND ${col} < ${Y + YEAR} GROUP BY b, channel`;
  const put = (out: Map<string, Answer>, metric: string, r: Row, a: Answer) => {
    if (a.count > 0) out.set(`${metric}|${new Date(`${r.b}T00:00:00Z`).toISOString()}|${r.channel}`, a);
  };
  const duration = (metric: string) => (r: Row, out: Map<string, Answer>) =>
    put(out, metric, r, { count: Number(r.n), value: Number(r.mean), median: Number(r.q50), p90: Number(r.q90) });
  const rate = (metric: string, num: string, den: string) => (r: Row, out: Map<string, Answer>) =>
    put(out, metric, r, { count: Number(r[den]), value: (100 * Number(r[num])) / Number(r[den]) });
  return [
    {
      sql: q("first_reply_at", "count(frt_s) AS n, avg(frt_s) AS mean", "frt_s"),
      read: (rows, out) => {
        for (const r of rows) duration("first_response_time")(r, out);
      },
    },
    {
      sql: q(
        "first_solved_at",
        "count(res_first_s) AS n, avg(res_first_s) AS mean, countIf(fcr_eligible AND fcr) AS fcr_n, countIf(fcr_eligible) AS fcr_d, countIf(reopens > 0) AS re_n, count() AS re_d",
        "res_first_s",
      ),
      read: (rows, out) => {
        for (const r of rows) {
          duration("resolution_time.first")(r, out);
          rate("first_contact_resolution", "fcr_n", "fcr_d")(r, out);
          rate("reopen_rate", "re_n", "re_d")(r, out);
        }
      },
    },
    {
      sql: q("last_solved_at", "count(res_full_s) AS n, avg(res_full_s) AS mean", "res_full_s"),
      read: (rows, out) => {
        for (const r of rows) duration("resolution_time.full")(r, out);
      },
    },
    {
      sql: q("sla_frt_at", `countIf(sla_frt_met = 1) AS met, countIf(sla_frt_met IS NOT NULL OR (is_open AND sla_frt_due_at <= ${Date.now()})) AS due`),
      read: (rows, out) => {
        for (const r of rows) rate("sla_compliance.first_reply", "met", "due")(r, out);
      },
    },
    {
      sql: q("created_at", "countIf(bot_handled AND bot_resolved) AS bot_n, countIf(bot_handled) AS bot_d"),
      read: (rows, out) => {
        for (const r of rows) rate("bot_containment", "bot_n", "bot_d")(r, out);
      },
    },
  ];
}

interface Answer {
  count: number;
  value: number;
  median?: number;
  p90?: number;
}

const base = { from: "2025-07-01", to: "2026-07-01", grain: "month" as const, groupBy: ["channel"], percentiles: [50, 90] };
const seven: MetricRequest = {
  ...base,
  metrics: [
    "first_response_time",
    "resolution_time.first",
    "resolution_time.full",
    "first_contact_resolution",
    "reopen_rate",
    "sla_compliance.first_reply",
    "bot_containment",
  ],
};
// the dashboard overview: every catalog metric (as bench/overview.ts); only ticket facts hold rows here
const overview: MetricRequest = { ...base, metrics: CATALOG.filter((m) => !["preferred_channel", "cases_by_topic"].includes(m.id)).map((m) => m.id) };
const settings = defaultSettings();
const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** A benchmark of wrong answers is worthless: the compiler's UTC answers must be the plain SQL's. */
function assertSame(rows: Awaited<ReturnType<typeof runMetrics>>["rows"], plain: Map<string, Answer>, where: string) {
  const close = (a: number | null | undefined, b: number | undefined, what: string) =>
    assert.ok(a != null && b !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${where}: ${what}: compiler ${a}, plain SQL ${b}`);
  assert.equal(rows.length, plain.size, `${where}: ${rows.length} answers from the compiler, ${plain.size} from plain SQL`);
  for (const r of rows) {
    const key = `${r.metric}|${r.bucket}|${r.group?.channel}`;
    const p = plain.get(key);
    assert.ok(p, `${where}: no plain answer for ${key}`);
    assert.equal(r.count, p.count, `${where}: ${key} count`);
    close(r.value, p.value, `${key} value`);
    if (p.median !== undefined) close(r.median as number, p.median, `${key} median`);
    if (p.p90 !== undefined) close(r.p90 as number, p.p90, `${key} p90`);
  }
}

/**
 * Plain SQL and the compiler (UTC, Europe/London, Asia/Tehran) on one store, interleaved, best of
 * 3: wall time and the CPU time of the database (`cpu`: its servers' or this process's seconds).
 * The plain queries run one after another, as the compiler's scans do; at once, for reference.
 */
async function compare(name: string, store: Pick<Store, "query">, current: boolean, cpu: () => number) {
  const plain = plainQueries(current);
  const runPlain = async () => {
    const out = new Map<string, Answer>();
    for (const q of plain) q.read(await store.query<Row>(q.sql), out);
    return out;
  };
  const atOnce = async () => {
    const out = new Map<string, Answer>();
    const all = await Promise.all(plain.map((q) => store.query<Row>(q.sql)));
    for (const [i, q] of plain.entries()) q.read(all[i], out);
    return out;
  };
  const ours = (timezone: string) => () => runMetrics(store as Store, "w", { ...settings, timezone }, seven);
  assertSame((await ours("UTC")()).rows, await runPlain(), name);
  if (withAtOnce) assertSame((await ours("UTC")()).rows, await atOnce(), name);
  const runs: [string, () => Promise<unknown>][] = [
    ["plain SQL", runPlain],
    ...(withAtOnce ? ([["plain SQL, 5 queries at once", atOnce]] as [string, () => Promise<unknown>][]) : []),
    ...ZONES.map((z) => [`compiler, ${z}`, ours(z)] as [string, () => Promise<unknown>]),
  ];
  const best = runs.map(() => ({ wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY }));
  for (let i = 0; i < 3; i++)
    for (const [j, [, fn]] of runs.entries()) {
      const [t, c] = [performance.now(), cpu()];
      await fn();
      best[j] = { wall: Math.min(best[j].wall, performance.now() - t), cpu: Math.min(best[j].cpu, (cpu() - c) * 1000) };
    }
  console.log(`7 ticket metrics × 12 months × channel, median and p90, ${fmt(tickets)} tickets, on ${name} (best of 3, interleaved; load ${loadAverage()}):`);
  for (const [j, [label]] of runs.entries())
    console.log(
      `  ${label}: ${s(best[j].wall)} (database CPU ${s(best[j].cpu)})${label.startsWith("compiler") ? ` → ${(best[j].wall / best[0].wall).toFixed(2)}× wall, ${(best[j].cpu / best[0].cpu).toFixed(2)}× CPU of plain SQL` : ""}`,
    );
  if (withOverview) {
    // once: the seven's runs above have warmed the same columns
    const [t, c] = [performance.now(), cpu()];
    await runMetrics(store as Store, "w", settings, overview);
    console.log(
      `  overview (all ${overview.metrics.length} catalog metrics, UTC) by the compiler: ${s(performance.now() - t)} (database CPU ${s((cpu() - c) * 1000)})`,
    );
  }
}

console.log(`load average at start: ${loadAverage()}`);
if (withCluster) {
  const cluster = await startCluster({ shards: 2 });
  try {
    const two = await openClickHouseStore({ url: cluster.url });
    // "one shard": plain MergeTree tables on the first server, no Distributed layer
    const one = await openClickHouseStore({ url: `clickhouse://127.0.0.1:${cluster.httpPorts[0]}/deskpulse_one` });
    // SQL on node k without fetch's 300 s wait for an answer (a 10 M insert on a loaded machine takes longer)
    const longSql = async (k: number, query: string) => {
      const c = createClient({ url: `http://127.0.0.1:${cluster.httpPorts[k]}`, request_timeout: 3_600_000, clickhouse_settings: PROGRESS });
      try {
        await c.command({ query });
      } finally {
        await c.close();
      }
    };
    const serverCpu = () => cluster.pids.reduce((sum, p) => sum + cpuSecondsOfPid(p), 0);
    try {
      for (const [label, make] of [
        // each server fills its own shard (the Distributed table's sharding key), both at once
        [
          "two shards",
          () =>
            Promise.all(cluster.httpPorts.map((_, k) => longSql(k, ticketFactsSql("deskpulse.ticket_facts_local", tickets, `cityHash64('w', id) % 2 = ${k}`)))),
        ],
        ["one shard", () => longSql(0, ticketFactsSql("deskpulse_one.ticket_facts", tickets))],
      ] as const) {
        if (label === "one shard" && !withOneShard) continue;
        const [t, c] = [performance.now(), serverCpu()];
        await make();
        console.log(
          `generated ${fmt(tickets)} ticket facts inside ClickHouse (${label}, INSERT … SELECT FROM numbers): ${s(performance.now() - t)} (server CPU ${(serverCpu() - c).toFixed(1)} s)`,
        );
      }
      const [n] = await two.query<{ n: number }>("SELECT count() AS n FROM ticket_facts");
      assert.equal(Number(n.n), tickets);
      // let the background merges of the new parts finish before timing reads
      for (let i = 0; i < 240; i++) {
        const busy = await Promise.all(cluster.httpPorts.map((_, k) => cluster.sql(k, "SELECT count() FROM system.merges")));
        if (busy.every((b) => Number(b) === 0)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      await compare("ClickHouse 18.16, two shards", two, false, serverCpu);
      if (withOneShard) await compare("ClickHouse 18.16, one shard", one, false, serverCpu);
      // Event ingest into the cluster through the store's idempotent append (the API and import path).
      const events: DeskEvent[] = [];
      for (const r of generateDemo({ tickets: 20_000, seed: 9 })) {
        const v = validateEvent(r, 0);
        if (v.ok) events.push(v.event);
      }
      const t0 = performance.now();
      for (let i = 0; i < events.length; i += 20_000) await two.appendEvents("ingest", events.slice(i, i + 20_000), Date.now());
      console.log(
        `event ingest into the two-shard cluster: ${fmt(events.length / ((performance.now() - t0) / 1000))} events/s (${fmt(events.length)} events, batches of 20,000)`,
      );
      console.log(`peak RSS of the servers: ${cluster.pids.map((p) => `${fmt(peakRssOfPid(p))} MB`).join(", ")}`);
    } finally {
      await one.close();
      await two.close();
    }
  } finally {
    await cluster.stop();
  }
}
if (withChdb) {
  const ch = openChdb();
  try {
    const c = process.cpuUsage();
    const t = performance.now();
    await ch.query(ticketFactsSql("deskpulse.ticket_facts", tickets));
    console.log(`generated ${fmt(tickets)} ticket facts inside chdb: ${s(performance.now() - t)} (CPU ${cpuSeconds(c).toFixed(1)} s)`);
    await compare("chdb (ClickHouse 26.x in process)", ch, true, () => cpuSeconds());
    console.log(`peak RSS of this process (chdb in it): ${fmt(peakRssMb())} MB`);
  } finally {
    ch.close();
  }
}
console.log(`load average at end: ${loadAverage()}`);
