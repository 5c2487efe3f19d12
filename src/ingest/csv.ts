import { Readable } from "node:stream";
import { type CsvError, parse } from "csv-parse";

/**
 * A streaming CSV reader on csv-parse: quoted fields, doubled quotes, newlines inside quotes,
 * CRLF, a byte-order mark, and quotes inside unquoted fields (`Monitor 27" broken`) read as
 * text rather than opening a field that swallows the rest of the file. The delimiter is detected
 * from the header line among , ; tab and |. Rows come out with their 1-based row number (the
 * header is row 1) and their text as in the file, for dead-lettering.
 */
export interface CsvRow {
  row: number;
  cells: string[];
  /** the row as it was in the file, for dead-lettering */
  raw: string;
  /** why the row could not be read (it then has no cells) */
  error?: string;
}

export function detectDelimiter(headerLine: string): string {
  let best = ",";
  let bestCount = 0;
  for (const d of [",", ";", "\t", "|"]) {
    let n = 0;
    let quoted = false;
    for (const ch of headerLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) n++;
    }
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** The text before the first line break, and every chunk read so far (to replay). */
async function headerLine(it: AsyncIterator<string>): Promise<{ line: string; seen: string[] }> {
  const seen: string[] = [];
  let text = "";
  while (!/[\r\n]/.test(text) && text.length < 1 << 20) {
    const r = await it.next();
    if (r.done) break;
    seen.push(r.value);
    text += r.value;
  }
  return { line: text.replace(/^\uFEFF/, "").split(/\r?\n|\r/)[0], seen };
}

/** A row written back as CSV: what a reject keeps of a row that parsed (csv-parse's `raw` option costs a third of its speed). */
export function csvLine(cells: string[], delim: string): string {
  return cells.map((c) => (c.includes(delim) || c.includes('"') || c.includes("\n") || c.includes("\r") ? `"${c.replaceAll('"', '""')}"` : c)).join(delim);
}

/**
 * The last few MB of the input, to quote a record the parser gave up on. That is only ever the
 * last one (a quote opened and never closed runs to the end of the file), so its text starts on
 * the line of the last quote that opens a field.
 */
class Tail {
  private parts: string[] = [];
  private size = 0;
  add(chunk: string): void {
    this.parts.push(chunk);
    this.size += chunk.length;
    while (this.parts.length > 1 && this.size - this.parts[0].length > 4 << 20) this.size -= this.parts.shift()!.length;
  }
  unterminated(delim: string): string {
    const text = this.parts.join("").replace(/^\uFEFF/, "");
    let q = -1;
    for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1))
      if (i === 0 || text[i - 1] === delim || text[i - 1] === "\n" || text[i - 1] === "\r") q = i;
    const lineStart = Math.max(text.lastIndexOf("\n", q), text.lastIndexOf("\r", q)) + 1;
    return text.slice(lineStart).replace(/(\r\n|\n|\r)$/, "");
  }
}

export async function* readCsv(chunks: AsyncIterable<string>, delimiter?: string): AsyncGenerator<CsvRow> {
  const it = chunks[Symbol.asyncIterator]();
  const head = await headerLine(it);
  const delim = delimiter ?? detectDelimiter(head.line);
  // a skipped record comes after `after` good ones; row numbers count both kinds
  const skipped: { after: number; row: Omit<CsvRow, "row"> }[] = [];
  let skips = 0;
  const tail = new Tail();
  const parser = parse({
    bom: true,
    delimiter: delim,
    relax_quotes: true,
    // a row with the wrong number of cells is the caller's to reject, with its reason
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      const why = err?.code === "CSV_QUOTE_NOT_CLOSED" ? "ends inside a quoted field (truncated file?)" : `cannot be read: ${err?.message ?? "malformed"}`;
      const raw = err?.code === "CSV_QUOTE_NOT_CLOSED" ? tail.unterminated(delim) : "";
      skipped.push({ after: Number((err as { records?: number } | undefined)?.records ?? 0), row: { cells: [], raw, error: why } });
      return undefined;
    },
  });
  Readable.from(
    (async function* () {
      for (const c of head.seen) {
        tail.add(c);
        yield c;
      }
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        tail.add(r.value);
        yield r.value;
      }
    })(),
  )
    .on("error", (e) => parser.destroy(e))
    .pipe(parser);
  const skip = (upTo: number): CsvRow[] => {
    const out: CsvRow[] = [];
    while (skipped.length && skipped[0].after < upTo) {
      const s = skipped.shift()!;
      out.push({ ...s.row, row: s.after + ++skips });
    }
    return out;
  };
  let records = 0;
  for await (const cells of parser as AsyncIterable<string[]>) {
    records++;
    yield* skip(records);
    yield {
      row: records + skips,
      cells,
      get raw() {
        return csvLine(cells, delim);
      },
    };
  }
  yield* skip(Number.POSITIVE_INFINITY);
}
