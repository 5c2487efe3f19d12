import { Hono } from "hono";
import { rejectionRow } from "../pipeline/ingest.js";
import { countRejected, rejectedRecords } from "../pipeline/rejected.js";
import { table } from "../store/schema.js";
import type { AppEnv, ServerDeps } from "./context.js";
import { queryInt } from "./limits.js";
import { parseEventBody, readBody } from "./parse-body.js";
import { scope } from "./scope.js";

/** Events in (`POST /events`: a JSON array, one object or NDJSON, gzip accepted) and what was rejected. */
export function ingestRoutes(deps: ServerDeps): Hono<AppEnv> {
  const { rt } = deps;
  const maxBody = deps.limits.maxBodyBytes;
  const r = new Hono<AppEnv>();

  r.post("/events", scope("ingest"), async (c) => {
    const caller = c.get("caller");
    const buf = await readBody(c.req.raw, maxBody);
    const parsed = parseEventBody(buf, c.req.header("content-encoding"), maxBody);
    const records = Array.isArray(parsed.records) ? parsed.records : [parsed.records];
    // Read-your-writes on request: `?wait=projected` (or `X-Deskpulse-Wait: projected`) answers once
    // the batch's facts are stored too; by default the answer comes once the batch is in the log.
    const wait = (c.req.query("wait") ?? c.req.header("x-deskpulse-wait")) === "projected" ? "projected" : "stored";
    // Everything that can fail comes before the append: once events are stored the answer is 2xx.
    const now = Date.now();
    if (parsed.bad.length > 0)
      await rt.store.insertRows(
        table("rejected"),
        parsed.bad.map((b) => rejectionRow(caller.workspace, now, "api", { index: b.index, field: "", reason: b.reason }, b.raw)),
      );
    const result = await rt.ingest(caller.workspace, records, "api", parsed.positions, { wait });
    const rejected = [...parsed.bad.map((b) => ({ index: b.index, field: "", reason: b.reason })), ...result.rejected].sort((a, b) => a.index - b.index);
    return c.json(
      {
        stored: result.stored,
        duplicates: result.duplicates,
        conflicts: result.conflicts,
        rejected,
        appended_through: result.appended_through,
        projected_through: result.projected_through,
      },
      rejected.length && !result.stored && !result.duplicates ? 422 : 200,
    );
  });

  r.get("/rejected", scope("read"), async (c) => {
    const { workspace } = c.get("caller");
    const limit = queryInt(c.req.query("limit"), "limit", 1, 10_000, 100);
    const offset = queryInt(c.req.query("offset"), "offset", 0, 1_000_000_000, 0);
    const rows = await rejectedRecords(rt.store, workspace, { limit, offset });
    return c.json({
      total: await countRejected(rt.store, workspace),
      items: rows.map((x) => ({ ...x, received_at: new Date(x.received_at).toISOString() })),
    });
  });
  return r;
}
