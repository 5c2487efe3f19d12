import type { DeskEvent, Rejection } from "../events/types.js";
import { validateEvent } from "../events/validate.js";
import { type Row, table } from "../store/schema.js";
import type { Appended, Store } from "../store/store.js";

export interface BatchResult {
  stored: number;
  duplicates: number;
  /** ids already stored (or earlier in the batch) with a different payload: not stored, listed in `rejected` */
  conflicts: number;
  rejected: Rejection[];
  /** the events stored and the log position of the last one (the log's end if none was new) */
  appended: Appended;
}

export interface IngestOptions {
  /** where the records came from, kept with each rejection: "api", "import:file.csv", "webhook:zendesk" */
  origin: string;
  /** the record's position in its source (row or line number); defaults to the index in the batch */
  positions?: number[];
}

let seq = 0;
/** Unique, increasing within a process; rejected rows are ordered by it. */
function nextSeq(now: number): number {
  seq = (seq + 1) % 1000;
  return now * 1000 + seq;
}

/** A batch checked against the schema alone (no log state): what may be appended and what was refused. */
export interface ValidatedBatch {
  records: unknown[];
  origin: string;
  positions?: number[];
  receivedAt: number;
  valid: DeskEvent[];
  /** each valid event's index in `records` */
  indexOf: Map<DeskEvent, number>;
  rejected: Rejection[];
  rejectedRows: Row[];
}

/**
 * Validates each record on its own. Needs nothing from the store, so callers run it before taking
 * a workspace's append lock: one batch validates while another is being appended.
 */
export function validateRecords(workspace: string, records: unknown[], opts: IngestOptions): ValidatedBatch {
  const now = Date.now();
  const valid: DeskEvent[] = [];
  const rejected: Rejection[] = [];
  const rejectedRows: Row[] = [];
  const indexOf = new Map<DeskEvent, number>();
  for (let i = 0; i < records.length; i++) {
    const v = validateEvent(records[i], opts.positions ? opts.positions[i] : i);
    if (v.ok) {
      valid.push(v.event);
      indexOf.set(v.event, i);
    } else {
      rejected.push(v.rejection);
      rejectedRows.push(rejectionRow(workspace, now, opts.origin, v.rejection, records[i]));
    }
  }
  return { records, origin: opts.origin, positions: opts.positions, receivedAt: now, valid, indexOf, rejected, rejectedRows };
}

/** Keeps a validated batch's refused records (before its append: everything that can fail comes first). */
export async function keepRejected(store: Store, batch: ValidatedBatch): Promise<void> {
  if (batch.rejectedRows.length > 0) await store.insertRows(table("rejected"), batch.rejectedRows);
  batch.rejectedRows = [];
}

/**
 * Appends a validated batch's events to the log (idempotent by id). An id already stored with a
 * different payload is a conflict: kept with the rejected records and listed in the answer.
 */
export async function appendValidated(store: Store, workspace: string, batch: ValidatedBatch): Promise<BatchResult> {
  await keepRejected(store, batch);
  const { records, positions, origin, receivedAt: now, valid, indexOf } = batch;
  const rejected = batch.rejected.slice();
  const conflicts: Row[] = [];
  const appended = await store.append(workspace, valid, now, (e) => {
    const i = indexOf.get(e) ?? 0;
    const r = {
      index: positions ? positions[i] : i,
      id: e.id,
      field: "id",
      reason: `conflict: an event with id "${e.id}" is already stored with a different payload; the stored one is kept (send a new id for a new event)`,
    };
    rejected.push(r);
    conflicts.push(rejectionRow(workspace, now, origin, r, records[i]));
  });
  // The batch is in the log now: keeping the conflicts' records must not fail its acknowledgement
  // (they are in the answer either way).
  if (conflicts.length > 0) await store.insertRows(table("rejected"), conflicts).catch((e) => console.error("could not keep conflicting records:", e));
  const stored = appended.events;
  return {
    stored: stored.length,
    duplicates: valid.length - stored.length - conflicts.length,
    conflicts: conflicts.length,
    rejected,
    appended,
  };
}

/**
 * The one way records enter the system, whatever their source: validate each, keep the rejected
 * with their reasons, append the valid to the log (idempotent by id). Projection follows the log
 * (see follower.ts); nothing after the append can fail the batch.
 */
export function ingestRecords(store: Store, workspace: string, records: unknown[], opts: IngestOptions): Promise<BatchResult> {
  return appendValidated(store, workspace, validateRecords(workspace, records, opts));
}

export function rejectionRow(workspace: string, now: number, origin: string, r: { index: number; field: string; reason: string }, record: unknown): Row {
  return {
    workspace,
    seq: nextSeq(now),
    received_at: now,
    origin,
    position: r.index,
    field: r.field || null,
    reason: r.reason,
    record: typeof record === "string" ? record : JSON.stringify(record),
  };
}
