import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { formatter, unitFor } from "../../src/format/format.js";
import { fromPersian, persianMonthLength, toPersian } from "../../src/format/persian.js";
import { reportTable, textTable } from "../../src/format/table.js";
import { bucketAxis, pairPrevious, rangeBound } from "../../src/format/time-axis.js";

describe("format: one way to write numbers per language", () => {
  const en = formatter("en", "UTC");
  const fa = formatter("fa", "Asia/Tehran");
  const ar = formatter("ar", "UTC");
  const zh = formatter("zh-Hant", "UTC");

  it("writes durations with units chosen from the magnitude", () => {
    assert.equal(en.duration(30), "30 s");
    assert.equal(en.duration(8054), "2 h 14 min"); // 2 h 14 min 14 s
    assert.equal(en.duration(7200), "2 h");
    assert.equal(en.duration(95), "1 min 35 s");
    assert.equal(en.duration(6000), "1 h 40 min");
    assert.equal(en.duration(47.8 * 3600), "2 d"); // 1 d 23.8 h rounds to whole hours: 48 h
    assert.equal(en.duration(754), "12 min"); // 12 min 34 s: seconds dropped past 10 min
    assert.equal(en.duration(300), "5 min");
    assert.equal(en.duration(3 * 86400 + 4 * 3600 + 100), "3 d 4 h");
    assert.equal(en.duration(7199.9), "2 h"); // 1 h 59.998 min rounds up to the next hour, not "1 h 60 min"
    assert.equal(en.duration(null), "–");
    assert.equal(fa.duration(8054), "۲ ساعت و ۱۴ دقیقه");
    assert.equal(ar.duration(8054), "٢ ساعة و ١٤ دقيقة");
    assert.equal(zh.duration(8054), "2 小時 14 分鐘");
  });

  it("never writes more than two parts nor a zero part", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e8, noNaN: true }), (s) => {
        const out = en.duration(s);
        const parts = out.split(" ").length / 2;
        assert.ok(parts >= 1 && parts <= 2, out);
        assert.ok(!/(^|\s)0 (min|h|s)$/.test(out) || s < 0.5, out);
      }),
    );
  });

  it("writes percentages with the language's sign and digits", () => {
    assert.equal(en.percent(45.25), "45.3%");
    assert.equal(fa.percent(45.25), "۴۵٫۳٪");
    assert.equal(ar.percent(45), "٤٥٪");
    assert.equal(zh.percent(5), "5%");
  });

  it("writes fa dates in the Persian calendar and ar with Arabic-Indic digits", () => {
    assert.equal(fa.date("2026-03-21T12:00:00Z"), "۱ فروردین ۱۴۰۵");
    assert.match(ar.date("2026-03-21T12:00:00Z"), /^[٠-٩]/);
    assert.deepEqual(fa.parts("2026-03-21T12:00:00Z"), { year: 1405, month: 1, day: 1 });
  });

  it("picks axis units from the magnitude", () => {
    assert.equal(unitFor(90), "s");
    assert.equal(unitFor(900), "min");
    assert.equal(unitFor(0.25 * 3600), "min"); // AHT near 15 min is not "0.25 h"
    assert.equal(unitFor(47.8 * 3600), "h");
    assert.equal(unitFor(10 * 86400), "d");
  });
});

describe("format: Persian calendar round trip", () => {
  it("converts known dates", () => {
    assert.equal(fromPersian({ year: 1405, month: 1, day: 1 }), "2026-03-21");
    assert.deepEqual(toPersian("2026-11-25"), { year: 1405, month: 9, day: 4 });
    assert.equal(persianMonthLength(1405, 1), 31);
    assert.equal(persianMonthLength(1403, 12), 30); // 1403 is a leap year
    assert.equal(persianMonthLength(1404, 12), 29);
  });
  it("round-trips any day", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), (n) => {
        const iso = new Date(Date.UTC(2000, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
        assert.equal(fromPersian(toPersian(iso)), iso);
      }),
      { numRuns: 200 },
    );
  });
});

describe("format: continuous time axis", () => {
  it("lists every local day, across a DST change, including empty ones", () => {
    const axis = bucketAxis(Date.parse("2026-03-27T00:00:00Z"), Date.parse("2026-04-01T00:00:00Z"), "day", "Europe/London");
    assert.deepEqual(
      axis.map((x) => new Date(x).toISOString()),
      [
        "2026-03-27T00:00:00.000Z",
        "2026-03-28T00:00:00.000Z",
        "2026-03-29T00:00:00.000Z",
        "2026-03-29T23:00:00.000Z",
        "2026-03-30T23:00:00.000Z",
        "2026-03-31T23:00:00.000Z",
      ],
    );
  });
  it("lists weeks from the workspace's week start and months", () => {
    const weeks = bucketAxis(Date.parse("2026-11-04T00:00:00Z"), Date.parse("2026-11-20T00:00:00Z"), "week", "UTC", "sat");
    assert.deepEqual(
      weeks.map((x) => new Date(x).toISOString().slice(0, 10)),
      ["2026-10-31", "2026-11-07", "2026-11-14"],
    );
    const months = bucketAxis(Date.parse("2026-01-15T00:00:00Z"), Date.parse("2026-04-01T00:00:00Z"), "month", "Asia/Tehran");
    assert.deepEqual(
      months.map((x) => new Date(x).toISOString()),
      ["2025-12-31T20:30:00.000Z", "2026-01-31T20:30:00.000Z", "2026-02-28T20:30:00.000Z", "2026-03-31T20:30:00.000Z"],
    ); // 1 April starts 20:30 UTC on 31 March
  });
  it("reads a bare date as midnight in the workspace zone, as the API does", () => {
    assert.equal(new Date(rangeBound("2026-07-01", "America/New_York")).toISOString(), "2026-07-01T04:00:00.000Z");
    assert.equal(new Date(rangeBound("2026-01-01", "Asia/Tehran")).toISOString(), "2025-12-31T20:30:00.000Z");
    assert.equal(rangeBound("2026-01-01T10:00:00Z", "Asia/Tehran"), Date.parse("2026-01-01T10:00:00Z"));
  });
  it("pairs the previous period by date, not by position", () => {
    const day = 86_400_000;
    const axis = [0, day, 2 * day, 3 * day];
    // previous period is 4 days earlier; it has data on its 2nd and 4th day only
    const prev = [
      { at: -3 * day, value: 5 },
      { at: -1 * day, value: 7 },
    ];
    assert.deepEqual(pairPrevious(axis, 4 * day, prev), [null, 5, null, 7]);
  });
});

describe("format: the CLI's human table", () => {
  it("aligns columns, rounds, humanizes durations and writes buckets in the workspace zone", () => {
    const f = formatter("en", "Asia/Tehran");
    const info = (id: string) => (id === "frt" ? { name: "First response time", unit: "seconds" } : { name: "CSAT", unit: "percent" });
    const out = reportTable(
      [
        // Tehran midnight of 1 Oct 2026 is 20:30 UTC the day before
        { metric: "frt", bucket: "2026-09-30T20:30:00.000Z", value: 8054.123456789, median: 1800.4, p90: 30, count: 12, previous: { value: 9000 } },
        { metric: "csat", bucket: "2026-09-30T20:30:00.000Z", value: 83.33333333333, denominator: 6, previous: { value: 80 } },
      ],
      f,
      info,
      "day",
    );
    assert.equal(
      out,
      [
        "metric               day              value  median   p90   n    previous   change",
        "───────────────────  ──────────  ──────────  ──────  ────  ──  ──────────  ───────",
        "First response time  1 Oct 2026  2 h 14 min  30 min  30 s  12  2 h 30 min  −15 min",
        "CSAT                 1 Oct 2026       83.3%                 6         80%  +3.3 pp",
      ].join("\n"),
    );
  });
  it("counts wide characters as two columns", () => {
    assert.equal(textTable([{ title: "名稱" }, { title: "n", align: "right" }], [["工單", "1"]]), "名稱  n\n────  ─\n工單  1");
  });
});

describe("format: Solar Hijri month axis", () => {
  it("starts each bucket on the first of a Persian month in the workspace zone", () => {
    const axis = bucketAxis(Date.parse("2026-03-01T00:00:00Z"), Date.parse("2026-05-01T00:00:00Z"), "persian_month", "Asia/Tehran");
    // 1 Esfand 1404 = 20 Feb 2026, 1 Farvardin 1405 = 21 Mar 2026, 1 Ordibehesht = 21 Apr 2026 (Tehran midnight = 20:30 UTC the day before)
    assert.deepEqual(
      axis.map((x) => new Date(x).toISOString()),
      ["2026-02-19T20:30:00.000Z", "2026-03-20T20:30:00.000Z", "2026-04-20T20:30:00.000Z"],
    );
    assert.equal(formatter("fa", "Asia/Tehran").bucket(axis[1], "persian_month"), "فروردین ۱۴۰۵");
  });
});
