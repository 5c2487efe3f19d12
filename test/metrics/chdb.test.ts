import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { WorkspaceSettings } from "../../src/config/settings.js";
import { generateDemo } from "../../src/demo/generate.js";
import { isUserError } from "../../src/errors/user-error.js";
import { CATALOG } from "../../src/metrics/catalog.js";
import { runMetrics } from "../../src/metrics/compiler.js";
import type { MetricRequest } from "../../src/metrics/request.js";
import { bulkIngest } from "../../src/pipeline/bulk.js";
import { Runtime } from "../../src/runtime.js";
import { TABLES } from "../../src/store/schema.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import type { Store } from "../../src/store/store.js";
import { type ChdbStore, openChdb } from "../helpers/chdb.js";
import { normal, same } from "../helpers/same-answers.js";

// The ClickHouse dialect's SQL as a current ClickHouse (26.x, in process) runs it — with
// server-side query parameters, the path of ClickHouse ≥ 19 that Debian's 18.16 never takes —
// must answer every catalog metric exactly as DuckDB does over the same facts.

describe("current ClickHouse (chdb) answers every catalog metric exactly like DuckDB", () => {
  let duck: Runtime;
  let ch: ChdbStore;
  let settings: WorkspaceSettings;
  const answer = async (store: Pick<Store, "kind" | "query">, req: MetricRequest, s = settings) => {
    try {
      return normal((await runMetrics(store as Store, "w", s, req)).rows);
    } catch (e) {
      if (isUserError(e)) return { error: e.code };
      throw e;
    }
  };
  before(async () => {
    duck = new Runtime(await openDuckDbStore({ path: ":memory:" }));
    const items = [...generateDemo({ tickets: 300, seed: 7, endMs: Date.parse("2026-06-30T00:00:00Z") })].map((record, i) => ({
      kind: "record" as const,
      position: i,
      record,
    }));
    await bulkIngest(duck, "w", items, "test");
    ch = openChdb();
    for (const t of TABLES) await ch.load(t.name, await duck.store.query(`SELECT * FROM ${t.name}`));
    settings = await duck.settings("w");
  });
  after(async () => {
    ch?.close();
    await duck?.close();
  });

  it("holds the same facts", async () => {
    for (const t of ["ticket_facts", "response_facts", "survey_facts", "contact_facts"]) {
      const [a] = await duck.store.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`);
      const [b] = await ch.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`);
      assert.ok(Number(a.n) > 0, t);
      assert.equal(Number(b.n), Number(a.n), t);
    }
  });

  const base = { from: "2026-01-01", to: "2026-07-01" };

  it("every catalog metric, grouped and not, both clocks", async () => {
    let compared = 0;
    let answered = 0;
    for (const m of CATALOG)
      for (const groupBy of [[], ["channel"], ["agent"], ["tag"], ["field.plan"]]) {
        const clocks = m.agg.kind === "duration" ? (["calendar", "business"] as const) : (["calendar"] as const);
        for (const clock of clocks) {
          const req: MetricRequest = { ...base, metrics: [m.id], groupBy, clock, percentiles: [25, 50, 90] };
          const want = await answer(duck.store, req);
          same(await answer(ch, req), want, `${m.id} by ${groupBy.join(",") || "nothing"} (${clock})`);
          compared++;
          if (Array.isArray(want) && want.some((r) => r.value !== null)) answered++;
        }
      }
    assert.ok(compared > 200);
    // the comparison means something only if most answers hold numbers
    assert.ok(answered > compared / 2, `${answered} of ${compared} answers hold a number`);
  });

  it("every grain, incl. the Persian calendar, in zones with DST and half hours, with compare", async () => {
    const metrics = ["first_response_time", "csat", "ticket_volume", "backlog", "customer_churn_rate", "self_service_usage", "next_issue_avoidance"];
    for (const timezone of ["Europe/London", "Asia/Tehran", "America/Havana"])
      for (const grain of ["day", "week", "month", "quarter", "year", "persian_month", "persian_year"] as const) {
        const s = { ...settings, timezone, week_start: "sat" as const };
        const req: MetricRequest = { ...base, metrics, grain, compare: true, filters: { channel: ["email", "chat"] } };
        same(await answer(ch, req, s), await answer(duck.store, req, s), `${grain} in ${timezone}`);
      }
    const hourly: MetricRequest = { from: "2026-03-28", to: "2026-03-31", metrics: ["ticket_volume", "first_response_time"], grain: "hour" };
    same(
      await answer(ch, hourly, { ...settings, timezone: "Europe/London" }),
      await answer(duck.store, hourly, { ...settings, timezone: "Europe/London" }),
      "hourly across spring-forward",
    );
  });
});
