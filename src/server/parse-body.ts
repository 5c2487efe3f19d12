import { gunzipSync } from "node:zlib";
import { UserError } from "../errors/user-error.js";

export interface ParsedBatch {
  records: unknown[];
  /** for NDJSON, the 0-based line of each record (so a rejection's index names the line) */
  positions?: number[];
  /** lines that were not JSON: position (1-based line) and the raw text */
  bad: { index: number; reason: string; raw: string }[];
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
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8").replace(/^\uFEFF/, "");
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    try {
      const arr = JSON.parse(text) as unknown;
      return { records: arr as unknown[], bad: [] };
    } catch (e) {
      throw new UserError("invalid_json", `the body starts like a JSON array but is not valid JSON: ${(e as Error).message}`);
    }
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
      records.push(JSON.parse(line));
      positions.push(i);
    } catch (e) {
      bad.push({ index: i, reason: `line ${i + 1} is not valid JSON: ${(e as Error).message}`, raw: line });
    }
  }
  return { records, positions, bad };
}
