import assert from "node:assert/strict";
import { after, before } from "node:test";
import type { WorkspaceSettings } from "../../src/config/settings.js";
import { runMetrics } from "../../src/metrics/compiler.js";
import type { MetricRequest } from "../../src/metrics/request.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";

/**
 * The set-up the golden suites share, for the enclosing describe: a Runtime on an in-memory DuckDB
 * with `events` ingested into workspace "w" (every one accepted), closed afterwards. `run` asks for
 * metrics over March 2026 unless the request says otherwise, in "w" with its settings unless told.
 */
export function goldenWorkspace(events: unknown[]) {
  const ws = {} as { rt: Runtime; settings: WorkspaceSettings };
  before(async () => {
    ws.rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
    const r = await ws.rt.ingest("w", events, "test");
    assert.deepEqual(r.rejected, []);
    ws.settings = await ws.rt.settings("w");
  });
  after(() => ws.rt.close());
  const run = async (req: Partial<MetricRequest>, s: WorkspaceSettings = ws.settings, workspace = "w") =>
    (await runMetrics(ws.rt.store, workspace, s, { metrics: [], from: "2026-03-01", to: "2026-04-01", ...req })).rows;
  return { ws, run };
}
