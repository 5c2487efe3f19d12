import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type AnomalyOptions, judge, median, weekSlot } from "../../src/alerts/anomaly.js";
import { demoSettings, generateDemo } from "../../src/demo/generate.js";

const H = 3_600_000;
const W = 7 * 24 * H;
const OPTS: AnomalyOptions = { k: 4, minWeeks: 4, minDelta: 5, direction: "above", counts: true };

/** Tickets created per hour in the default demo workspace (20,000 tickets, six months, London time). */
function demoHourly(): { series: Map<number, number>; first: number; last: number } {
  const counts = new Map<number, number>();
  for (const r of generateDemo({ tickets: 20_000, seed: 7 })) {
    if (r.type !== "ticket.created") continue;
    const h = Math.floor(Number(r.ts) / H) * H;
    counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  const hours = [...counts.keys()].sort((a, b) => a - b);
  const series = new Map<number, number>();
  for (let t = hours[0]; t <= hours.at(-1)!; t += H) series.set(t, counts.get(t) ?? 0);
  return { series, first: hours[0], last: hours.at(-1)! };
}

/** The eight weeks before `t`, as the engine reads them. */
function historyBefore(series: Map<number, number>, t: number): Map<number, number> {
  const h = new Map<number, number>();
  for (let u = t - 8 * W; u < t; u += H) if (series.has(u)) h.set(u, series.get(u)!);
  return h;
}

describe("seasonal anomaly detector", () => {
  it("median and the local weekday × hour slot", () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    // Monday 9 March 2026 10:00 in London is UTC 10:00 (GMT); Monday 6 April 10:00 is UTC 09:00 (BST): the same slot.
    assert.equal(weekSlot(Date.UTC(2026, 2, 9, 10), "Europe/London"), 1 * 24 + 10);
    assert.equal(weekSlot(Date.UTC(2026, 3, 6, 9), "Europe/London"), 1 * 24 + 10);
  });

  it("band by hand: median 10, MAD 1 → spread max(1.4826, √10) = 3.162, upper 10 + 4 × 3.162", () => {
    const at = Date.UTC(2026, 2, 30, 10);
    const history = new Map([9, 10, 11, 10, 12].map((v, i) => [at - (i + 1) * W, v]));
    const v = judge(at, 23, history, "UTC", OPTS);
    assert.equal(v.samples, 5);
    assert.equal(v.median, 10);
    assert.ok(Math.abs(v.upper - (10 + 4 * Math.sqrt(10))) < 1e-9);
    assert.equal(v.anomalous, true);
    assert.equal(judge(at, 22, history, "UTC", OPTS).anomalous, false, "22 < 22.65");
    assert.equal(judge(at, 23, new Map([...history].slice(0, 3)), "UTC", OPTS).anomalous, false, "three weeks are too little history");
  });

  it("never flags the median itself, and a constant shift of a non-count series shifts the band with it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 4, maxLength: 12 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: -100, max: 100 }),
        (hist, value, c) => {
          const at = Date.UTC(2026, 5, 1, 12);
          const opts = { ...OPTS, counts: false, direction: "both" as const };
          const history = new Map(hist.map((v, i) => [at - (i + 1) * W, v]));
          const m = median(hist);
          assert.equal(judge(at, m, history, "UTC", opts).anomalous, false);
          const shifted = new Map([...history].map(([t, v]) => [t, v + c]));
          assert.equal(judge(at, value + c, shifted, "UTC", opts).anomalous, judge(at, value, history, "UTC", opts).anomalous);
        },
      ),
    );
  });

  it("on the demo data: rare false alarms on normal weeks, and a 3× two-hour spike on a Monday morning is caught", () => {
    const { series, first, last } = demoHourly();
    const tz = demoSettings().timezone!;
    // Every hour with at least four earlier weeks of history, up to the last full week.
    let evaluated = 0;
    let alarms = 0;
    for (let t = first + 8 * W; t <= last - W; t += H) {
      const v = judge(t, series.get(t)!, historyBefore(series, t), tz, OPTS);
      if (v.samples < OPTS.minWeeks) continue;
      evaluated++;
      if (v.anomalous) alarms++;
    }
    const rate = alarms / evaluated;
    console.log(`false alarms on normal weeks: ${alarms} of ${evaluated} hours (${(rate * 100).toFixed(2)} %)`);
    assert.ok(evaluated > 2000);
    assert.ok(rate <= 0.005, `false-alarm rate ${rate} above 0.5 %`);

    // Monday 8 June 2026, 10:00–12:00 London (09:00–11:00 UTC): an ordinary Monday morning, then the same hours at 3×.
    const spike = [Date.UTC(2026, 5, 8, 9), Date.UTC(2026, 5, 8, 10)];
    for (const t of spike) {
      const normal = judge(t, series.get(t)!, historyBefore(series, t), tz, OPTS);
      assert.equal(normal.anomalous, false, "the usual Monday is not news");
      const storm = judge(t, 3 * series.get(t)!, historyBefore(series, t), tz, OPTS);
      assert.equal(storm.anomalous, true, `3× at ${new Date(t).toISOString()} (usual ${normal.median}, band up to ${storm.upper.toFixed(1)})`);
    }

    // Every weekday office hour (09–17 London) of the last four weeks, spiked 3× for two hours: caught in either hour.
    const hourOf = new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "numeric", hourCycle: "h23", weekday: "short" });
    let tried = 0;
    let caught = 0;
    for (let t = last - 5 * W; t <= last - W - H; t += H) {
      const parts = hourOf.formatToParts(new Date(t));
      const wd = parts.find((p) => p.type === "weekday")!.value;
      const hour = Number(parts.find((p) => p.type === "hour")!.value);
      if (wd === "Sat" || wd === "Sun" || hour < 9 || hour >= 16) continue;
      tried++;
      const first2 = judge(t, 3 * series.get(t)!, historyBefore(series, t), tz, OPTS).anomalous;
      const spiked = new Map(series).set(t, 3 * series.get(t)!);
      const second = judge(t + H, 3 * series.get(t + H)!, historyBefore(spiked, t + H), tz, OPTS).anomalous;
      if (first2 || second) caught++;
    }
    console.log(`3× two-hour spikes caught: ${caught} of ${tried} weekday office-hour starts (${((caught / tried) * 100).toFixed(1)} %)`);
    assert.ok(caught / tried >= 0.85, `caught only ${caught} of ${tried}`);
  });
});
