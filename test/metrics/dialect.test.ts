import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Weekday } from "../../src/config/settings.js";
import { bucketStart, labelToInstant } from "../../src/metrics/buckets.js";
import { GRAINS } from "../../src/metrics/dialect.js";
import { duckdbDialect as d } from "../../src/metrics/dialects/duckdb.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import type { Store } from "../../src/store/store.js";

describe("DuckDB dialect: exact SQL of each helper", () => {
  it("placeholders are positional and never carry the value", () => {
    assert.equal(d.param(1, "x' OR 1=1 --"), "$1");
    assert.equal(d.param(12, 3.5), "$12");
  });

  it("buckets: the local wall-clock start as a label, week start shifted from Monday", () => {
    const local = "timezone($2, make_timestamptz(CAST(created_at AS BIGINT) * 1000))";
    assert.equal(d.bucket("month", "created_at", "$2", "mon"), `epoch_ms(date_trunc('month', ${local}))`);
    assert.equal(d.bucket("hour", "created_at", "$2", "mon"), `epoch_ms(date_trunc('hour', ${local}))`);
    assert.equal(d.bucket("week", "created_at", "$2", "mon"), `epoch_ms(date_trunc('week', ${local}))`);
    // Saturday start: shift = (1 − 6 + 7) % 7 = 2 days forward, truncate to Monday, 2 days back
    assert.equal(d.bucket("week", "created_at", "$2", "sat"), `epoch_ms((date_trunc('week', ${local} + INTERVAL 2 DAY) - INTERVAL 2 DAY))`);
    // Sunday start: shift = (1 − 0 + 7) % 7 = 1
    assert.equal(d.bucket("week", "created_at", "$2", "sun"), `epoch_ms((date_trunc('week', ${local} + INTERVAL 1 DAY) - INTERVAL 1 DAY))`);
  });

  it("aggregates, division, JSON, tags", () => {
    assert.equal(d.percentile("frt_s", 0.9), "quantile_cont(frt_s, 0.9)");
    assert.equal(d.countIf("fcr"), "count(CASE WHEN fcr THEN 1 END)");
    assert.equal(d.sumIf("frt_s", "(a) AND (b)"), "sum(CASE WHEN (a) AND (b) THEN frt_s END)");
    assert.equal(d.div("n", "m"), "(CAST(n AS DOUBLE) / NULLIF(m, 0))");
    assert.equal(d.jsonString("fields", "$3"), "json_extract_string(fields, '$.' || $3)");
    assert.equal(d.tagMatch("tags", "$4"), "contains(tags, $4)");
    assert.equal(d.valuesTable("t", ["$1", "$2"]), "(SELECT unnest([$1, $2]) AS t)");
    assert.equal(d.splitTags("tags").select, "unnest(string_split(trim(tags, '|'), '|'))");
    assert.equal(d.splitTags("tags").from("ticket_facts", "f"), "(SELECT *, unnest(string_split(trim(tags, '|'), '|')) AS tag FROM ticket_facts) AS f");
  });
});

describe("DuckDB dialect: what the SQL computes", () => {
  let store: Store;
  before(async () => {
    store = await openDuckDbStore({ path: ":memory:" });
  });
  after(() => store.close());
  const one = async (sql: string, params: (string | number)[] = []) => Object.values((await store.query(sql, params))[0])[0];

  it("percentile is R-7 (linear between closest ranks), the same definition ClickHouse computes", async () => {
    // values 10, 20, 40, 80: h = (4 − 1) × 0.9 = 2.7 → 40 + 0.7 × (80 − 40) = 68; median h = 1.5 → 30
    const vals = "(VALUES (10.0::DOUBLE), (20.0), (40.0), (80.0)) v(x)";
    assert.equal(await one(`SELECT ${d.percentile("x", 0.9)} FROM ${vals}`), 68);
    assert.equal(await one(`SELECT ${d.percentile("x", 0.5)} FROM ${vals}`), 30);
  });

  it("sumIf over no matching row is NULL, countIf is 0, div by zero is NULL", async () => {
    const vals = "(VALUES (1), (2)) v(x)";
    assert.equal(await one(`SELECT ${d.sumIf("x", "x > 5")} FROM ${vals}`), null);
    assert.equal(await one(`SELECT ${d.countIf("x > 5")} FROM ${vals}`), 0);
    assert.equal(await one(`SELECT ${d.div("1", "0")}`), null);
  });

  it("tagMatch is an exact tag match: _ and % in a tag are not wildcards", async () => {
    // the column holds "|a_b|c|"; asking for "|a_b|" matches, "|axb|" would by LIKE '%|a_b|%' semantics on "|axb|"
    assert.equal(await one(`SELECT ${d.tagMatch("$1", "$2")}`, ["|axb|", "|a_b|"]), false);
    assert.equal(await one(`SELECT ${d.tagMatch("$1", "$2")}`, ["|a_b|c|", "|a_b|"]), true);
    assert.equal(await one(`SELECT ${d.tagMatch("$1", "$2")}`, ["|100|", "|1%|"]), false);
  });

  it("custom field value by key", async () => {
    assert.equal(await one(`SELECT ${d.jsonString("$1", "$2")}`, ['{"plan":"pro","seats":3}', "plan"]), "pro");
    assert.equal(await one(`SELECT ${d.jsonString("$1", "$2")}`, ['{"plan":"pro"}', "tier"]), null);
  });

  // The TypeScript bucket list (used for compare, per-working-day and backlog instants) must agree
  // with the SQL buckets to the millisecond, in zones with half- and quarter-hour offsets, DST
  // (incl. a 30-minute DST shift and a midnight transition) and every week start.
  const zones = ["UTC", "Asia/Tehran", "Asia/Kathmandu", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata", "America/Havana"];
  const instants = [
    "2026-01-01T00:00:00Z",
    "2026-03-08T06:59:59Z", // New York: just before spring-forward
    "2026-03-08T07:00:00Z",
    "2026-04-04T15:29:00Z", // Lord Howe: around the 30-min fall-back
    "2026-04-05T00:30:00Z",
    "2026-09-06T03:30:00Z", // Santiago: clocks jump at local midnight
    "2026-09-06T04:30:00Z",
    "2026-03-20T20:29:59Z", // Tehran: the Persian new year, local midnight ± 1 s
    "2026-03-20T20:30:00Z",
    "2026-11-01T05:59:59Z", // New York: fall-back hour
    "2026-11-01T06:30:00Z",
    "2026-11-01T04:30:00Z", // Havana: 00:00–01:00 happens twice (01:00 CDT → 00:00 CST)
    "2026-11-01T05:30:00Z",
    "2026-12-31T18:14:59Z", // Kathmandu: year end at +05:45
    "2026-12-31T18:15:00Z",
  ].map(Date.parse);
  const weekStarts: Weekday[] = ["mon", "sun", "sat", "fri"];

  it("SQL buckets equal the TypeScript bucket starts, every grain, zone and week start", async () => {
    const cols: string[] = [];
    const expected: number[] = [];
    const params: (string | number)[] = [];
    for (const tz of zones) {
      for (const ms of instants) {
        for (const grain of GRAINS) {
          for (const ws of grain === "week" ? weekStarts : (["mon"] as Weekday[])) {
            params.push(ms, tz);
            cols.push(`${d.bucket(grain, `$${params.length - 1}`, `$${params.length}`, ws)} AS c${cols.length}`);
            expected.push(bucketStart(grain, ms, tz, ws));
          }
        }
      }
    }
    const row = (await store.query(`SELECT ${cols.join(", ")}`, params))[0];
    const sqlStart = (i: number) => labelToInstant(Number(row[`c${i}`]), params[2 * i + 1] as string);
    const mismatches = expected.flatMap((e, i) => (sqlStart(i) === e ? [] : [`${cols[i].slice(0, 60)}… [${params[2 * i]}, ${params[2 * i + 1]}]: sql ${new Date(sqlStart(i)).toISOString()} ts ${new Date(e).toISOString()}`]));
    // a bucket never starts after a row it holds
    assert.deepEqual(expected.filter((e, i) => e > (params[2 * i] as number)), []);
    assert.deepEqual(mismatches, []);
    // hand-checked: Havana 2026-11-01T04:30Z is 00:30 CDT, the first of two 00:30s → November starts at the first
    // local midnight, 04:00Z (the database alone would say 05:00Z, after the row); label = Date.UTC(2026, 10, 1)
    const havana = (await store.query(`SELECT ${d.bucket("month", "$1", "$2", "mon")} AS b`, [Date.parse("2026-11-01T04:30:00Z"), "America/Havana"]))[0];
    assert.equal(Number(havana.b), Date.UTC(2026, 10, 1));
    assert.equal(labelToInstant(Number(havana.b), "America/Havana"), Date.parse("2026-11-01T04:00:00Z"));
    // and Tehran (UTC+3:30) day of 2026-03-20T20:30Z is 2026-03-21 local → starts at 20:30Z
    assert.equal(bucketStart("day", Date.parse("2026-03-20T20:30:00Z"), "Asia/Tehran", "mon"), Date.parse("2026-03-20T20:30:00Z"));
  });
});
