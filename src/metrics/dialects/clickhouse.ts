import { WEEKDAYS } from "../../config/settings.js";
import type { SqlValue } from "../../store/store.js";
import type { Grain, SqlDialect } from "../dialect.js";

function chType(v: SqlValue): string {
  if (typeof v === "number") return Number.isInteger(v) ? "Int64" : "Float64";
  if (typeof v === "boolean") return "UInt8";
  return v === null ? "Nullable(String)" : "String";
}

/**
 * ClickHouse, from Debian's 18.16 to current releases: no window functions, `-If` combinators,
 * `toMonday`, exact percentiles from sorted arrays (so they match DuckDB's interpolation), and
 * GLOBAL joins/IN so that subqueries see every shard of a Distributed table.
 */
export const clickhouseDialect: SqlDialect = {
  name: "clickhouse",
  caps: { nonEquiJoin: false },
  param: (i, v) => `{p${i}:${chType(v)}}`,
  bucket(grain: Grain, ms, tz, weekStart) {
    const dt = `toDateTime(intDiv(${ms}, 1000), ${tz})`;
    const asMs = (dateExpr: string) => `(toInt64(toUnixTimestamp(toDateTime(${dateExpr}, ${tz}))) * 1000)`;
    switch (grain) {
      case "hour":
        return `(toInt64(toUnixTimestamp(toStartOfHour(${dt}))) * 1000)`;
      case "day":
        return asMs(`toDate(${dt})`);
      case "week": {
        const shift = (1 - WEEKDAYS.indexOf(weekStart) + 7) % 7;
        return shift === 0 ? asMs(`toMonday(${dt})`) : asMs(`addDays(toMonday(addDays(${dt}, ${shift})), -${shift})`);
      }
      case "month":
        return asMs(`toStartOfMonth(${dt})`);
      case "quarter":
        return asMs(`toStartOfQuarter(${dt})`);
      case "year":
        return asMs(`toStartOfYear(${dt})`);
    }
  },
  percentile(expr, p) {
    // R-7 like DuckDB's quantile_cont: a[lo] + (h − lo) × (a[lo+1] − a[lo]) with h = (n − 1) × p
    const a = `arraySort(groupArray(${expr}))`;
    const h = `((length(${a}) - 1) * ${Number(p)})`;
    const lo = `toUInt64(floor(${h}))`;
    return `if(length(${a}) = 0, NULL, arrayElement(${a}, ${lo} + 1) + (${h} - floor(${h})) * (arrayElement(${a}, ${lo} + 2) - arrayElement(${a}, ${lo} + 1)))`;
  },
  countIf: (cond) => `countIf(${cond})`,
  sumIf: (expr, cond) => `sumIf(${expr}, ${cond})`,
  jsonString: (col, key) => `visitParamExtractString(${col}, ${key})`,
  div: (num, den) => `(${num} / nullIf(${den}, 0))`,
  innerJoin: "GLOBAL ALL INNER JOIN",
  notIn: "GLOBAL NOT IN",
  valuesTable: (name, params) => `(SELECT arrayJoin([${params.join(", ")}]) AS ${name})`,
  splitTags: (col) => {
    // a NULL tag list gives no rows, as in DuckDB (arrays cannot be Nullable in ClickHouse)
    const tags = `arrayJoin(if(isNull(${col}), emptyArrayString(), splitByChar('|', replaceRegexpAll(assumeNotNull(${col}), '^[|]|[|]$', ''))))`;
    return { select: tags, from: (table, alias) => `(SELECT *, ${tags} AS tag FROM ${table}) AS ${alias}` };
  },
};
