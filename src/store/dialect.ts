import type { SqlValue } from "./store.js";

/**
 * Everything the metric compiler needs to know about a database's SQL, and nothing more: the
 * compiler writes one query shape and the dialect fills in the few places where DuckDB and
 * ClickHouse differ. Values never enter SQL text: `param` makes a placeholder for them.
 */
export interface SqlDialect {
  readonly name: "duckdb" | "clickhouse";
  /** placeholder for the i-th (1-based) parameter, whose value is `value` */
  param(index: number, value: SqlValue): string;
  /** an integer the compiler computed (a bucket boundary, a zone offset), as a 64-bit integer literal */
  int(n: number): string;
  /**
   * `x` (integer ms) floored to a multiple of `unit` counted from `origin` (x ≥ origin). Bucket
   * labels are built from it (boundaries.ts): a label is the local wall-clock start of a bucket
   * read as UTC, e.g. 2026-11-01 00:00 local → Date.UTC(2026, 10, 1); `labelToInstant`
   * (buckets.ts) turns it into the real instant — a label, not an instant, because a wall-clock
   * time can happen twice (a fall-back hour, a midnight in Havana) and TypeScript resolves it
   * once, to the earlier one, for every database alike.
   */
  floorTo(x: string, unit: number, origin: number): string;
  /**
   * optional: the label of the calendar month, quarter or year (`months` 1, 3, 12) holding the
   * local wall-clock time `localMs` (epoch ms read as UTC), for a database that floors dates faster
   * than it compares each row with the list of bucket starts
   */
  floorMonths?(localMs: string, months: 1 | 3 | 12): string;
  /**
   * exact percentiles of `expr` (fractions 0–1), one select expression each, with linear
   * interpolation between closest ranks (R-7, like Excel's PERCENTILE.INC); the values are
   * gathered and sorted once for all of them
   */
  percentiles(expr: string, ps: number[]): string[];
  /** count of rows where `cond` holds */
  countIf(cond: string): string;
  /** sum of `expr` over rows where `cond` holds (NULL when none) */
  sumIf(expr: string, cond: string): string;
  /** whether the "|a|b|" tag column contains the delimited tag `tagParam` ("|a|") — a plain substring test, so _ and % are not wildcards */
  tagMatch(col: string, tagParam: string): string;
  /** the string value of `key` in a JSON object column */
  jsonString(col: string, keyParam: string): string;
  /** rows of one column `name` holding the given values (a derived table) */
  valuesTable(name: string, params: string[]): string;
  /** keyword of an inner join with every match (ClickHouse 18 wants ALL spelled out; GLOBAL across shards) */
  innerJoin: string;
  /** `NOT IN` against a subquery (GLOBAL NOT IN across shards) */
  notIn: string;
  /** `table` AS `alias` with one row per tag of its "|a|b|" column `col`, the tag in column `tag` (no rows for no tags) */
  splitTags(col: string, table: string, alias: string): string;
}
