import { WEEKDAYS } from "../../config/settings.js";
import type { SqlDialect } from "../dialect.js";

export const duckdbDialect: SqlDialect = {
  name: "duckdb",
  caps: { nonEquiJoin: true },
  param: (i) => `$${i}`,
  bucket(grain, ms, tz, weekStart) {
    const local = `timezone(${tz}, make_timestamptz(CAST(${ms} AS BIGINT) * 1000))`;
    if (grain === "week") {
      // date_trunc('week') starts on Monday; shift so that weeks start on the configured day
      const shift = (1 - WEEKDAYS.indexOf(weekStart) + 7) % 7;
      const trunc = shift === 0 ? `date_trunc('week', ${local})` : `(date_trunc('week', ${local} + INTERVAL ${shift} DAY) - INTERVAL ${shift} DAY)`;
      return `epoch_ms(${trunc})`;
    }
    return `epoch_ms(date_trunc('${grain}', ${local}))`;
  },
  percentile: (expr, p) => `quantile_cont(${expr}, ${Number(p)})`,
  countIf: (cond) => `count(CASE WHEN ${cond} THEN 1 END)`,
  sumIf: (expr, cond) => `sum(CASE WHEN ${cond} THEN ${expr} END)`,
  tagMatch: (col, tag) => `contains(${col}, ${tag})`,
  jsonString: (col, key) => `json_extract_string(${col}, '$.' || ${key})`,
  div: (num, den) => `(CAST(${num} AS DOUBLE) / NULLIF(${den}, 0))`,
  innerJoin: "INNER JOIN",
  notIn: "NOT IN",
  valuesTable: (name, params) => `(SELECT unnest([${params.join(", ")}]) AS ${name})`,
  splitTags: (col) => ({
    select: `unnest(string_split(trim(${col}, '|'), '|'))`,
    from: (table, alias) => `(SELECT *, unnest(string_split(trim(${col}, '|'), '|')) AS tag FROM ${table}) AS ${alias}`,
  }),
};
