import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { UserError } from "../errors/user-error.js";
import { validateEvent } from "../events/validate.js";
import { readCsv } from "./csv.js";
import { DEFAULT_MISSING, guessMapping, type Mapping, type Unplaced } from "./mapping.js";
import { mbox, threadedCsv } from "./conversations.js";
import { eventRows, type SourceRow, snapshotRows, ticketRows } from "./shapes.js";
import type { Json } from "./vendors/common.js";
import { chatwootExport } from "./vendors/chatwoot.js";
import { freshdeskExport } from "./vendors/freshdesk.js";
import { hubspotExport } from "./vendors/hubspot.js";
import { intercomExport } from "./vendors/intercom.js";
import { zendeskExport } from "./vendors/zendesk.js";

export type { Mapping } from "./mapping.js";

/** What an importer yields and the bulk path (pipeline/bulk.ts) takes: a record to validate, a row it could not read, or a warning. */
export type ImportItem =
  | { kind: "record"; position: number; record: Record<string, unknown> }
  | { kind: "reject"; position: number; field: string; reason: string; raw: string }
  | { kind: "flag"; position: number; reason: string };

export const VENDOR_FORMATS = ["zendesk", "freshdesk", "intercom", "hubspot", "chatwoot"] as const;
export type ImportFormat = "auto" | "ndjson" | "json" | "csv" | "threads" | "mbox" | (typeof VENDOR_FORMATS)[number];

export interface ImportOptions {
  mapping?: Mapping;
  format?: ImportFormat;
  agents?: string[];
}

export interface OpenedImport {
  items: AsyncIterable<ImportItem>;
  totalBytes: number;
  bytesRead(): number;
  /** rows (CSV records, NDJSON lines, JSON elements) of the file read so far; null where the file has no rows (mailboxes, vendor exports) */
  rowsRead(): number | null;
  describe: string;
}

const JSON_ARRAY_LIMIT = 512 * 1024 * 1024;

function formatOf(path: string, f: ImportFormat | undefined): Exclude<ImportFormat, "auto"> {
  if (f && f !== "auto") {
    if (!["ndjson", "json", "csv", "threads", "mbox", ...VENDOR_FORMATS].includes(f))
      throw new UserError("unknown_format", `unknown --format "${f}"; use ndjson, json, csv, threads, mbox, ${VENDOR_FORMATS.join(", ")}`);
    return f;
  }
  if (/\.mbox$/i.test(path)) return "mbox";
  const p = path.replace(/\.gz$/, "").toLowerCase();
  if (p.endsWith(".ndjson") || p.endsWith(".jsonl")) return "ndjson";
  if (p.endsWith(".json")) return "json";
  if (p.endsWith(".csv") || p.endsWith(".tsv") || p.endsWith(".txt")) return "csv";
  throw new UserError("unknown_format", `cannot tell the format of ${path}; pass --format ndjson|json|csv`);
}

function openText(path: string): { stream: Readable; bytesRead(): number; total: number } {
  const file = createReadStream(path);
  const total = statSync(path).size;
  const stream = path.endsWith(".gz") ? file.pipe(createGunzip()) : file;
  stream.setEncoding("utf8");
  return { stream, total, bytesRead: () => file.bytesRead };
}

/** Counts the rows a reader takes from the file. */
class RowCount {
  n = 0;
}

async function* ndjson(stream: Readable, count: RowCount): AsyncGenerator<ImportItem> {
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    const t = text.trim();
    if (t === "") continue;
    count.n++;
    try {
      const v = JSON.parse(t) as unknown;
      if (v === null || typeof v !== "object" || Array.isArray(v))
        yield { kind: "reject", position: line, field: "", reason: `line ${line} is not a JSON object`, raw: t };
      else yield { kind: "record", position: line, record: v as Record<string, unknown> };
    } catch (e) {
      yield { kind: "reject", position: line, field: "", reason: `line ${line} is not valid JSON: ${(e as Error).message}`, raw: t.slice(0, 10_000) };
    }
  }
}

async function* jsonArray(path: string, stream: Readable, total: number, count: RowCount): AsyncGenerator<ImportItem> {
  if (total > JSON_ARRAY_LIMIT)
    throw new UserError("file_too_large", `${path} is a ${Math.round(total / 1e6)} MB JSON document; convert it to NDJSON (one event per line) to stream it`);
  let text = "";
  for await (const c of stream) text += c;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UserError("invalid_json", `${path} is not valid JSON: ${(e as Error).message}`);
  }
  const arr = Array.isArray(v)
    ? v
    : v && typeof v === "object" && Array.isArray((v as { events?: unknown }).events)
      ? (v as { events: unknown[] }).events
      : [v];
  for (let i = 0; i < arr.length; i++) {
    count.n++;
    const r = arr[i];
    if (r === null || typeof r !== "object" || Array.isArray(r))
      yield { kind: "reject", position: i, field: "", reason: `element ${i} is not a JSON object`, raw: JSON.stringify(r) };
    else yield { kind: "record", position: i, record: r as Record<string, unknown> };
  }
}

/** CSV rows as named cells; a row with the wrong column count, or cut off inside quotes, is a reject. */
async function* csvRows(stream: Readable, bad: ImportItem[], count: RowCount): AsyncGenerator<SourceRow> {
  let header: string[] | null = null;
  for await (const r of readCsv(stream as AsyncIterable<string>)) {
    if (!header) {
      header = r.cells.map((h) => h.trim());
      continue;
    }
    count.n++;
    if (r.error) {
      bad.push({ kind: "reject", position: r.row, field: "", reason: `row ${r.row} ${r.error}`, raw: r.raw });
      continue;
    }
    if (r.cells.length !== header.length) {
      bad.push({
        kind: "reject",
        position: r.row,
        field: "",
        reason: `row ${r.row} has ${r.cells.length} columns, the header has ${header.length} (wrong delimiter, or an unquoted delimiter in a value?)`,
        raw: r.raw,
      });
      continue;
    }
    const values: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) values[header[i]] = r.cells[i];
    // the row's text is written back only if the row is rejected
    yield {
      position: r.row,
      values,
      get raw() {
        return r.raw;
      },
    };
  }
}

/** NDJSON / JSON objects as named cells, for the snapshot and ticket shapes. */
async function* objectRows(items: AsyncIterable<ImportItem>, bad: ImportItem[]): AsyncGenerator<SourceRow> {
  for await (const it of items) {
    if (it.kind !== "record") {
      bad.push(it);
      continue;
    }
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(it.record)) values[k] = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
    yield { position: it.position, values, raw: JSON.stringify(it.record) };
  }
}

/** Interleaves the rows a reader rejected with the items derived from the good ones. */
async function* withRejects(items: AsyncIterable<ImportItem>, bad: ImportItem[]): AsyncGenerator<ImportItem> {
  for await (const it of items) {
    while (bad.length) yield bad.shift()!;
    yield it;
  }
  while (bad.length) yield bad.shift()!;
}

/** The first `n` rows, and an iterable that replays them before the rest. */
async function peek(rows: AsyncIterable<SourceRow>, n: number): Promise<{ head: SourceRow[]; all: AsyncIterable<SourceRow> }> {
  const it = rows[Symbol.asyncIterator]();
  const head: SourceRow[] = [];
  while (head.length < n) {
    const r = await it.next();
    if (r.done) break;
    head.push(r.value);
  }
  return {
    head,
    all: (async function* () {
      yield* head;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    })(),
  };
}

function shaped(rows: AsyncIterable<SourceRow>, m: Mapping): AsyncIterable<ImportItem> {
  return m.shape === "snapshots" ? snapshotRows(rows, m) : m.shape === "tickets" ? ticketRows(rows, m) : eventRows(rows, m);
}

const VENDOR: Record<(typeof VENDOR_FORMATS)[number], (doc: Json) => Iterable<Record<string, unknown>>> = {
  zendesk: zendeskExport,
  freshdesk: freshdeskExport,
  intercom: intercomExport,
  hubspot: hubspotExport,
  chatwoot: chatwootExport,
};

/** A help desk's JSON export (documented shapes; see src/ingest/vendors) as event records. */
async function* vendorItems(path: string, stream: Readable, total: number, vendor: (typeof VENDOR_FORMATS)[number]): AsyncGenerator<ImportItem> {
  if (total > JSON_ARRAY_LIMIT) throw new UserError("file_too_large", `${path} is larger than ${JSON_ARRAY_LIMIT / 1e6} MB; export it in pages`);
  let text = "";
  for await (const c of stream) text += c;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UserError("invalid_json", `${path} is not valid JSON: ${(e as Error).message}`);
  }
  let i = 0;
  for (const record of VENDOR[vendor](doc as Json)) yield { kind: "record", position: i++, record };
}

/**
 * Opens a file as a stream of import items. NDJSON and JSON are event records unless a mapping
 * says otherwise; CSV rows go through the mapping given, or one guessed from the header.
 */
export async function openImport(path: string, opts: ImportOptions): Promise<OpenedImport & { mapping?: Mapping; problems: string[]; unplaced: Unplaced[] }> {
  const format = formatOf(path, opts.format);
  const t = openText(path);
  if (format === "threads" || format === "mbox") {
    t.stream.destroy();
    const items = format === "threads" ? threadedCsv(path) : mbox(path, opts.agents ?? []);
    return {
      items,
      totalBytes: t.total,
      bytesRead: () => 0,
      rowsRead: () => null,
      describe: format === "mbox" ? "mailbox, threaded" : "threaded messages",
      problems: [],
      unplaced: [],
    };
  }
  if ((VENDOR_FORMATS as readonly string[]).includes(format)) {
    const items = vendorItems(path, t.stream, t.total, format as (typeof VENDOR_FORMATS)[number]);
    return { items, totalBytes: t.total, bytesRead: t.bytesRead, rowsRead: () => null, describe: `${format} export`, problems: [], unplaced: [] };
  }
  const bad: ImportItem[] = [];
  const count = new RowCount();
  let mapping = opts.mapping;
  let problems: string[] = [];
  let unplaced: Unplaced[] = [];
  let items: AsyncIterable<ImportItem>;
  if (format === "csv") {
    const { head, all } = await peek(csvRows(t.stream, bad, count), 200);
    if (!mapping) {
      const g = guessMapping(
        Object.keys(head[0]?.values ?? {}),
        head.map((r) => r.values),
      );
      mapping = g.mapping;
      problems = g.problems;
      unplaced = g.unplaced;
    }
    items = withRejects(shaped(all, mapping), bad);
  } else {
    const raw = format === "ndjson" ? ndjson(t.stream, count) : jsonArray(path, t.stream, t.total, count);
    items = mapping ? withRejects(shaped(objectRows(raw, bad), mapping), bad) : raw;
  }
  return {
    items,
    totalBytes: t.total,
    bytesRead: t.bytesRead,
    rowsRead: () => count.n,
    describe: `${format}, ${mapping?.shape ?? "events"} rows`,
    mapping,
    problems,
    unplaced,
  };
}

/** Reads the first rows and shows the mapping it would use, what it would derive and the problems it sees; stores nothing. */
export async function dryRun(
  path: string,
  opts: ImportOptions,
): Promise<{ mapping: Mapping; sample: Record<string, unknown>[]; problems: string[]; unplaced: Unplaced[]; shape: string }> {
  const src = await openImport(path, opts);
  const sample: Record<string, unknown>[] = [];
  const problems = [...src.problems];
  let n = 0;
  for await (const it of src.items) {
    if (it.kind === "record") {
      const v = validateEvent(it.record, it.position);
      if (v.ok && sample.length < 10) sample.push(it.record);
      else if (!v.ok) problems.push(`row ${it.position}: ${v.rejection.field} — ${v.rejection.reason}`);
    } else if (it.kind === "reject") problems.push(`row ${it.position}: ${it.field ? `${it.field} — ` : ""}${it.reason}`);
    else problems.push(it.reason);
    if (++n >= 500 || problems.length >= 30) break;
  }
  const mapping = src.mapping ?? { shape: "events" as const, columns: {}, missing: DEFAULT_MISSING };
  return { mapping, sample, problems, unplaced: src.unplaced, shape: mapping.shape };
}
