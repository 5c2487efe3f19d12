import type { Row, TableDef } from "./schema.js";

/** One column's values as a store takes them: numbers with no nulls travel as a Float64Array (transferable, no per-value boxing). */
export type ColumnValues = (string | number | boolean | null)[] | Float64Array;

/**
 * Rows of one table turned column-major, every value already in the form the stores append
 * (JSON columns as text, whole numbers rounded): what a rebuild's fold worker hands back, so the
 * thread that writes only fills vectors and copies no row objects.
 */
export interface Columns {
  rows: number;
  /** in the table's column order */
  values: ColumnValues[];
}

export function columnsOf(t: TableDef, rows: Row[]): Columns {
  const n = rows.length;
  const values: ColumnValues[] = new Array(t.columns.length);
  for (let j = 0; j < t.columns.length; j++) {
    const { name, type } = t.columns[j];
    if (type === "int" || type === "ms" || type === "float") {
      const nums = new Float64Array(n);
      let i = 0;
      for (; i < n; i++) {
        const v = rows[i][name];
        if (v === null || v === undefined) break;
        nums[i] = type === "float" ? Number(v) : Math.round(v as number);
      }
      if (i === n) {
        values[j] = nums;
        continue;
      }
    }
    const col: (string | number | boolean | null)[] = new Array(n);
    for (let i = 0; i < n; i++) col[i] = storable(type, rows[i][name]);
    values[j] = col;
  }
  return { rows: n, values };
}

/** The rows back, for a store that inserts rows (ClickHouse). */
export function rowsOf(t: TableDef, cols: Columns): Row[] {
  const out: Row[] = new Array(cols.rows);
  for (let i = 0; i < cols.rows; i++) {
    const r: Row = {};
    for (let j = 0; j < t.columns.length; j++) r[t.columns[j].name] = cols.values[j][i];
    out[i] = r;
  }
  return out;
}

/** The ArrayBuffers of the columns, to transfer instead of copy. */
export function buffersOf(cols: Columns): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const v of cols.values) if (v instanceof Float64Array) out.push(v.buffer as ArrayBuffer);
  return out;
}

function storable(type: TableDef["columns"][number]["type"], v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "string":
    case "json":
      return typeof v === "string" ? v : JSON.stringify(v);
    case "int":
    case "ms":
      return Math.round(v as number);
    case "float":
      return Number(v);
    case "bool":
      return Boolean(v);
  }
}
