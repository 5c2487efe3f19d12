import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import type { Weekday } from "../../src/config/settings.js";
import { offsetPieces } from "../../src/calendar/zone-offsets.js";
import { bucketLabelSql } from "../../src/metrics/boundaries.js";
import { bucketList, bucketStart, labelToInstant, nextBucket } from "../../src/metrics/buckets.js";
import { GRAINS, type Grain } from "../../src/metrics/grains.js";
import type { SqlDialect } from "../../src/store/dialect.js";
import { clickhouseDialect } from "../../src/store/clickhouse/clickhouse-dialect.js";
import { duckdbDialect } from "../../src/store/duckdb/duckdb-dialect.js";
import { Params } from "../../src/metrics/sql-builder.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import type { Store } from "../../src/store/store.js";
import { type ChdbStore, openChdb } from "../helpers/chdb.js";

// Bucket labels come from boundaries worked out once in TypeScript (no zone conversion per row);
// they must equal the TypeScript bucket starts to the millisecond, in DuckDB and in ClickHouse
// alike, across DST (spring and autumn, a midnight transition, a 30-minute shift), half- and
// quarter-hour zones, every week start and the Persian calendar.
const zones = [
  "UTC",
  "Europe/London",
  "America/Havana",
  "Asia/Tehran",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "America/New_York",
  "Australia/Lord_Howe",
  "America/Santiago",
];
const FROM = Date.parse("2025-12-01T00:00:00Z");
const TO = Date.parse("2027-01-15T00:00:00Z");
const edges = [
  "2026-01-01T00:00:00Z",
  "2026-03-08T04:59:59Z", // Havana: clocks jump from 00:00 to 01:00 local (05:00Z)
  "2026-03-08T05:00:00Z",
  "2026-03-08T06:59:59Z", // New York: just before spring-forward
  "2026-03-08T07:00:00Z",
  "2026-03-29T00:59:59Z", // London: spring-forward 01:00 GMT → 02:00 BST
  "2026-03-29T01:00:00Z",
  "2026-04-04T15:29:00Z", // Lord Howe: around the 30-min fall-back
  "2026-04-05T00:30:00Z",
  "2026-09-06T03:30:00Z", // Santiago: clocks jump at local midnight
  "2026-09-06T04:30:00Z",
  "2026-03-20T20:29:59Z", // Tehran: the Persian new year 1405, local midnight ± 1 s
  "2026-03-20T20:30:00Z",
  "2026-10-25T00:30:00Z", // London: 01:30 BST, then 01:30 GMT an hour later
  "2026-10-25T01:30:00Z",
  "2026-10-31T23:30:00Z",
  "2026-11-01T05:59:59Z", // New York: fall-back hour
  "2026-11-01T06:30:00Z",
  "2026-11-01T04:30:00Z", // Havana: 00:00–01:00 happens twice (01:00 CDT → 00:00 CST)
  "2026-11-01T05:30:00Z",
  "2026-12-31T18:14:59Z", // Kathmandu: year end at +05:45
  "2026-12-31T18:15:00Z",
  "2026-12-31T18:29:59Z", // Kolkata: year end at +05:30
].map(Date.parse);
// and a fixed sample of instants anywhere in the range
const random = fc.sample(fc.integer({ min: FROM, max: TO - 1 }), { numRuns: 60, seed: 13 });
const instants = [...edges, ...random];
const weekStarts: Weekday[] = ["mon", "sun", "sat", "fri"];

async function labels(store: Pick<Store, "query">, d: SqlDialect, grain: Grain, tz: string, ws: Weekday): Promise<Map<number, number>> {
  const p = new Params(d);
  const list = instants.map((ms) => p.add(ms));
  const rows = await store.query(`SELECT ms, ${bucketLabelSql(d, grain, "ms", tz, ws, FROM, TO)} AS b FROM ${d.valuesTable("ms", list)}`, p.values);
  return new Map(rows.map((r) => [Number(r.ms), Number(r.b)]));
}

describe("bucket boundaries", () => {
  let duck: Store;
  let ch: ChdbStore;
  before(async () => {
    duck = await openDuckDbStore({ path: ":memory:" });
    ch = openChdb();
  });
  after(async () => {
    await duck.close();
    ch.close();
  });

  it("TypeScript buckets tile the range: each starts where the last ended and holds its instants", () => {
    for (const tz of zones)
      for (const grain of GRAINS)
        for (const ms of instants) {
          const s = bucketStart(grain, ms, tz, "sat");
          const e = nextBucket(grain, s, tz);
          assert.ok(s <= ms && ms < e, `${grain} ${tz} ${new Date(ms).toISOString()}: [${new Date(s).toISOString()}, ${new Date(e).toISOString()})`);
          assert.equal(bucketStart(grain, e, tz, "sat"), e);
        }
  });

  it("hand-checked starts: DST at midnight, half-hour zones, week starts, Persian months and years", () => {
    const at = (grain: Grain, iso: string, tz: string, ws: Weekday = "mon") => new Date(bucketStart(grain, Date.parse(iso), tz, ws)).toISOString();
    // Havana skips 00:00–01:00 on 8 March 2026: that day starts at 01:00 CDT = 05:00Z
    assert.equal(at("day", "2026-03-08T05:30:00Z", "America/Havana"), "2026-03-08T05:00:00.000Z");
    // Havana repeats 00:00–01:00 on 1 November: November starts at the first local midnight, 04:00Z
    assert.equal(at("month", "2026-11-01T05:30:00Z", "America/Havana"), "2026-11-01T04:00:00.000Z");
    // London: October starts at 00:00 BST = 23:00Z the day before; 23:30Z on 31 October (GMT) is still October
    assert.equal(at("month", "2026-10-31T23:30:00Z", "Europe/London"), "2026-09-30T23:00:00.000Z");
    // London, Sunday 29 March 2026 at noon: the Monday week began on 23 March (GMT), the Sunday week that day
    assert.equal(at("week", "2026-03-29T12:00:00Z", "Europe/London", "mon"), "2026-03-23T00:00:00.000Z");
    assert.equal(at("week", "2026-03-29T12:00:00Z", "Europe/London", "sun"), "2026-03-29T00:00:00.000Z");
    // Kolkata +05:30 and Tehran +03:30 days
    assert.equal(at("day", "2026-01-01T18:29:59Z", "Asia/Kolkata"), "2025-12-31T18:30:00.000Z");
    assert.equal(at("hour", "2026-01-01T18:29:59Z", "Asia/Tehran"), "2026-01-01T17:30:00.000Z");
    // 1 Farvardin 1405 = 21 March 2026, midnight in Tehran = 20 March 20:30Z; a second earlier is in Esfand 1404 (1 Esfand = 20 Feb 2026)
    assert.equal(at("persian_month", "2026-03-20T20:30:00Z", "Asia/Tehran"), "2026-03-20T20:30:00.000Z");
    assert.equal(at("persian_month", "2026-03-20T20:29:59Z", "Asia/Tehran"), "2026-02-19T20:30:00.000Z");
    assert.equal(at("persian_year", "2026-03-20T20:29:59Z", "Asia/Tehran"), "2025-03-20T20:30:00.000Z");
    // 1 Mehr 1404 = 23 September 2025: months 1–6 have 31 days, 7–11 have 30
    const mehr = bucketList("persian_month", Date.parse("2025-09-01T00:00:00Z"), Date.parse("2025-12-01T00:00:00Z"), "UTC", "mon").map((b) =>
      new Date(b.key).toISOString().slice(0, 10),
    );
    assert.deepEqual(mehr, ["2025-08-23", "2025-09-23", "2025-10-23", "2025-11-22"]);
  });

  it("the zone's offsets over a range: London changes twice in 2026, Tehran (no DST since 2022) never", () => {
    assert.deepEqual(offsetPieces("Europe/London", Date.parse("2026-01-01T00:00:00Z"), Date.parse("2027-01-01T00:00:00Z")), {
      cuts: [Date.parse("2026-03-29T01:00:00Z"), Date.parse("2026-10-25T01:00:00Z")],
      offsets: [0, 3_600_000, 0],
    });
    assert.deepEqual(offsetPieces("Asia/Tehran", Date.parse("2026-01-01T00:00:00Z"), Date.parse("2027-01-01T00:00:00Z")), { cuts: [], offsets: [12_600_000] });
  });

  for (const [name, d] of [
    ["DuckDB", duckdbDialect],
    ["ClickHouse (chdb, current)", clickhouseDialect],
  ] as const) {
    it(`${name}: SQL labels equal the TypeScript bucket starts, every grain, zone and week start`, async () => {
      const store = d === duckdbDialect ? duck : ch;
      const mismatches: string[] = [];
      for (const tz of zones)
        for (const grain of GRAINS)
          for (const ws of grain === "week" ? weekStarts : (["mon"] as Weekday[])) {
            const got = await labels(store, d, grain, tz, ws);
            for (const ms of instants) {
              const want = bucketStart(grain, ms, tz, ws);
              const sql = labelToInstant(got.get(ms)!, tz);
              if (sql !== want)
                mismatches.push(`${grain}/${ws} ${tz} ${new Date(ms).toISOString()}: sql ${new Date(sql).toISOString()} ts ${new Date(want).toISOString()}`);
            }
          }
      assert.deepEqual(mismatches, []);
    });
  }

  it("DuckDB and ClickHouse give the same labels", async () => {
    for (const tz of ["Europe/London", "America/Havana", "Asia/Tehran"])
      for (const grain of GRAINS)
        assert.deepEqual(
          [...(await labels(ch, clickhouseDialect, grain, tz, "sat"))].sort(),
          [...(await labels(duck, duckdbDialect, grain, tz, "sat"))].sort(),
        );
  });
});
