import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { defaultSettings } from "../../src/config/settings.js";
import { saveSettings, settingsRow } from "../../src/config/settings-store.js";
import { generateDemo } from "../../src/demo/generate.js";
import { validateEvent } from "../../src/events/validate.js";
import { type MetricRow, runMetrics } from "../../src/metrics/compiler.js";
import { METRICS } from "../../src/metrics/catalog.js";
import type { MetricRequest } from "../../src/metrics/request.js";
import { binValue, rollable } from "../../src/rollups/ticket-rollup.js";
import { rebuildRollups, ticketRollups } from "../../src/rollups/maintain.js";
import { HEADLINE_METRICS } from "../../src/metrics/headline.js";
import { overviewRequests } from "../../src/rollups/overview.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { type Row, table } from "../../src/store/schema.js";
import type { Store } from "../../src/store/store.js";

const ZONES = ["UTC", "Europe/London", "Asia/Tehran", "America/Havana"];
const ROLLED = [...METRICS.values()].filter(rollable).map((m) => m.id);
const DAY = 86_400_000;
const START = Date.UTC(2025, 9, 20); // two autumn and one spring DST change inside (London, Havana)
const SPAN = 200 * DAY;

/** Equal, numbers to the last few bits (sums of floats added in another order), inside objects too (the previous period's). */
function close(u: unknown, v: unknown): boolean {
  if (typeof u === "number" && typeof v === "number") return Math.abs(u - v) <= 1e-9 * Math.max(1, Math.abs(v));
  if (u && v && typeof u === "object" && typeof v === "object") {
    const [a, b] = [u as Record<string, unknown>, v as Record<string, unknown>];
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => close(a[k], b[k]));
  }
  return u === v;
}

/** Same rows and numbers; sketched percentiles (median, p90) within the stated 1 %. */
function assertSame(rolled: MetricRow[], raw: MetricRow[], what: string): void {
  const key = (x: MetricRow) => `${x.metric}|${x.bucket}|${JSON.stringify(x.group ?? {})}`;
  assert.deepEqual(rolled.map(key).sort(), raw.map(key).sort(), `${what}: the same rows`);
  const byKey = new Map(raw.map((x) => [key(x), x]));
  for (const x of rolled) {
    const y = byKey.get(key(x))!;
    for (const f of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const [u, v] = [x[f as keyof MetricRow], y[f as keyof MetricRow]];
      if ((f === "median" || f === "p90") && typeof u === "number" && typeof v === "number")
        assert.ok(Math.abs(u - v) <= 0.01 * v, `${what}: ${key(x)} ${f} ${u} vs ${v}`);
      else assert.ok(close(u, v), `${what}: ${key(x)} ${f} ${JSON.stringify(u)} vs ${JSON.stringify(v)}`);
    }
  }
}

const fact = fc.record({
  created: fc.integer({ min: 0, max: SPAN - 1 }),
  channel: fc.constantFrom("email", "chat", "phone", null),
  priority: fc.constantFrom("low", "high"),
  team: fc.constantFrom("t1", "t2", "t3"),
  agent: fc.constantFrom("a1", "a2"),
  frt: fc.option(fc.integer({ min: 1, max: 40 * 3600 }), { nil: null }),
  res: fc.option(fc.integer({ min: 1, max: (20 * DAY) / 1000 }), { nil: null }),
  reopens: fc.integer({ min: 0, max: 2 }),
  replies: fc.integer({ min: 0, max: 5 }),
  fcr: fc.boolean(),
  bot: fc.constantFrom(0, 1, 2),
  flagged: fc.boolean().map((b) => b && Math.random() < 0.3),
  // days from creation to an SLA target's due time: up to 600, so some fall after today (still open, not overdue yet)
  due: fc.integer({ min: 0, max: 600 }),
  policy: fc.boolean(),
});

function factRow(ws: string, i: number, f: typeof fact extends fc.Arbitrary<infer T> ? T : never): Row {
  const c = START + f.created;
  const solved = f.res === null ? null : c + f.res * 1000;
  return {
    workspace: ws,
    ticket_id: `T${i}`,
    created_at: c,
    channel: f.channel,
    priority: f.priority,
    team_id: f.team,
    agent_id: f.agent,
    topic: "billing",
    status: solved ? "solved" : "open",
    is_open: solved === null,
    first_reply_at: f.frt === null ? null : c + f.frt * 1000,
    frt_s: f.frt,
    first_solved_at: solved,
    last_solved_at: solved === null ? null : solved + f.reopens * 3_600_000,
    res_first_s: f.res,
    res_full_s: f.res === null ? null : f.res + f.reopens * 3600,
    reopens: f.reopens,
    transfers: f.replies % 2,
    agent_replies: f.replies,
    fcr: solved !== null && f.fcr,
    fcr_eligible: solved !== null,
    bot_handled: f.bot > 0,
    bot_resolved: f.bot === 2,
    flags: f.flagged ? "merged" : null,
    ...sla(c, f.frt, f.res, f.replies, f.policy ? f.due : null),
  };
}

/** SLA columns as the projector writes them: a target is met or missed once settled, else due at creation + `due` days (+ 12 h, off any midnight). */
function sla(c: number, frt: number | null, res: number | null, replies: number, due: number | null): Row {
  if (due === null) return { sla_policy: null };
  const dueAt = c + due * DAY + 12 * 3_600_000;
  return {
    sla_policy: "standard",
    sla_frt_met: frt === null ? null : frt < 4 * 3600,
    sla_frt_due_at: frt === null ? dueAt : c + 4 * 3_600_000,
    sla_frt_at: frt === null ? dueAt : c + frt * 1000,
    sla_res_met: res === null ? null : res < 86_400,
    sla_res_due_at: res === null ? dueAt : c + DAY,
    sla_res_at: res === null ? dueAt : c + res * 1000,
    sla_nrt_n: replies,
    sla_nrt_met_n: Math.floor(replies / 2),
  };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("rollups: the planner's answers from the rollup equal the raw facts' answers", () => {
  it("sketch bins: every value of 1 s or more is within 1 % of its bin's value", () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e8, noNaN: true }), (x) => {
        const k = Math.floor(Math.log(x) / Math.log(1.019)) + 1;
        return Math.abs(binValue(k) - x) <= 0.0095 * x;
      }),
    );
  });

  it("random requests over grains, zones, group-bys and filters on generated facts", async () => {
    const store = await openDuckDbStore({ path: ":memory:" });
    store.factsHook = ticketRollups(store);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fact, { minLength: 1, maxLength: 120 }),
        fc.constantFrom(...ZONES),
        fc.constantFrom(undefined, "day", "week", "month", "quarter", "year", "persian_month"),
        fc.subarray(["channel", "priority", "team"]),
        fc.option(fc.subarray(["email", "chat", "phone"], { minLength: 1 }), { nil: undefined }),
        fc.subarray(ROLLED, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 190 }),
        fc.constantFrom<"sun" | "mon" | "sat">("sun", "mon", "sat"),
        async (facts, timezone, grain, groupBy, channels, metrics, fromDay, days, week_start) => {
          const ws = `w${n++}`;
          const settings = { ...defaultSettings(), timezone, week_start };
          await store.insertRows(table("settings"), [settingsRow(ws, settings)]);
          await store.insertRows(
            table("ticket_facts"),
            facts.map((f, i) => factRow(ws, i, f)),
          );
          await rebuildRollups(store, ws);
          const req: MetricRequest = {
            metrics,
            from: day(START + fromDay * DAY),
            to: day(START + (fromDay + days) * DAY),
            ...(grain ? { grain } : {}),
            groupBy,
            ...(channels ? { filters: { channel: channels } } : {}),
          };
          const rolled = await runMetrics(store, ws, settings, { ...req, source: "rollup" });
          const raw = await runMetrics(store, ws, settings, { ...req, source: "facts" });
          assert.equal(raw.source, "facts");
          // percentiles by priority or team are not sketched: those scans read the facts
          const sketchFits = groupBy.every((g) => g === "channel");
          // cases_by_topic is always by topic, which the rollup lacks
          if (metrics.includes("cases_by_topic")) assert.notEqual(rolled.source, "rollup");
          else if (sketchFits || !metrics.some((m) => METRICS.get(m)!.agg.kind === "duration")) assert.equal(rolled.source, "rollup", JSON.stringify(req));
          assertSame(rolled.rows, raw.rows, `${timezone} ${JSON.stringify(req)}`);
        },
      ),
      { numRuns: 40 },
    );
    await store.close();
  });

  it("what the rollup cannot answer goes to the facts: an hour grain, agent, a custom field, a range not on day boundaries", async () => {
    const store = await openDuckDbStore({ path: ":memory:" });
    store.factsHook = ticketRollups(store);
    await store.insertRows(table("ticket_facts"), [
      factRow("w", 1, {
        created: 5 * DAY,
        channel: "email",
        priority: "low",
        team: "t1",
        agent: "a1",
        frt: 60,
        res: 600,
        reopens: 0,
        replies: 1,
        fcr: true,
        bot: 0,
        flagged: false,
        due: 1,
        policy: true,
      }),
    ]);
    await rebuildRollups(store, "w");
    const s = defaultSettings();
    const base = { metrics: ["first_response_time"], from: "2025-10-01", to: "2025-11-01", source: "rollup" as const };
    assert.equal((await runMetrics(store, "w", s, base)).source, "rollup");
    // by default a workspace this small reads its facts (exact, and fast enough)
    assert.equal((await runMetrics(store, "w", s, { ...base, source: "auto" })).source, "facts");
    assert.equal((await runMetrics(store, "w", s, base)).approximate, true);
    assert.equal((await runMetrics(store, "w", s, { ...base, metrics: ["ticket_volume"] })).approximate, false);
    for (const req of [
      { ...base, grain: "hour" as const },
      { ...base, groupBy: ["agent"] },
      { ...base, filters: { "field.plan": "gold" } },
      { ...base, from: "2025-10-01T09:00:00Z" },
      { ...base, clock: "business" as const },
      { ...base, metrics: ["next_issue_avoidance"] },
    ])
      assert.equal((await runMetrics(store, "w", s, req)).source, "facts", JSON.stringify(req));
    // a workspace whose zone changed since the rollup was built reads the facts until it is rebuilt
    assert.equal((await runMetrics(store, "w", { ...s, timezone: "Asia/Tehran" }, base)).source, "facts");
    await store.close();
  });

  it("SLA compliance reads the clock: the rollup holds what is settled, the open tickets' overdue targets are added at the request's instant", async () => {
    const store = await openDuckDbStore({ path: ":memory:" });
    store.factsHook = ticketRollups(store);
    const base = {
      created: 5 * DAY,
      channel: "email" as const,
      priority: "low" as const,
      team: "t1" as const,
      agent: "a1" as const,
      reopens: 0,
      fcr: true,
      bot: 0 as const,
      flagged: false,
      policy: true,
    };
    await store.insertRows(table("ticket_facts"), [
      // solved: first reply met, resolution met, 1 next reply of which 0 met → 2 met of 3
      factRow("c", 1, { ...base, frt: 60, res: 600, replies: 1, due: 1 }),
      // open, no reply, due a day and a half after creation (long past): both targets breached → 0 of 2
      factRow("c", 2, { ...base, frt: null, res: null, replies: 0, due: 1 }),
      // open, no reply, due in a century: nothing settled yet → 0 of 0
      factRow("c", 3, { ...base, frt: null, res: null, replies: 0, due: 36_500 }),
      // no SLA policy: not counted
      factRow("c", 4, { ...base, frt: 99_999, res: null, replies: 3, due: 1, policy: false }),
    ]);
    await rebuildRollups(store, "c");
    const due = await store.query<{ ticket_id: string }>("SELECT ticket_id FROM ticket_rollup_due WHERE workspace = 'c' ORDER BY ticket_id");
    assert.deepEqual(
      due.map((r) => r.ticket_id),
      ["T2", "T3"],
      "only the open tickets with a target pending are kept beside the rollup",
    );
    const s = defaultSettings();
    const req = { metrics: ["sla_compliance", "sla_compliance.first_reply", "sla_compliance.resolution"], from: "2025-10-01", to: "2025-11-01" };
    const rolled = await runMetrics(store, "c", s, { ...req, source: "rollup" });
    const raw = await runMetrics(store, "c", s, { ...req, source: "facts" });
    assert.equal(rolled.source, "rollup");
    const value = (id: string) => rolled.rows.find((r) => r.metric === id)!;
    assert.equal(value("sla_compliance").numerator, 2);
    assert.equal(value("sla_compliance").denominator, 5);
    assert.equal(value("sla_compliance").value, 40);
    // first reply: T1 met (settled at its reply, Oct 25), T2 breached (settled at its due time, Oct 26)
    assert.equal(value("sla_compliance.first_reply").value, 50);
    assertSame(rolled.rows, raw.rows, "SLA at now");
    await store.close();
  });

  it("the rollup's zone is asked once per request, with a rollup or without one", async () => {
    const store = await openDuckDbStore({ path: ":memory:" });
    store.factsHook = ticketRollups(store);
    const one = {
      created: 5 * DAY,
      channel: "email" as const,
      priority: "low" as const,
      team: "t1" as const,
      agent: "a1" as const,
      frt: 60,
      res: 600,
      reopens: 0,
      replies: 1,
    };
    await store.insertRows(table("ticket_facts"), [factRow("z", 1, { ...one, fcr: true, bot: 0, flagged: false, due: 1, policy: true })]);
    await rebuildRollups(store, "z");
    const asked: string[] = [];
    const query = store.query.bind(store);
    store.query = ((sql: string, params?: unknown[]) => {
      asked.push(sql);
      return query(sql, params as never);
    }) as typeof store.query;
    const req = {
      metrics: ROLLED.filter((m) => m !== "cases_by_topic"),
      from: "2025-10-01",
      to: "2025-11-01",
      grain: "week" as const,
      compare: true,
      percentiles: [50, 90],
    };
    for (const [ws, source] of [
      ["z", "rollup"],
      ["nobody", "facts"],
    ] as const) {
      asked.length = 0;
      const res = await runMetrics(store, ws, defaultSettings(), { ...req, source: "auto" });
      assert.equal(res.source, "facts", "a workspace this small reads its facts by default");
      assert.equal(asked.filter((q) => q.includes("rollup_state")).length, 1, `${ws}: one look at rollup_state`);
      asked.length = 0;
      const forced = await runMetrics(store, ws, defaultSettings(), { ...req, source: "rollup" });
      assert.equal(forced.source, source);
      assert.equal(asked.filter((q) => q.includes("rollup_state")).length, 1, `${ws}, forced: one look at rollup_state`);
    }
    await store.close();
  });
});

async function compareAll(store: Store, ws: string, zone: string, what: string): Promise<void> {
  const settings = { ...defaultSettings(), timezone: zone };
  for (const req of [
    { metrics: ROLLED, from: "2026-01-01", to: "2026-06-01", grain: "month" as const, groupBy: ["channel"] },
    { metrics: ROLLED, from: "2026-01-01", to: "2026-06-01", grain: "week" as const },
    {
      metrics: ["ticket_volume", "reopen_rate", "resolution_time.full"],
      from: "2026-02-01",
      to: "2026-05-01",
      grain: "day" as const,
      groupBy: ["priority", "team"],
    },
  ]) {
    const rolled = await runMetrics(store, ws, settings, { ...req, source: "rollup" });
    const raw = await runMetrics(store, ws, settings, { ...req, source: "facts" });
    assert.notEqual(rolled.source, "facts", `${what}: read the rollup`);
    assertSame(rolled.rows, raw.rows, `${what} ${JSON.stringify(req)}`);
  }
}

describe("rollups: the dashboard overview is what the rollup must answer on its own", () => {
  it("asks at the page's grain: by day up to 35 days, by week up to 200, then by month", () => {
    const grainOf = (days: number) => overviewRequests("2026-06-30", days)[1].grain;
    assert.deepEqual([30, 35, 36, 200, 201, 365].map(grainOf), ["day", "day", "week", "week", "month", "month"]);
    assert.deepEqual(overviewRequests("2026-06-30", 30)[0], {
      metrics: HEADLINE_METRICS,
      from: "2026-05-31",
      to: "2026-06-30",
      filters: {},
      clock: "calendar",
      percentiles: [50, 90],
      compare: true,
    });
  });

  it("its ticket metrics come from the rollup alone, equal to the facts', over 30 days by day and with the previous period", async () => {
    const store = await openDuckDbStore({ path: ":memory:" });
    await saveSettings(store, "o", { timezone: "Asia/Tehran" });
    store.factsHook = ticketRollups(store);
    const rt = new Runtime(store);
    await rt.ingest("o", [...generateDemo({ tickets: 150, seed: 11, endMs: Date.parse("2026-05-20T00:00:00Z") })], "test");
    const ticketMetrics = HEADLINE_METRICS.filter((m) => METRICS.get(m)!.table === "ticket_facts");
    assert.deepEqual(ticketMetrics, ["first_response_time", "resolution_time", "first_contact_resolution", "sla_compliance", "reopen_rate", "ticket_volume"]);
    const settings = { ...defaultSettings(), timezone: "Asia/Tehran" };
    for (const req of overviewRequests("2026-05-20")) {
      const rolled = await runMetrics(store, "o", settings, { ...req, metrics: ticketMetrics, source: "rollup" });
      const raw = await runMetrics(store, "o", settings, { ...req, metrics: ticketMetrics, source: "facts" });
      assert.equal(rolled.source, "rollup", JSON.stringify(req));
      assert.ok(
        raw.rows.some((r) => r.metric === "sla_compliance" && (r.denominator ?? 0) > 0),
        "the demo's tickets have SLA targets",
      );
      assertSame(rolled.rows, raw.rows, `overview ${JSON.stringify(req)}`);
    }
    await rt.close();
  });
});

describe("rollups: kept by the projector, in the same commit as the facts", () => {
  it("after events arrive in several batches, a reopen that moves a ticket and a rebuild, the rollup still equals the facts", async () => {
    const store = await openDuckDbStore({ path: ":memory:" });
    await saveSettings(store, "w", { timezone: "Europe/London" });
    // the runtime keeps rollups only for big workspaces; this one is small, so the hook is asked for
    store.factsHook = ticketRollups(store);
    const rt = new Runtime(store);
    const records = [...generateDemo({ tickets: 120, seed: 5, endMs: Date.parse("2026-05-20T00:00:00Z") })];
    for (let i = 0; i < records.length; i += 301) {
      await rt.ingest("w", records.slice(i, i + 301), "test");
    }
    await compareAll(store, "w", "Europe/London", "batches");
    // a ticket solved in January is reopened and solved again in April: its last solve moves months
    const t = (
      await store.query<{ ticket_id: string; last_solved_at: number }>(
        "SELECT ticket_id, last_solved_at FROM ticket_facts WHERE workspace = 'w' AND last_solved_at < 1769904000000 AND reopens = 0 ORDER BY ticket_id LIMIT 1",
      )
    )[0];
    assert.ok(t, "a ticket solved in January");
    const ev = (id: string, type: string, ts: string, extra: Record<string, unknown>) => {
      const v = validateEvent({ id, type, ts, ticket_id: t.ticket_id, ...extra }, 0);
      if (!v.ok) throw new Error(JSON.stringify(v.rejection));
      return v.event;
    };
    await rt.ingest(
      "w",
      [
        ev("reopen-1", "ticket.status_changed", "2026-04-10T10:00:00Z", { status: "open" }),
        ev("reopen-2", "ticket.status_changed", "2026-04-12T10:00:00Z", { status: "solved" }),
      ],
      "test",
    );
    const moved = (
      await store.query<{ reopens: number; last_solved_at: number }>(
        `SELECT reopens, last_solved_at FROM ticket_facts WHERE workspace = 'w' AND ticket_id = '${t.ticket_id}'`,
      )
    )[0];
    assert.equal(moved.last_solved_at, Date.parse("2026-04-12T10:00:00Z"), "the reopen moved the ticket's last solve to April");
    await compareAll(store, "w", "Europe/London", "after the reopen");
    // the rollup kept incrementally holds the same sums as one built from scratch
    const sums = () =>
      store.query(
        "SELECT grp, day, channel, priority, team_id, x, sum(a0) AS a0, sum(a1) AS a1, sum(a2) AS a2 FROM ticket_rollup WHERE workspace = 'w' GROUP BY ALL HAVING sum(a1) <> 0 ORDER BY ALL",
      );
    const kept = await sums();
    await rt.projection.rebuild("w");
    assert.deepEqual(await sums(), kept);
    await compareAll(store, "w", "Europe/London", "after a rebuild");
    await rt.close();
  });
});

describe("rollups: only for workspaces big enough to need them", () => {
  it("a hook with a ticket threshold leaves a smaller workspace without a rollup, through commits and a rebuild; a rebuild past the threshold builds it", async () => {
    const store = await openDuckDbStore({ path: ":memory:" });
    store.factsHook = ticketRollups(store, { minTickets: 50 });
    const rt = new Runtime(store);
    const records = [...generateDemo({ tickets: 40, seed: 9, endMs: Date.parse("2026-05-20T00:00:00Z") })];
    await rt.ingest("w", records, "test");
    const built = async () => Number((await store.query<{ n: number }>("SELECT count(*) AS n FROM rollup_state WHERE workspace = 'w'"))[0].n);
    const ticketRows = async () => Number((await store.query<{ n: number }>("SELECT count(*) AS n FROM ticket_rollup WHERE workspace = 'w'"))[0].n);
    assert.equal(await built(), 0, "40 tickets: no rollup");
    assert.equal(await ticketRows(), 0);
    const s = { ...defaultSettings() };
    const req = { metrics: ["ticket_volume"], from: "2026-01-01", to: "2026-06-01", source: "rollup" as const };
    assert.equal((await runMetrics(store, "w", s, req)).source, "facts", "without a rollup even a forced read goes to the facts");
    // a rebuild of a small workspace leaves it without one too
    await rt.rebuild("w");
    assert.equal(await built(), 0, "after a rebuild: still no rollup");
    store.factsHook = ticketRollups(store, { minTickets: 30 });
    await rt.rebuild("w");
    assert.equal(await built(), 1, "40 tickets past a threshold of 30: built by the rebuild");
    assert.ok((await ticketRows()) > 0);
    assert.equal((await runMetrics(store, "w", s, req)).source, "rollup");
    await store.close();
  });
});
