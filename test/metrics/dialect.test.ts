import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { duckdbDialect as d } from "../../src/store/duckdb/duckdb-dialect.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import type { Store } from "../../src/store/store.js";

describe("DuckDB dialect: exact SQL of each helper", () => {
  it("placeholders are positional and never carry the value", () => {
    assert.equal(d.param(1, "x' OR 1=1 --"), "$1");
    assert.equal(d.param(12, 3.5), "$12");
  });

  it("integers the compiler computed, and flooring to a unit (bucket labels, see boundaries.ts)", () => {
    assert.equal(d.int(1761440400000), "1761440400000");
    assert.equal(d.int(-18000000), "(-18000000)");
    assert.throws(() => d.int(1.5));
    assert.equal(d.floorTo("created_at", 3600000, 0), "(created_at // 3600000 * 3600000)");
    assert.equal(d.floorTo("x", 604800000, -345600000), "((x - (-345600000)) // 604800000 * 604800000 + (-345600000))");
  });

  it("aggregates, JSON, tags", () => {
    assert.deepEqual(d.percentiles("frt_s", [0.9]), ["quantile_cont(frt_s, 0.9)"]);
    assert.deepEqual(d.percentiles("frt_s", [0.5, 0.9]), ["quantile_cont(frt_s, [0.5, 0.9])[1]", "quantile_cont(frt_s, [0.5, 0.9])[2]"]);
    assert.equal(d.countIf("fcr"), "count_if(fcr)");
    assert.equal(d.sumIf("frt_s", "(a) AND (b)"), "sum(CASE WHEN (a) AND (b) THEN frt_s END)");
    assert.equal(d.jsonString("fields", "$3"), "json_extract_string(fields, '$.' || $3)");
    assert.equal(d.tagMatch("tags", "$4"), "contains(tags, $4)");
    assert.equal(d.valuesTable("t", ["$1", "$2"]), "(SELECT unnest([$1, $2]) AS t)");
    assert.equal(d.splitTags("tags", "ticket_facts", "f"), "(SELECT *, unnest(string_split(trim(tags, '|'), '|')) AS tag FROM ticket_facts) AS f");
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
    assert.equal(await one(`SELECT ${d.percentiles("x", [0.9])[0]} FROM ${vals}`), 68);
    const [median, p90] = Object.values((await store.query(`SELECT ${d.percentiles("x", [0.5, 0.9]).join(", ")} FROM ${vals}`))[0]);
    assert.deepEqual([median, p90], [30, 68]);
  });

  it("sumIf over no matching row is NULL, countIf is 0", async () => {
    const vals = "(VALUES (1), (2)) v(x)";
    assert.equal(await one(`SELECT ${d.sumIf("x", "x > 5")} FROM ${vals}`), null);
    assert.equal(await one(`SELECT ${d.countIf("x > 5")} FROM ${vals}`), 0);
    // a NULL condition (x unknown) does not count
    assert.equal(await one(`SELECT ${d.countIf("x > 1")} FROM (VALUES (1), (2), (NULL), (3)) v(x)`), 2);
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
});
