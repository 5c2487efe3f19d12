import type { Row, TableDef } from "./schema.js";

/**
 * One column's values as a store takes them. Numbers with no nulls travel as a Float64Array, text
 * as one string and the lengths of its pieces: both cross to another thread for the price of a
 * copy of their bytes (the lengths transferred), where an array of strings is cloned value by
 * value (~1.5 µs per replayed event on the receiving thread, against ~0.25 so).
 */
export type ColumnValues = (string | number | boolean | null)[] | Float64Array | PackedText;

export interface PackedText {
  /** each value's length in `text`, -1 for null */
  lengths: Int32Array;
  text: string;
}

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

/**
 * The table's rows as columns, text packed (`packText`) when they are to cross to another thread. Throws when a number column holds NaN or ±Infinity (no store keeps
 * them; the fold quarantines what produced it).
 */
export function columnsOf(t: TableDef, rows: Row[], opts: { packText: boolean }): Columns {
  let extract = extractors.get(t.name);
  if (!extract) {
    extract = extractor(t);
    extractors.set(t.name, extract);
  }
  return { rows: rows.length, values: extract(rows, opts.packText ? packText : unpacked) };
}

type Extractor = (rows: Row[], pack: (values: (string | null)[]) => ColumnValues) => ColumnValues[];
const unpacked = (values: (string | null)[]) => values;
const extractors = new Map<string, Extractor>();

function packText(values: (string | null)[]): PackedText {
  const lengths = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    lengths[i] = v === null ? -1 : v.length;
  }
  // join() writes null as ""
  return { lengths, text: values.join("") };
}

/** A column's values one by one (text unpacked). */
export function valuesOf(v: ColumnValues): ArrayLike<string | number | boolean | null> {
  if (!("lengths" in v)) return v;
  const { lengths, text } = v;
  const out: (string | null)[] = new Array(lengths.length);
  for (let i = 0, off = 0; i < lengths.length; i++) {
    const n = lengths[i];
    if (n < 0) out[i] = null;
    else {
      out[i] = text.slice(off, off + n);
      off += n;
    }
  }
  return out;
}

/**
 * A function that reads every column of the table out of its rows, compiled once per table: each
 * column's property read is written out (`rows[i]["ticket_id"]`), so V8 caches it for the rows'
 * one shape. A loop over the column names reads by a key that changes every step, about 5× slower
 * (0.69 against 0.13 µs per replayed event), which was a fifth of a rebuild's fold.
 */
function extractor(t: TableDef): Extractor {
  const body = ["const n = rows.length;", "const out = [];"];
  for (const { name, type } of t.columns) {
    const v = `rows[i][${JSON.stringify(name)}]`;
    const bad = `throw new Error(${JSON.stringify(`${t.name}.${name} came out as `)} + x);`;
    if (type === "int" || type === "ms" || type === "float") {
      const num = type === "float" ? "Number(x)" : "Math.round(x)";
      // no nulls: a Float64Array (transferred, not copied); else an array with nulls
      body.push(`{ let a = new Float64Array(n), i = 0;
        for (; i < n; i++) { const x = ${v}; if (x === null || x === undefined) break; if (typeof x === "number" && !Number.isFinite(x)) ${bad} a[i] = ${num}; }
        if (i < n) { a = new Array(n); for (i = 0; i < n; i++) { const x = ${v}; if (typeof x === "number" && !Number.isFinite(x)) ${bad} a[i] = x === null || x === undefined ? null : ${num}; } }
        out.push(a); }`);
    } else {
      const val = type === "bool" ? "Boolean(x)" : `typeof x === "string" ? x : JSON.stringify(x)`;
      body.push(
        `{ const a = new Array(n); for (let i = 0; i < n; i++) { const x = ${v}; a[i] = x === null || x === undefined ? null : ${val}; } out.push(a); }`,
      );
    }
  }
  body.push("return out;");
  return new Function("rows", "pack", body.join("\n")) as Extractor;
}

/** The rows back, for a store that inserts rows (ClickHouse). */
export function rowsOf(t: TableDef, cols: Columns): Row[] {
  const values = cols.values.map(valuesOf);
  const out: Row[] = new Array(cols.rows);
  for (let i = 0; i < cols.rows; i++) {
    const r: Row = {};
    for (let j = 0; j < t.columns.length; j++) r[t.columns[j].name] = values[j][i];
    out[i] = r;
  }
  return out;
}

/** The ArrayBuffers of the columns, to transfer instead of copy. */
export function buffersOf(cols: Columns): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const v of cols.values)
    if (v instanceof Float64Array) out.push(v.buffer as ArrayBuffer);
    else if ("lengths" in v) out.push(v.lengths.buffer as ArrayBuffer);
  return out;
}
