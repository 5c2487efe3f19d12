import { gunzipSync } from "node:zlib";
import { UserError } from "../errors/user-error.js";

/** Deepest nesting of arrays and objects a JSON body may have: events are flat; 10k-deep JSON only costs stack. */
export const MAX_JSON_DEPTH = 64;

export interface ParsedBatch {
  records: unknown[];
  /** for NDJSON, the 0-based line of each record (so a rejection's index names the line) */
  positions?: number[];
  /** lines that were not JSON: position (1-based line) and the raw text */
  bad: { index: number; reason: string; raw: string }[];
}

export function tooLarge(limit: number, what = "the body"): UserError {
  return new UserError(
    "payload_too_large",
    `${what} is larger than ${limit} bytes, this route's limit (DESKPULSE_MAX_BODY for events and webhooks). Send less at a time.`,
    413,
  );
}

/**
 * Reads a request body, refusing it as soon as it passes `limit` bytes: an announced
 * Content-Length over the limit is refused before a byte is read, and a streamed body is
 * cancelled at the chunk that crosses the limit, so no body is ever held whole past the limit.
 */
export async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const announced = Number(req.headers.get("content-length") ?? Number.NaN);
  if (announced > limit) throw tooLarge(limit);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let r: ReadableStreamReadResult<Uint8Array>;
    try {
      r = await reader.read();
    } catch (e) {
      if (e instanceof UserError) throw e; // the size limit, raised while the body streamed in
      throw new UserError("body_aborted", "the request body ended early (the connection closed); send it again", 400);
    }
    if (r.done) break;
    total += r.value.byteLength;
    if (total > limit) {
      reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(r.value);
  }
  return Buffer.concat(chunks, total);
}

/** The body as UTF-8 text (BOM dropped), within `limit` bytes. */
export async function readText(req: Request, limit: number): Promise<string> {
  return Buffer.from(await readBody(req, limit))
    .toString("utf8")
    .replace(/^\uFEFF/, "");
}

/** True when arrays/objects in the JSON text nest deeper than `limit` (strings are skipped). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      if (++depth > limit) return true;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return false;
}

/** JSON.parse behind the depth limit, with a 400 that says what is wrong. */
export function parseJson(text: string, what = "the body"): unknown {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw new UserError("json_too_deep", `${what} nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError("invalid_json", `${what} is not valid JSON: ${(e as Error).message}`);
  }
}

/** A JSON request body within `limit` bytes and the depth limit. An empty body is `undefined`. */
export async function readJson(req: Request, limit: number): Promise<unknown> {
  const text = await readText(req, limit);
  return text.trim() === "" ? undefined : parseJson(text);
}

/**
 * A request body of events: a JSON array, one JSON object, or NDJSON (one object per line),
 * optionally gzip-compressed. A bad NDJSON line is reported, not fatal: the rest is kept.
 */
export function parseEventBody(buf: Uint8Array, encoding: string | undefined, maxBytes: number): ParsedBatch {
  let bytes = buf;
  const gz = encoding?.includes("gzip") || (buf[0] === 0x1f && buf[1] === 0x8b);
  if (gz) {
    try {
      bytes = gunzipSync(buf, { maxOutputLength: maxBytes });
    } catch (e) {
      const tooBig = String(e).includes("maxOutputLength") || String(e).includes("buffer");
      throw new UserError(
        tooBig ? "payload_too_large" : "bad_gzip",
        tooBig ? `the decompressed body is larger than ${maxBytes} bytes; send smaller batches` : `the body is not valid gzip: ${e}`,
        tooBig ? 413 : 400,
      );
    }
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    const arr = parseJson(text, "the body (a JSON array)");
    return { records: arr as unknown[], bad: [] };
  }
  if (trimmed === "") throw new UserError("empty_body", "send a JSON array of events, one JSON event, or NDJSON (one event per line)");
  const records: unknown[] = [];
  const positions: number[] = [];
  const bad: ParsedBatch["bad"] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    try {
      records.push(parseJson(line, `line ${i + 1}`));
      positions.push(i);
    } catch (e) {
      bad.push({ index: i, reason: (e as Error).message, raw: line.slice(0, 10_000) });
    }
  }
  return { records, positions, bad };
}
