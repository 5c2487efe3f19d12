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

const trimEnd = (raw: string) => raw.replace(/^[\r\n]+/, "").replace(/(\r\n|\n|\r)$/, "");

export async function* readCsv(chunks: AsyncIterable<string>, delimiter?: string): AsyncGenerator<CsvRow> {
  const it = chunks[Symbol.asyncIterator]();
  const head = await headerLine(it);
  const delim = delimiter ?? detectDelimiter(head.line);
  // a skipped record comes after `after` good ones; row numbers count both kinds
  const skipped: { after: number; row: Omit<CsvRow, "row"> }[] = [];
  let skips = 0;
  const parser = parse({
    bom: true,
    delimiter: delim,
    relax_quotes: true,
    // a row with the wrong number of cells is the caller's to reject, with its reason
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    raw: true,
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      const why = err?.code === "CSV_QUOTE_NOT_CLOSED" ? "ends inside a quoted field (truncated file?)" : `cannot be read: ${err?.message ?? "malformed"}`;
      skipped.push({ after: Number(err?.records ?? 0), row: { cells: [], raw: trimEnd(raw ?? ""), error: why } });
      return undefined;
    },
  });
  Readable.from(
    (async function* () {
      yield* head.seen;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
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
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { records: number }; raw: string }>) {
    yield* skip(rec.info.records);
    yield { row: rec.info.records + skips, cells: rec.record, raw: trimEnd(rec.raw) };
  }
  yield* skip(Number.POSITIVE_INFINITY);
}
