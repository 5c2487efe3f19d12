import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { WorkspaceSettings } from "../../src/config/settings.js";
import { generateDemo } from "../../src/demo/generate.js";
import { bucketList } from "../../src/metrics/buckets.js";
import { runMetrics } from "../../src/metrics/compiler.js";
import { resolveRequest } from "../../src/metrics/request.js";
import type { Grain } from "../../src/metrics/grains.js";
import { bulkIngest } from "../../src/pipeline/bulk.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";

// Backlog, retention, churn and repeat purchases count "as of" instants; one grouped scan and
// running sums must give exactly what counting every instant directly over the raw rows gives.
type R = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

describe("as-of metrics from one scan equal counting each instant", () => {
  let rt: Runtime;
  let settings: WorkspaceSettings;
  let intervals: R[];
  let customers: R[];
  before(async () => {
    rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
    const items = [...generateDemo({ tickets: 300, seed: 3, endMs: Date.parse("2026-06-30T00:00:00Z") })].map((record, i) => ({
      kind: "record" as const,
      position: i,
      record,
    }));
    await bulkIngest(rt, "w", items, "test");
    settings = { ...(await rt.settings("w")), timezone: "Europe/London", week_start: "sun" };
    intervals = await rt.store.query("SELECT * FROM status_intervals WHERE workspace = 'w'");
    customers = await rt.store.query("SELECT * FROM customer_facts WHERE workspace = 'w' AND created_at IS NOT NULL");
    assert.ok(intervals.length > 100 && customers.length > 20);
  });
  after(() => rt.close());

  const cases: [Grain | undefined, string, string][] = [
    [undefined, "2026-01-01", "2026-07-01"],
    ["month", "2025-10-01", "2026-07-01"],
    ["week", "2026-02-01", "2026-05-01"],
    ["day", "2026-03-20", "2026-04-10"],
    ["hour", "2026-03-28T12:00:00Z", "2026-03-30T00:00:00Z"],
    ["persian_month", "2026-01-01", "2026-07-01"],
  ];

  for (const [grain, from, to] of cases)
    it(`${grain ?? "no grain"}, ${from} – ${to}`, async () => {
      // dates are local midnights in the workspace zone
      const { fromMs, toMs } = resolveRequest({ metrics: ["backlog"], from, to }, settings.timezone);
      const buckets = bucketList(grain, fromMs, toMs, settings.timezone, settings.week_start);
      const thr = settings.backlog_threshold_hours * 3_600_000;
      const got = (
        await runMetrics(rt.store, "w", settings, {
          metrics: ["backlog", "customer_retention_rate", "customer_churn_rate", "repeat_purchase_rate"],
          from,
          to,
          grain,
        })
      ).rows;
      const pick = (metric: string, fields: string[]) =>
        got.filter((r) => r.metric === metric).map((r) => Object.fromEntries(fields.map((f) => [f, r[f as keyof typeof r]])));
      const open = intervals.filter((r) => r.status !== "solved" && r.status !== "closed");
      const backlog = buckets
        .map((b) => {
          const t = b.end - 1;
          const here = open.filter((r) => num(r.start_at)! <= t && (r.end_at === null || num(r.end_at)! > t));
          const aged = here.filter((r) => r.ticket_created_at !== null && num(r.ticket_created_at)! <= t - thr).length;
          return { bucket: grain ? new Date(b.key).toISOString() : undefined, value: here.length, aged };
        })
        .filter((x) => x.value > 0 || !grain);
      assert.deepEqual(pick("backlog", ["bucket", "value", "aged"]), backlog);
      const alive = (t: number) => customers.filter((r) => num(r.created_at)! < t && (r.churned_at === null || num(r.churned_at)! >= t)).length;
      const rates = buckets.map((b) => {
        const newC = customers.filter((r) => num(r.created_at)! >= b.start && num(r.created_at)! < b.end).length;
        const churned = customers.filter(
          (r) => num(r.created_at)! < b.start && r.churned_at !== null && num(r.churned_at)! >= b.start && num(r.churned_at)! < b.end,
        ).length;
        const first = customers.filter((r) => r.first_purchase_at !== null && num(r.first_purchase_at)! < b.end).length;
        const second = customers.filter((r) => r.second_purchase_at !== null && num(r.second_purchase_at)! < b.end).length;
        return { bucket: grain ? new Date(b.key).toISOString() : undefined, start: alive(b.start), end: alive(b.end), newC, churned, first, second };
      });
      const keep = <T extends { den: number }>(xs: T[]) => xs.filter((x) => x.den > 0 || !grain).map(({ den, ...rest }) => ({ ...rest, denominator: den }));
      assert.deepEqual(
        pick("customer_retention_rate", ["bucket", "numerator", "denominator"]),
        keep(rates.map((x) => ({ bucket: x.bucket, numerator: x.end - x.newC, den: x.start }))),
      );
      assert.deepEqual(
        pick("customer_churn_rate", ["bucket", "numerator", "denominator"]),
        keep(rates.map((x) => ({ bucket: x.bucket, numerator: x.churned, den: x.start }))),
      );
      assert.deepEqual(
        pick("repeat_purchase_rate", ["bucket", "numerator", "denominator"]),
        keep(rates.map((x) => ({ bucket: x.bucket, numerator: x.second, den: x.first }))),
      );
    });

  it("a range with more buckets than an answer holds is refused before any work, saying what to change", async () => {
    const req = { metrics: ["customer_retention_rate"], from: "2025-01-01", to: "2026-07-01", grain: "hour" as const };
    await assert.rejects(runMetrics(rt.store, "w", settings, req), (e: unknown) => {
      const u = e as { code: string; status: number; message: string };
      assert.deepEqual([u.code, u.status], ["too_many_buckets", 400]);
      // 546 days × 24 h = 13,104 hours; the hint names the limit and a grain that fits
      assert.match(u.message, /more than 10,000 buckets; use a shorter range or "grain": "day"/);
      return true;
    });
    // an hourly year (8,760 buckets) is answered
    const year = await runMetrics(rt.store, "w", settings, { ...req, from: "2025-07-01", to: "2026-07-01" });
    assert.ok(year.rows.length > 4000);
  });
});
