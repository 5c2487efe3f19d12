/**
 * A streaming RFC 4180 CSV reader: quoted fields, doubled quotes, newlines inside quotes, CRLF,
 * a byte-order mark; the delimiter is detected from the header line among , ; tab and |.
 * Rows come out with their 1-based row number (the header is row 1). Records are cut at
 * newlines outside quotes; a record without quotes is a plain split (the common, fast case).
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

function countQuotes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}

function splitQuoted(rec: string, delim: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < rec.length; i++) {
    const ch = rec[i];
    if (quoted) {
      if (ch === '"') {
        if (rec[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === delim) {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

export async function* readCsv(chunks: AsyncIterable<string>, delimiter?: string): AsyncGenerator<CsvRow> {
  let delim = delimiter;
  let buf = "";
  let row = 1;
  let first = true;
  /** a record still open inside quotes: its text so far and its quote count */
  let pending = "";
  let pendingQuotes = 0;
  const emit = (rec: string): CsvRow | null => {
    const line = rec.endsWith("\r") ? rec.slice(0, -1) : rec;
    if (!delim) delim = detectDelimiter(line);
    const r = row++;
    if (line === "") return null;
    return { row: r, cells: line.includes('"') ? splitQuoted(line, delim) : line.split(delim), raw: line };
  };
  for await (let chunk of chunks) {
    if (first) {
      chunk = chunk.replace(/^\uFEFF/, "");
      first = false;
    }
    buf += chunk;
    let start = 0;
    for (let nl = buf.indexOf("\n", start); nl >= 0; nl = buf.indexOf("\n", start)) {
      const line = buf.slice(start, nl);
      start = nl + 1;
      if (pending) {
        pending += `\n${line}`;
        pendingQuotes += countQuotes(line);
      } else {
        pending = line;
        pendingQuotes = countQuotes(line);
      }
      if (pendingQuotes % 2 === 1) continue; // a newline inside a quoted field
      const r = emit(pending);
      pending = "";
      if (r) yield r;
    }
    buf = buf.slice(start);
  }
  const rest = pending ? (buf ? `${pending}\n${buf}` : pending) : buf;
  if (rest === "") return;
  if ((pending ? pendingQuotes + countQuotes(buf) : countQuotes(rest)) % 2 === 1) {
    // the file ended inside a quoted field: a truncated last line
    if (!delim) delim = detectDelimiter(rest);
    yield { row, cells: splitQuoted(rest, delim), raw: `${rest}\u0000unterminated` };
    return;
  }
  const r = emit(rest);
  if (r) yield r;
}
