import type { Rejection } from "../events/types.js";
import type { ImportItem } from "../ingest/source.js";
import type { Runtime } from "../runtime.js";
import { type Row, table } from "../store/schema.js";
import { ingestRecords, rejectionRow } from "./ingest.js";

export interface BulkSummary {
  read: number;
  stored: number;
  duplicates: number;
  /** ids already stored with a different payload (also counted in `rejected`) */
  conflicts: number;
  rejected: number;
  flagged: number;
  /** the first rejections, for the summary (all are in the `rejected` table) */
  examples: Rejection[];
  seconds: number;
}

const BATCH = 20_000;

/**
 * Bulk path for files and the demo: append in large batches while the workspace's projection
 * waits, then let it catch up once (a full rebuild when the import is most of the log).
 */
export async function bulkIngest(
  rt: Runtime,
  workspace: string,
  items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
  origin: string,
  progress?: (s: BulkSummary, phase: "loading" | "projecting") => void,
): Promise<BulkSummary> {
  const t0 = performance.now();
  const sum: BulkSummary = { read: 0, stored: 0, duplicates: 0, conflicts: 0, rejected: 0, flagged: 0, examples: [], seconds: 0 };
  let records: unknown[] = [];
  let positions: number[] = [];
  let bad: Row[] = [];
  const flush = async () => {
    if (bad.length > 0) {
      await rt.store.insertRows(table("rejected"), bad);
      bad = [];
    }
    if (records.length === 0) return;
    const r = await ingestRecords(rt.store, workspace, records, { origin, positions });
    sum.stored += r.stored;
    sum.duplicates += r.duplicates;
    sum.conflicts += r.conflicts;
    sum.rejected += r.rejected.length;
    for (const x of r.rejected) if (sum.examples.length < 20) sum.examples.push(x);
    records = [];
    positions = [];
    sum.seconds = (performance.now() - t0) / 1000;
    progress?.(sum, "loading");
  };
  await rt.follower.hold(workspace, async () => {
    for await (const it of items) {
      sum.read++;
      if (it.kind === "record") {
        records.push(it.record);
        positions.push(it.position);
        if (records.length >= BATCH) await flush();
      } else if (it.kind === "reject") {
        sum.rejected++;
        const rej = { index: it.position, field: it.field, reason: it.reason };
        if (sum.examples.length < 20) sum.examples.push(rej);
        bad.push(rejectionRow(workspace, Date.now(), origin, rej, it.raw));
      } else sum.flagged++;
    }
    await flush();
  });
  progress?.(sum, "projecting");
  rt.projection.forget(workspace);
  await rt.follower.caughtUp(workspace);
  sum.seconds = (performance.now() - t0) / 1000;
  return sum;
}
