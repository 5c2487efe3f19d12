import type { SqlValue } from "../store.js";

/** A SQL literal for ClickHouse: strings quoted with backslash and quote escaped, numbers checked finite. */
export function chLiteral(v: SqlValue): string {
  if (v === null) return "NULL";
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`cannot send ${v} to ClickHouse`);
    return String(v);
  }
  return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/**
 * ClickHouse before 19 has no server-side query parameters. There the store binds each
 * `{pN:Type}` placeholder itself with an escaped literal; newer servers get `query_params`.
 * Either way the compiler only ever writes placeholders.
 */
export function inlineParams(sql: string, params: SqlValue[]): string {
  return sql.replace(/\{p(\d+):[A-Za-z0-9()]+\}/g, (_, i: string) => {
    const idx = Number(i) - 1;
    if (idx < 0 || idx >= params.length) throw new Error(`no value for parameter ${i}`);
    return chLiteral(params[idx]);
  });
}
