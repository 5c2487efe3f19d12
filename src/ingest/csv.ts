/**
 * A streaming RFC 4180 CSV reader: quoted fields, doubled quotes, newlines inside quotes, CRLF,
 * a byte-order mark; the delimiter is detected from the header line among , ; tab and |.
 * Rows come out with their 1-based row number (the header is row 1).
 */
export interface CsvRow {
  row: number;
  cells: string[];
  /** the row as it was in the file, for dead-lettering */
  raw: string;
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

export async function* readCsv(chunks: AsyncIterable<string>, delimiter?: string): AsyncGenerator<CsvRow> {
  let delim = delimiter;
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let afterQuote = false;
  let row = 1;
  let raw = "";
  let first = true;
  let pending = "";
  for await (let chunk of chunks) {
    if (first) {
      chunk = chunk.replace(/^\uFEFF/, "");
      first = false;
    }
    if (!delim) {
      pending += chunk;
      const nl = pending.indexOf("\n");
      if (nl < 0) continue;
      delim = detectDelimiter(pending.slice(0, nl));
      chunk = pending;
      pending = "";
    }
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      raw += ch;
      if (quoted) {
        if (ch === '"') {
          if (chunk[i + 1] === '"') {
            cell += '"';
            raw += '"';
            i++;
          } else if (i + 1 === chunk.length) {
            // a quote at a chunk boundary: decide with the next chunk
            quoted = false;
            afterQuote = true;
          } else {
            quoted = false;
            afterQuote = true;
          }
        } else cell += ch;
        continue;
      }
      if (ch === '"') {
        if (afterQuote) {
          // "" split across chunks
          cell += '"';
          quoted = true;
          afterQuote = false;
        } else if (cell === "") quoted = true;
        else cell += ch;
        continue;
      }
      afterQuote = false;
      if (ch === delim) {
        cells.push(cell);
        cell = "";
      } else if (ch === "\n") {
        cells.push(cell.endsWith("\r") ? cell.slice(0, -1) : cell);
        const line = raw.replace(/\r?\n$/, "");
        if (!(cells.length === 1 && cells[0] === "")) yield { row, cells, raw: line };
        row++;
        cells = [];
        cell = "";
        raw = "";
      } else cell += ch;
    }
  }
  if (!delim && pending) {
    delim = detectDelimiter(pending);
    yield* readCsv(
      (async function* () {
        yield `${pending}\n`;
      })(),
      delim,
    );
    return;
  }
  if (quoted) {
    // the file ended inside a quoted field: a truncated last line
    yield { row, cells: [...cells, cell], raw: `${raw}\u0000unterminated` };
    return;
  }
  if (cell !== "" || cells.length > 0) {
    cells.push(cell.endsWith("\r") ? cell.slice(0, -1) : cell);
    yield { row, cells, raw };
  }
}
