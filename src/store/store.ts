import type { DeskEvent } from "../events/types.js";
import type { Row, TableDef } from "./schema.js";

/** A value bound to a query parameter. Values always travel as parameters, never inside SQL text. */
export type SqlValue = string | number | boolean | null;

/**
 * What the rest of the system needs from a database. Two implementations: DuckDB (embedded,
 * default) and ClickHouse (cluster). Metric SQL is built by the compiler through the store's
 * `dialect`; the store itself only runs it.
 */
export interface Store {
  readonly kind: "duckdb" | "clickhouse";
  /** create tables if missing */
  init(): Promise<void>;
  close(): Promise<void>;
  /** run a read query; placeholders are the dialect's (`dialect.param(i, value)`), params in order. BIGINTs come back as numbers. */
  query<T = Row>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** append rows to a table, columns by name as declared in schema.ts (missing → null) */
  insertRows(table: TableDef, rows: Row[]): Promise<void>;
  /** delete the rows of `table` in `workspace` whose `column` is one of `values` */
  deleteWhereIn(table: TableDef, workspace: string, column: string, values: string[]): Promise<void>;
  /** delete every row of a workspace from a table (rebuild) */
  deleteWorkspace(table: TableDef, workspace: string): Promise<void>;
  /**
   * Append events to the log, skipping ids already stored in this workspace (idempotent by id).
   * Returns the events actually stored. Durable when the promise resolves. An id already stored
   * with a different payload is not stored again: `onConflict` is told of it.
   */
  appendEvents(workspace: string, events: DeskEvent[], receivedAt: number, onConflict?: (e: DeskEvent) => void): Promise<DeskEvent[]>;
  /** every event of the given entities ("ticket:T1", …) */
  loadEntityEvents(workspace: string, entities: string[]): Promise<DeskEvent[]>;
  /** every event of a workspace, grouped so that all events of one entity arrive in the same chunk */
  streamEventsByEntity(workspace: string, kinds: string[]): AsyncIterable<DeskEvent[]>;
}
