import { ph } from "../store/sql.js";
import type { SqlValue, Store } from "../store/store.js";

/** A rejected record as kept in the `rejected` table: where it came from, why, and the record as sent. */
export interface RejectedRecord {
  received_at: number;
  origin: string;
  position: number;
  field: string | null;
  reason: string;
  record: string;
}

export interface RejectedQuery {
  /** only records of this origin ("api", "import:<file>", "projector", …) */
  origin?: string;
  /** only records received at or after this time (ms) */
  since?: number;
  /** newest first (default), or in the order of the source's rows */
  order?: "newest" | "position";
  limit?: number;
  offset?: number;
}

/** The workspace's rejected records: the one query the API (`GET /rejected`) and the CLI (`rejected`, import's dead-letter file) read them with. */
export function rejectedRecords(store: Store, workspace: string, q: RejectedQuery = {}): Promise<RejectedRecord[]> {
  const params: SqlValue[] = [workspace];
  const next = (value: SqlValue) => ph(store, params.push(value), value);
  const where = [`workspace = ${ph(store, 1)}`];
  if (q.origin !== undefined) where.push(`origin = ${next(q.origin)}`);
  if (q.since !== undefined) where.push(`received_at >= ${next(q.since)}`);
  let sql = `SELECT received_at, origin, position, field, reason, record FROM rejected WHERE ${where.join(" AND ")} ORDER BY ${q.order === "position" ? "position" : "seq DESC"}`;
  if (q.limit !== undefined) sql += ` LIMIT ${next(q.limit)}`;
  if (q.offset !== undefined) sql += ` OFFSET ${next(q.offset)}`;
  return store.query<RejectedRecord>(sql, params);
}

export async function countRejected(store: Store, workspace: string): Promise<number> {
  const rows = await store.query<{ n: number }>(`SELECT count(*) AS n FROM rejected WHERE workspace = ${ph(store, 1)}`, [workspace]);
  return Number(rows[0]?.n ?? 0);
}
