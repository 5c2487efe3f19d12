import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { query as chdbQuery } from "chdb";
import fc from "fast-check";
import { bucketLabelSql } from "../../src/metrics/boundaries.js";
import { bucketStart, labelToInstant } from "../../src/metrics/buckets.js";
import { GRAINS } from "../../src/metrics/grains.js";
import { clickhouse18Dialect, clickhouseDialect } from "../../src/store/clickhouse/clickhouse-dialect.js";
import type { SqlDialect } from "../../src/store/dialect.js";
import { type Cluster, clickhouseSkipReason, startCluster } from "../helpers/clickhouse-cluster.js";

// The two ClickHouse dialects' own SQL, on the servers they are for: 18.16 (Debian's, here) and
// current ClickHouse (chdb 26.x). Bucket labels — months, quarters and years floored on the local
// time — must equal the TypeScript bucket starts across DST and in half-hour zones; exact R-7
// percentiles must equal DuckDB's quantile_cont.

const skip = clickhouseSkipReason();
const FROM = Date.parse("2025-12-01T00:00:00Z");
const TO = Date.parse("2027-01-15T00:00:00Z");
const zones = ["UTC", "Europe/London", "America/Havana", "Asia/Tehran", "Asia/Kolkata", "Australia/Lord_Howe"];
const edges = [
  "2026-01-01T00:00:00Z",
  "2025-12-31T23:59:59.999Z",
  "2026-03-08T04:59:59Z", // Havana: clocks jump from 00:00 to 01:00 local (05:00Z)
  "2026-03-08T05:00:00Z",
  "2026-03-29T00:59:59Z", // London: spring-forward 01:00 GMT → 02:00 BST
  "2026-03-29T01:00:00Z",
  "2026-03-31T22:59:59Z", // London: 1 April (BST) starts at 23:00Z on 31 March
  "2026-03-31T23:00:00Z",
  "2026-06-30T18:29:59Z", // Kolkata: the third quarter starts at 18:30Z
  "2026-06-30T18:30:00Z",
  "2026-09-30T20:29:59Z", // Tehran (+03:30): October starts at 20:30Z
  "2026-09-30T20:30:00Z",
  "2026-10-31T23:30:00Z", // London: November starts at 00:00 GMT
  "2026-11-01T04:30:00Z", // Havana: 00:00–01:00 on 1 November happens twice
  "2026-11-01T05:30:00Z",
  "2026-12-31T13:00:00Z", // Lord Howe (+11 in summer): the year 2027 starts at 13:00Z
  "2026-12-31T12:59:59Z",
].map(Date.parse);
const sample = fc.sample(fc.integer({ min: FROM, max: TO - 1 }), { numRuns: 80, seed: 29 });

/** bucket label SQL of every instant, run by `run` (rows of JSON {x, b}), compared with TypeScript's bucket starts */
async function mismatches(d: SqlDialect, run: (sql: string) => Promise<string>): Promise<string[]> {
  const out: string[] = [];
  const xs = [...edges, ...sample];
  for (const tz of zones)
    for (const grain of GRAINS) {
      const sql = `SELECT x, ${bucketLabelSql(d, grain, "x", tz, "mon", FROM, TO)} AS b FROM (SELECT arrayJoin([${xs.map((x) => `toInt64(${x})`).join(", ")}]) AS x) FORMAT JSONEachRow`;
      for (const line of (await run(sql)).split("\n").filter(Boolean)) {
        const { x, b } = JSON.parse(line) as { x: string | number; b: string | number };
        const got = labelToInstant(Number(b), tz);
        const want = bucketStart(grain, Number(x), tz, "mon");
        if (got !== want)
          out.push(`${grain} ${tz} ${new Date(Number(x)).toISOString()}: sql ${new Date(got).toISOString()}, ts ${new Date(want).toISOString()}`);
      }
    }
  return out;
}

const LEVELS = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1];
/** values with NULLs among them, duplicates, fractions and negative numbers (no subnormals, which 18.16 does not round-trip) */
const valuesArb = fc.array(
  fc.option(
    fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.integer({ min: -64_000_000, max: 64_000_000 }).map((n) => n / 64),
    ),
    { freq: 5 },
  ),
  {
    minLength: 1,
    maxLength: 60,
  },
);
const levelsArb = fc.uniqueArray(fc.constantFrom(...LEVELS), { minLength: 1, maxLength: 4 });

function near(a: unknown, b: number | null, what: string) {
  assert.ok(typeof a === "number" && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} ≠ ${b}`);
}

/** the dialect's percentiles of `values` (ClickHouse) */
const percentileSql = (d: SqlDialect, values: (number | null)[], ps: number[]) =>
  `SELECT ${d.percentiles("x", ps).join(", ")} FROM (SELECT arrayJoin([${values.map((v) => (v === null ? "NULL" : `toFloat64(${v})`)).join(", ")}]) AS x)`;

describe("ClickHouse dialects on the servers they are for", () => {
  let duck: Awaited<ReturnType<DuckDBInstance["connect"]>>;
  before(async () => {
    duck = await (await DuckDBInstance.create(":memory:")).connect();
  });
  /** DuckDB's quantile_cont of the non-NULL values (NULL for none) */
  const reference = async (values: (number | null)[], ps: number[]) => {
    const nonNull = values.filter((v) => v !== null);
    if (nonNull.length === 0) return ps.map(() => null);
    const r = await duck.runAndReadAll(`SELECT unnest(quantile_cont(x, [${ps.join(", ")}])) FROM (SELECT unnest([${nonNull.join(", ")}]::DOUBLE[]) AS x)`);
    return r.getRows().map((row) => Number(row[0]));
  };

  it("current ClickHouse (chdb 26.x): month, quarter and year labels floored on the local time equal the TypeScript bucket starts", async () => {
    assert.deepEqual(await mismatches(clickhouseDialect, async (sql) => chdbQuery(sql, "JSONEachRow")), []);
  });

  for (const [name, d] of [
    ["current (quantilesExactInclusive)", clickhouseDialect],
    ["18.16 (sorted values)", clickhouse18Dialect],
  ] as const)
    it(`chdb 26.x, ${name}: percentiles are DuckDB's R-7 quantile_cont`, async () => {
      await fc.assert(
        fc.asyncProperty(valuesArb, levelsArb, async (values, ps) => {
          // the compiler reads no percentile of an empty sample (its count is 0)
          if (values.every((v) => v === null)) return;
          const got = Object.values(JSON.parse(chdbQuery(`${percentileSql(d, values, ps)} FORMAT JSONEachRow`, "JSONEachRow")));
          const want = await reference(values, ps);
          for (const [i, p] of ps.entries()) near(got[i], want[i], `p${p} of ${JSON.stringify(values)}`);
        }),
        { numRuns: 150, seed: 41 },
      );
    });

  // a hand-computed case: 1, 2, 3, 4 → median 2.5, p90 = 3 + 0.7 × 1 = 3.7, p25 = 1 + 0.75 = 1.75
  it("chdb 26.x: the median of 1, 2, 3, 4 is 2.5 and p90 3.7 (interpolated, not the nearest rank)", () => {
    const row = JSON.parse(chdbQuery(`${percentileSql(clickhouseDialect, [4, 1, null, 3, 2], [0.5, 0.9, 0.25])} FORMAT JSONEachRow`, "JSONEachRow"));
    assert.deepEqual(Object.values(row), [2.5, 3.7, 1.75]);
  });

  describe("Debian's 18.16", { skip }, () => {
    let cluster: Cluster;
    before(async () => {
      cluster = await startCluster({ shards: 1, distributed: false });
    });
    after(async () => {
      await cluster?.stop();
    });

    it("has no quantilesExactInclusive, so the store picks the 18.16 dialect", async () => {
      assert.equal((await cluster.sql(0, "SELECT count() FROM system.functions WHERE name = 'quantilesExactInclusive'")).trim(), "0");
    });

    it("month, quarter and year labels floored on the local time equal the TypeScript bucket starts", async () => {
      assert.deepEqual(await mismatches(clickhouse18Dialect, (sql) => cluster.sql(0, sql)), []);
    });

    it("percentiles are DuckDB's R-7 quantile_cont", async () => {
      await fc.assert(
        fc.asyncProperty(valuesArb, levelsArb, async (values, ps) => {
          if (values.every((v) => v === null)) return;
          const got = Object.values(JSON.parse(await cluster.sql(0, `${percentileSql(clickhouse18Dialect, values, ps)} FORMAT JSONEachRow`)));
          const want = await reference(values, ps);
          for (const [i, p] of ps.entries()) near(got[i], want[i], `p${p} of ${JSON.stringify(values)}`);
        }),
        { numRuns: 60, seed: 43 },
      );
    });
  });
});
