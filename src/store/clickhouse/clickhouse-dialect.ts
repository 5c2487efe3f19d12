import type { SqlValue } from "../store.js";
import type { SqlDialect } from "../dialect.js";

function chType(v: SqlValue): string {
  if (typeof v === "number") return Number.isInteger(v) ? "Int64" : "Float64";
  if (typeof v === "boolean") return "UInt8";
  return v === null ? "Nullable(String)" : "String";
}

/** R-7 like DuckDB's quantile_cont: a[lo] + (h − lo) × (a[lo+1] − a[lo]) with h = (n − 1) × p */
function percentile(expr: string, p: number): string {
  const a = `arraySort(groupArray(${expr}))`;
  const h = `((length(${a}) - 1) * ${Number(p)})`;
  const lo = `toUInt64(floor(${h}))`;
  return `if(length(${a}) = 0, NULL, arrayElement(${a}, ${lo} + 1) + (${h} - floor(${h})) * (arrayElement(${a}, ${lo} + 2) - arrayElement(${a}, ${lo} + 1)))`;
}

/**
 * ClickHouse, from Debian's 18.16 to current releases: no window functions, `-If` combinators,
 * exact percentiles from sorted arrays (so they match DuckDB's interpolation), and
 * GLOBAL joins/IN so that subqueries see every shard of a Distributed table.
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
  percentiles(expr, ps) {
    // the same groupArray in each is one aggregate to ClickHouse (identical expressions are computed once)
    return ps.map((p) => percentile(expr, p));
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
