/**
 * The one CSV writer (RFC 4180 quoting) for every file the project writes: drill-downs, reports,
 * ticket exports. Text cells that a spreadsheet would run as a formula — those beginning with
 * `=`, `+`, `-`, `@`, tab or carriage return (OWASP's list) — get a leading `'`, because their
 * content came from an ingest key or a webhook sender and must open as text. Numbers are written
 * as they are (a negative number is data, not a formula).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  // OWASP: a leading quote, and the cell quoted, so the guard survives any CSV reader.
  if (FORMULA_START.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(",");
}

/** Rows to CSV text: a header line of `columns` (default: every key seen, in order) and a line per row. */
export function toCsv(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [csvLine(cols), ...rows.map((r) => csvLine(cols.map((c) => r[c])))].join("\n");
}
