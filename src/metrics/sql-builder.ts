import type { WorkspaceSettings } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";
import { table } from "../store/schema.js";
import type { SqlValue } from "../store/store.js";
import type { SqlDialect } from "../store/dialect.js";
import { DIMENSIONS, type Resolved } from "./request.js";

/** Collects parameter values and hands out the dialect's placeholders for them, in order. */
export class Params {
  readonly values: SqlValue[] = [];
  constructor(private readonly d: SqlDialect) {}
  add(v: SqlValue): string {
    this.values.push(v);
    return this.d.param(this.values.length, v);
  }
}

/** AND of conditions, skipping the always-true ones. */
export function and(...conds: (string | undefined)[]): string {
  const list = conds.filter((c): c is string => !!c && c !== "TRUE");
  return list.length === 0 ? "1 = 1" : list.map((c) => `(${c})`).join(" AND ");
}

/** Replaces `{s:name}` in a catalog condition by a parameter holding that setting's value, `{w}` by the CX weights and `{now}` by the current instant. */
export function bindSettings(sql: string, settings: WorkspaceSettings, p: Params): string {
  return sql
    .replace(/\{now\}/g, () => p.add(Date.now()))
    .replace(/\{s:([a-z_]+)\}/g, (_, name: string) => {
      const v = (settings as unknown as Record<string, unknown>)[name];
      if (typeof v !== "number") throw new Error(`setting ${name} is not a number`);
      return p.add(v);
    })
    .replace(/\{w\}/g, () => {
      const entries = Object.entries(settings.cx_weights);
      if (entries.length === 0) return "1";
      return `(CASE ${entries.map(([q, w]) => `WHEN question = ${p.add(q)} THEN ${p.add(w)}`).join(" ")} ELSE 1 END)`;
    });
}

export function hasColumn(tableName: string, col: string): boolean {
  return table(tableName).columns.some((c) => c.name === col);
}

/** The SQL expression of a dimension on a fact table (tag needs the split-tags source, see `source`). */
export function dimExpr(d: SqlDialect, tableName: string, dim: string, p: Params, metricId: string): string {
  if (dim === "tag") {
    if (!hasColumn(tableName, "tags")) throw new UserError("unsupported_dimension", `${metricId} cannot be grouped by tag`);
    return "tag";
  }
  if (dim.startsWith("field.")) {
    if (!hasColumn(tableName, "fields")) throw new UserError("unsupported_dimension", `${metricId} cannot be grouped by ${dim}`);
    return d.jsonString("fields", p.add(dim.slice(6)));
  }
  const col = DIMENSIONS[dim];
  if (!hasColumn(tableName, col)) throw new UserError("unsupported_dimension", `${metricId} cannot be grouped or filtered by ${dim}`);
  return col;
}

/** FROM clause: the fact table, or one row per tag when grouping by tag. */
export function source(d: SqlDialect, tableName: string, r: Resolved): string {
  return r.groupBy.includes("tag") ? d.splitTags("tags", tableName, "f") : `${tableName} AS f`;
}

/** Conditions for the request's filters (values as parameters). */
export function filterConds(d: SqlDialect, tableName: string, filters: Record<string, string[]>, p: Params, metricId: string): string[] {
  const out: string[] = [];
  for (const [dim, values] of Object.entries(filters)) {
    if (dim === "tag") {
      if (!hasColumn(tableName, "tags")) throw new UserError("unsupported_dimension", `${metricId} cannot be filtered by tag`);
      out.push(values.map((v) => d.tagMatch("tags", p.add(`|${v}|`))).join(" OR "));
      continue;
    }
    const e = dimExpr(d, tableName, dim, p, metricId);
    out.push(`${e} IN (${values.map((v) => p.add(v)).join(", ")})`);
  }
  return out;
}
