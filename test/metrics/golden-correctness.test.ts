import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { isUserError } from "../../src/errors/user-error.js";
import { METRICS } from "../../src/metrics/catalog.js";
import { runMetrics } from "../../src/metrics/compiler.js";
import { drilldown } from "../../src/metrics/drilldown.js";
import type { MetricRequest } from "../../src/metrics/request.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { goldenWorkspace } from "./golden-workspace.js";

// Numbers you can trust: impossible durations left out and counted, percentiles always there,
// SLA breaches where they fall due (as the live tile says), ranges in the workspace's zone.
let n = 0;
const e = (type: string, ts: string | number, ticket_id: string, extra: Record<string, unknown> = {}) => ({ id: `g${n++}`, type, ts, ticket_id, ...extra });
const reply = (t: string, ts: string | number) => e("message.created", ts, t, { author_type: "agent", agent_id: "a1", public: true });
const solve = (t: string, ts: string, extra: Record<string, unknown> = {}) => e("ticket.status_changed", ts, t, { status: "solved", ...extra });
const EVENTS = [
  // G1: clean — first reply after 1 h, solved after 3 h
  e("ticket.created", "2026-03-02T09:00:00Z", "G1", { topic: "billing" }),
  reply("G1", "2026-03-02T10:00:00Z"),
  solve("G1", "2026-03-02T12:00:00Z"),
  // G2: solved an hour before it was created (a −3,600 s resolution)
  e("ticket.created", "2026-03-02T10:00:00Z", "G2"),
  solve("G2", "2026-03-02T09:00:00Z"),
  // G3: an agent reply half an hour before the ticket exists (a −1,800 s first response)
  e("ticket.created", "2026-03-02T10:00:00Z", "G3"),
  reply("G3", "2026-03-02T09:30:00Z"),
  // G4: "Solved" with no solved time (a ticket-rows export): solved, but when is unknown
  e("ticket.created", "2026-03-03T09:00:00Z", "G4"),
  reply("G4", "2026-03-03T09:30:00Z"),
  solve("G4", "2026-03-03T09:00:00Z", { time_unknown: true }),
  // G5 merged into G1, G6 deleted as spam
  e("ticket.created", "2026-03-04T09:00:00Z", "G5"),
  e("ticket.merged", "2026-03-04T10:00:00Z", "G5", { into_ticket_id: "G1" }),
  e("ticket.created", "2026-03-04T09:00:00Z", "G6"),
  e("ticket.deleted", "2026-03-04T09:05:00Z", "G6"),
];

describe("golden metrics: numbers you can trust", () => {
  const { ws, run } = goldenWorkspace(EVENTS);
  const refused = async (req: Partial<MetricRequest>, code: string, message: RegExp) =>
    assert.rejects(run(req), (err: unknown) => isUserError(err) && err.code === code && message.test(err.message) && err.status < 500);

  it("every impossible duration is left out of the metric it would distort, and counted in its excluded", async () => {
    const rows = await run({ metrics: ["first_response_time", "average_response_time", "resolution_time", "ticket_volume", "tickets_solved"] });
    const by = Object.fromEntries(rows.map((r) => [r.metric, r]));
    // FRT: G1 3,600 s and G4 1,800 s (its reply is fine; only its solve time is unknown); G3 left out
    assert.deepEqual([by.first_response_time.count, by.first_response_time.mean, by.first_response_time.excluded], [2, 2700, 1]);
    // responses: G1 3,600, G4 1,800; G3's negative response left out
    assert.deepEqual([by.average_response_time.count, by.average_response_time.mean, by.average_response_time.excluded], [2, 2700, 1]);
    // resolution: G1 10,800 s only; G2 (solved before created) and G4 (unknown solve time) left out
    assert.deepEqual([by.resolution_time.count, by.resolution_time.mean, by.resolution_time.excluded], [1, 10800, 2]);
    // volume: G1, G4; G2 and G3 (impossible times), G5 (merged), G6 (deleted) left out
    assert.deepEqual([by.ticket_volume.value, by.ticket_volume.excluded], [2, 4]);
    // solved: G1; G2 and G4 left out
    assert.deepEqual([by.tickets_solved.count, by.tickets_solved.excluded], [1, 2]);
  });

  it("no duration metric shows a negative number, whatever the grouping", async () => {
    const durations = [...METRICS.values()].filter((m) => m.agg.kind === "duration" && !m.multiQuery).map((m) => m.id);
    for (const groupBy of [[], ["channel"]])
      for (const r of await run({ metrics: durations, groupBy, grain: "day" }))
        for (const k of ["value", "mean", "median", "p90"] as const)
          assert.ok(r[k] === null || r[k] === undefined || (r[k] as number) >= 0, `${r.metric} ${k} = ${r[k]}`);
  });

  it("every duration row carries count, mean, median and p90, plus the percentiles asked for", async () => {
    const keys = async (percentiles: number[] | undefined, metric = "first_response_time", from = "2026-03-01") => {
      const [r] = await run({ metrics: [metric], percentiles, from });
      return Object.keys(r)
        .filter((k) => ["count", "mean", "median"].includes(k) || /^p\d/.test(k))
        .sort();
    };
    assert.deepEqual(await keys([90]), ["count", "mean", "median", "p90"]);
    assert.deepEqual(await keys([]), ["count", "mean", "median", "p90"]);
    assert.deepEqual(await keys([75, 99]), ["count", "mean", "median", "p75", "p90", "p99"]);
    // nothing in the range: still named, as null
    const [empty] = await run({ metrics: ["first_response_time"], from: "2025-01-01", to: "2025-02-01", percentiles: [95] });
    assert.deepEqual([empty.count, empty.mean, empty.median, empty.p90, empty.p95], [0, null, null, null, null]);
    // G1 3,600 and G4 1,800: median 2,700
    const [frt] = await run({ metrics: ["first_response_time"], percentiles: [90] });
    assert.equal(frt.median, 2700);
  });

  it("the backlog drill-down lists the unresolved tickets at the range's end (merged and deleted ones are gone)", async () => {
    const [b] = await run({ metrics: ["backlog"] });
    assert.equal(b.value, 1);
    const d = await drilldown(ws.rt.store, "w", ws.settings, { metric: "backlog", from: "2026-03-01", to: "2026-04-01" });
    assert.deepEqual([d.total, d.items.map((i) => i.ticket_id)], [1, ["G3"]]);
  });

  it("drill-downs list what the number counted: flagged records are not behind it", async () => {
    const d = await drilldown(ws.rt.store, "w", ws.settings, { metric: "resolution_time", from: "2026-03-01", to: "2026-04-01" });
    assert.deepEqual(
      d.items.map((i) => [i.ticket_id, i.res_first_s]),
      [["G1", 10800]],
    );
  });

  it("ranges are [from, to), dates are local midnights of the workspace zone; ambiguous or impossible dates are refused", async () => {
    // Tehran is +03:30: 21:00Z on 1 March is 00:30 on 2 March there
    await ws.rt.ingest("teh", [e("ticket.created", "2026-03-01T21:00:00Z", "Z1"), e("ticket.created", "2026-03-02T21:00:00Z", "Z2")], "test");
    const teh = await ws.rt.saveSettings("teh", { timezone: "Asia/Tehran" });
    const rows = await run({ metrics: ["ticket_volume"], from: "2026-03-02", to: "2026-03-03", grain: "day" }, teh, "teh");
    assert.deepEqual(
      rows.map((r) => [r.bucket, r.value]),
      [["2026-03-01T20:30:00.000Z", 1]],
    );
    await refused({ metrics: ["ticket_volume"], from: "01/10/2026" }, "invalid_date", /"from" must be an ISO 8601 date/);
    await refused({ metrics: ["ticket_volume"], to: "2026-02-30" }, "invalid_date", /"to" is not a real date/);
    await refused({ metrics: ["ticket_volume"], to: "2026-03-31T24:00:00Z" }, "invalid_date", /not a real date/);
  });

  it("hourly buckets past 10,000 are an error with a hint, not a silent cut", async () => {
    // 2020-01-01 → 2021-03-01: 10,224 hours
    await refused(
      { metrics: ["ticket_volume"], from: "2020-01-01", to: "2021-03-01", grain: "hour" },
      "too_many_buckets",
      /more than 10,000 buckets; use a shorter range or "grain": "day"/,
    );
    const days = await run({ metrics: ["ticket_volume"], from: "2020-01-01", to: "2021-03-01", grain: "day" });
    assert.ok(Array.isArray(days));
  });

  it("cases by topic compares a partial month with a full one per day, and says it is partial", async () => {
    const days = Array.from({ length: 33 }, (_, i) => new Date(Date.UTC(2026, 0, 27 + i, 10)).toISOString());
    await ws.rt.ingest(
      "topics",
      days.map((d, i) => e("ticket.created", d, `TP${i}`, { topic: "billing" })),
      "test",
    );
    const s = await ws.rt.settings("topics");
    const rows = await run({ metrics: ["cases_by_topic"], from: "2026-01-27", to: "2026-03-01", grain: "month" }, s, "topics");
    // January: 27–31, 5 tickets in 5 days (partial); February: 28 in 28 days → same rate, 0 % (not +460 %)
    assert.deepEqual(
      rows.map((r) => [r.bucket, r.value, r.partial ?? false, r.change_pct ?? null, r.change_basis ?? null]),
      [
        ["2026-01-01T00:00:00.000Z", 5, true, null, null],
        ["2026-02-01T00:00:00.000Z", 28, false, 0, "per_day"],
      ],
    );
  });
});

describe("golden metrics: an SLA target open past its due time is breached, as the live tile says", () => {
  let rt: Runtime;
  before(async () => {
    rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
    await rt.saveSettings("sla", { sla_policies: [{ name: "p", first_reply_s: 3600, resolution_s: 30 * 86_400, clock: "calendar", pause_statuses: [] }] });
    const now = Date.now();
    const M = 60_000;
    await rt.ingest(
      "sla",
      [
        // S1: open 2 h, no reply: its 1 h target ran out an hour ago → breached
        e("ticket.created", now - 120 * M, "S1"),
        // S2: open 10 min: not due yet → not counted
        e("ticket.created", now - 10 * M, "S2"),
        // S3: replied after 30 min → met
        e("ticket.created", now - 180 * M, "S3"),
        reply("S3", now - 150 * M),
      ],
      "test",
    );
  });
  after(() => rt.close());

  it("the metric counts S1 as breached in the period it fell due, and the live tile says the same", async () => {
    const settings = await rt.settings("sla");
    const day = 86_400_000;
    const range = { from: new Date(Date.now() - day).toISOString(), to: new Date(Date.now() + day).toISOString() };
    const [m] = (await runMetrics(rt.store, "sla", settings, { metrics: ["sla_compliance.first_reply"], ...range })).rows;
    assert.deepEqual([m.numerator, m.denominator, m.value], [1, 2, 50]);
    const live = await rt.live.snapshot("sla");
    assert.equal(live.sla_breached, 1);
    // the breach is placed at its due time (an hour ago), not at the ticket's creation
    const d = await drilldown(rt.store, "sla", settings, { metric: "sla_compliance.first_reply", ...range });
    assert.deepEqual(d.items.map((i) => [i.ticket_id, i.in_numerator]).sort(), [
      ["S1", 0],
      ["S3", 1],
    ]);
  });
});
