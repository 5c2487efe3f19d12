import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { UserError } from "../errors/user-error.js";
import { readCsv } from "./csv.js";

/** What an importer yields: a record to validate, a row it could not read, or a warning. */
export type ImportItem =
  | { kind: "record"; position: number; record: Record<string, unknown> }
  | { kind: "reject"; position: number; field: string; reason: string; raw: string }
  | { kind: "flag"; position: number; reason: string };

export type ImportFormat = "auto" | "ndjson" | "json" | "csv";

/** Column mapping for CSV rows: source column → event field (absent columns keep their own name). */
export interface Mapping {
  shape?: "events";
  columns?: Record<string, string>;
  missing?: string[];
}

export interface ImportOptions {
  mapping?: Mapping;
  format?: ImportFormat;
  agents?: string[];
}

export interface OpenedImport {
  items: AsyncIterable<ImportItem>;
  totalBytes: number;
  bytesRead(): number;
  describe: string;
}

const JSON_ARRAY_LIMIT = 512 * 1024 * 1024;
const DEFAULT_MISSING = ["", "NULL", "null", "N/A", "n/a", "?"];

function formatOf(path: string, f: ImportFormat | undefined): Exclude<ImportFormat, "auto"> {
  if (f && f !== "auto") return f;
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

async function* ndjson(stream: Readable): AsyncGenerator<ImportItem> {
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    const t = text.trim();
    if (t === "") continue;
    try {
      const v = JSON.parse(t) as unknown;
      if (v === null || typeof v !== "object" || Array.isArray(v)) yield { kind: "reject", position: line, field: "", reason: `line ${line} is not a JSON object`, raw: t };
      else yield { kind: "record", position: line, record: v as Record<string, unknown> };
    } catch (e) {
      yield { kind: "reject", position: line, field: "", reason: `line ${line} is not valid JSON: ${(e as Error).message}`, raw: t.slice(0, 10_000) };
    }
  }
}

async function* jsonArray(path: string, stream: Readable, total: number): AsyncGenerator<ImportItem> {
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
  const arr = Array.isArray(v) ? v : v && typeof v === "object" && Array.isArray((v as { events?: unknown }).events) ? (v as { events: unknown[] }).events : [v];
  for (let i = 0; i < arr.length; i++) {
    const r = arr[i];
    if (r === null || typeof r !== "object" || Array.isArray(r)) yield { kind: "reject", position: i, field: "", reason: `element ${i} is not a JSON object`, raw: JSON.stringify(r) };
    else yield { kind: "record", position: i, record: r as Record<string, unknown> };
  }
}

async function* csvEvents(stream: Readable, mapping: Mapping | undefined): AsyncGenerator<ImportItem> {
  let header: string[] | null = null;
  const missing = new Set(mapping?.missing ?? DEFAULT_MISSING);
  for await (const r of readCsv(stream as AsyncIterable<string>)) {
    if (!header) {
      header = r.cells.map((h) => mapping?.columns?.[h.trim()] ?? h.trim());
      continue;
    }
    if (r.raw.endsWith("\u0000unterminated")) {
      yield { kind: "reject", position: r.row, field: "", reason: `row ${r.row} ends inside a quoted field (truncated file?)`, raw: r.raw.replace("\u0000unterminated", "") };
      continue;
    }
    if (r.cells.length !== header.length) {
      yield {
        kind: "reject",
        position: r.row,
        field: "",
        reason: `row ${r.row} has ${r.cells.length} columns, the header has ${header.length} (wrong delimiter or an unquoted delimiter in a value?)`,
        raw: r.raw,
      };
      continue;
    }
    const rec: Record<string, unknown> = {};
    for (let i = 0; i < header.length; i++) if (!missing.has(r.cells[i])) rec[header[i]] = r.cells[i];
    yield { kind: "record", position: r.row, record: rec };
  }
}

/** Opens a file of event rows (NDJSON, JSON, CSV; .gz too) as a stream of import items. */
export async function openImport(path: string, opts: ImportOptions): Promise<OpenedImport> {
  const format = formatOf(path, opts.format);
  const t = openText(path);
  const items = format === "ndjson" ? ndjson(t.stream) : format === "json" ? jsonArray(path, t.stream, t.total) : csvEvents(t.stream, opts.mapping);
  return { items, totalBytes: t.total, bytesRead: t.bytesRead, describe: `${format} event rows` };
}

/** Reads the first rows, shows the mapping it would use and what it would derive. */
export async function dryRun(path: string, opts: ImportOptions): Promise<{ mapping: Mapping; sample: Record<string, unknown>[]; problems: string[]; shape: string }> {
  const src = await openImport(path, opts);
  const sample: Record<string, unknown>[] = [];
  const problems: string[] = [];
  for await (const it of src.items) {
    if (it.kind === "record") sample.push(it.record);
    else if (it.kind === "reject") problems.push(`row ${it.position}: ${it.reason}`);
    if (sample.length + problems.length >= 10) break;
  }
  return { mapping: opts.mapping ?? { shape: "events", columns: {}, missing: DEFAULT_MISSING }, sample, problems, shape: "events" };
}
