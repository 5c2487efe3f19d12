import type { SqlValue } from "../store.js";
import type { SqlDialect } from "../dialect.js";

function chType(v: SqlValue): string {
  if (typeof v === "number") return Number.isInteger(v) ? "Int64" : "Float64";
  if (typeof v === "boolean") return "UInt8";
  return v === null ? "Nullable(String)" : "String";
}

const FLOOR_MONTHS = { 1: "toStartOfMonth", 3: "toStartOfQuarter", 12: "toStartOfYear" } as const;

/**
 * ClickHouse from 20.1 on (what users deploy; chdb runs 26.x): no window functions, `-If`
 * combinators, GLOBAL joins/IN so that subqueries see every shard of a Distributed table.
 * Percentiles are `quantilesExactInclusive`: R-7 like DuckDB's quantile_cont, all levels from one
 * gathering of the values (a partial sort per level), merged across shards by the Distributed table.
 */
export const clickhouseDialect: SqlDialect = {
  name: "clickhouse",
  param: (i, v) => `{p${i}:${chType(v)}}`,
  // Int64 throughout: ClickHouse has no common type for UInt64 literals and negative ones
  int: (n) => {
    if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
    return `toInt64(${n})`;
  },
  floorTo: (x, unit, origin) =>
    origin === 0 ? `(intDiv(${x}, ${unit}) * ${unit})` : `(intDiv(${x} - toInt64(${origin}), ${unit}) * ${unit} + toInt64(${origin}))`,
  // the calendar in UTC on the local time (the server's own zone data is never used): cheaper than
  // comparing each row with a dozen bucket starts, which 18.16 evaluates all of (its CASE does not
  // short-circuit); the label is the day number × one day
  floorMonths: (local, months) => `(toInt64(${FLOOR_MONTHS[months]}(toDateTime(intDiv(${local}, 1000), 'UTC'))) * 86400000)`,
  percentiles(expr, ps) {
    // one aggregate for all levels (identical aggregate expressions are computed once)
    const all = `quantilesExactInclusive(${ps.map(Number).join(", ")})(${expr})`;
    return ps.map((_, j) => `${all}[${j + 1}]`);
  },
  countIf: (cond) => `countIf(${cond})`,
  sumIf: (expr, cond) => `sumIf(${expr}, ${cond})`,
  tagMatch: (col, tag) => `(position(${col}, ${tag}) > 0)`,
  jsonString: (col, key) => `visitParamExtractString(${col}, ${key})`,
  innerJoin: "GLOBAL ALL INNER JOIN",
  notIn: "GLOBAL NOT IN",
  valuesTable: (name, params) => `(SELECT arrayJoin([${params.join(", ")}]) AS ${name})`,
  // a NULL tag list gives no rows, as in DuckDB (arrays cannot be Nullable in ClickHouse)
  splitTags: (col, table, alias) =>
    `(SELECT *, arrayJoin(if(isNull(${col}), emptyArrayString(), splitByChar('|', replaceRegexpAll(assumeNotNull(${col}), '^[|]|[|]$', '')))) AS tag FROM ${table}) AS ${alias}`,
};

/** R-7 from the sorted values: a[lo] + (h − lo) × (a[lo+1] − a[lo]) with h = (n − 1) × p */
function sortedPercentile(expr: string, p: number): string {
  const a = `arraySort(groupArray(${expr}))`;
  const h = `((length(${a}) - 1) * ${Number(p)})`;
  const lo = `toUInt64(floor(${h}))`;
  return `if(length(${a}) = 0, NULL, arrayElement(${a}, ${lo} + 1) + (${h} - floor(${h})) * (arrayElement(${a}, ${lo} + 2) - arrayElement(${a}, ${lo} + 1)))`;
}

/**
 * Debian's 18.16, before `quantileExactInclusive` (20.1): its `quantileExact` is the nearest rank,
 * not R-7, so the values are gathered and sorted once (`arraySort(groupArray(x))`, the same
 * expression in every level, computed once) and interpolated by hand.
 */
export const clickhouse18Dialect: SqlDialect = {
  ...clickhouseDialect,
  percentiles: (expr, ps) => ps.map((p) => sortedPercentile(expr, p)),
};
