import type { DeskEvent } from "../events/types.js";
import type { Columns } from "./columns.js";
import type { Row, TableDef } from "./schema.js";

/** The derived rows of some entities, replaced as one: rows whose `keyColumn` is in `keys` go, `rows` come. */
export interface FactPart {
  table: TableDef;
  keyColumn: string;
  keys: string[];
  rows: Row[];
}

/** Events just appended and where the log now ends: they hold positions `last - events.length + 1` … `last`. */
export interface Appended {
  events: DeskEvent[];
  last: number;
}

/** A value bound to a query parameter. Values always travel as parameters, never inside SQL text. */
export type SqlValue = string | number | boolean | null;

import type { SqlDialect } from "./dialect.js";

/** Statements inside a commit's transaction (see FactsHook). */
export interface FactsTx {
  query(sql: string, params: SqlValue[]): Promise<Row[]>;
  run(sql: string, params: SqlValue[]): Promise<void>;
}

/** Tables kept from the facts in the same transaction that changes them (the rollups, src/rollups). */
export interface FactsHook {
  beforeReplace(tx: FactsTx, workspace: string, parts: FactPart[]): Promise<void>;
  afterReplace(tx: FactsTx, workspace: string, parts: FactPart[]): Promise<void>;
  /** after a rebuild's new facts are in, before its swap commits */
  rebuilt(tx: FactsTx, workspace: string): Promise<void>;
}

/**
 * What the rest of the system needs from a database. Two implementations: DuckDB (embedded,
 * default) and ClickHouse (cluster). Metric SQL is built by the compiler through the store's
 * `dialect`; the store itself only runs it.
 */
export interface Store {
  readonly kind: "duckdb" | "clickhouse";
  /**
   * This process is the log's only writer and commits a stretch's facts together with its
   * checkpoint (DuckDB): every append is known here, and no entity past the checkpoint has rows.
   * False where other processes may append and rows go in before their checkpoint (ClickHouse).
   */
  readonly soleWriter: boolean;
  /** the SQL flavour of this database; metric SQL is built through it */
  readonly dialect: SqlDialect;
  /** kept in step with every commit of facts, when set (DuckDB) */
  factsHook?: FactsHook;
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
   * Replaces rows by key without moving the checkpoint (derived facts, the outbox's waiting
   * deliveries): for each part, the rows whose key is one of its keys go and its rows come (one
   * transaction in DuckDB; in ClickHouse each part's delete is awaited before its insert).
   */
  replaceRows(workspace: string, parts: FactPart[]): Promise<void>;
  /**
   * Append events to the log, skipping ids already stored in this workspace (idempotent by id).
   * Returns the events actually stored. Durable when the promise resolves. An id already stored
   * with a different payload is not stored again: `onConflict` is told of it.
   */
  appendEvents(workspace: string, events: DeskEvent[], receivedAt: number, onConflict?: (e: DeskEvent) => void): Promise<DeskEvent[]>;
  /** appendEvents, also saying where in the workspace's log the events went */
  append(workspace: string, events: DeskEvent[], receivedAt: number, onConflict?: (e: DeskEvent) => void): Promise<Appended>;
  /** the last position of the workspace's log (0 when empty) */
  logEnd(workspace: string): Promise<number>;
  /** up to `limit` events after position `after`, in log order, and the position of the last one */
  readLog(workspace: string, after: number, limit: number): Promise<Appended>;
  /** the log position the workspace's derived facts include (0: none) */
  checkpoint(workspace: string): Promise<number>;
  /**
   * Replaces derived rows and moves the checkpoint to `pos` together: in one transaction (DuckDB),
   * or rows first and the checkpoint last (ClickHouse), so that a crash before the checkpoint
   * replays the same entities to the same rows.
   */
  commitFacts(workspace: string, parts: FactPart[], pos: number): Promise<void>;
  /**
   * Builds a workspace's derived facts anew beside the old ones and swaps them in: `build` inserts
   * every new row through `insert` (as rows, or column-major from a rebuild's fold) and returns the checkpoint (and other rows to replace with
   * it, such as the settings that caused the rebuild). If `build` or the swap fails, the old facts
   * and checkpoint stay; readers see the old facts until the swap.
   */
  swapFacts(
    workspace: string,
    tables: TableDef[],
    build: (insert: (table: TableDef, rows: Row[] | Columns) => Promise<void>) => Promise<{ pos: number; parts: FactPart[] }>,
  ): Promise<void>;
  /** every event of the given entities ("ticket:T1", …) */
  loadEntityEvents(workspace: string, entities: string[]): Promise<DeskEvent[]>;
  /**
   * every event of a workspace (up to log position `through`), grouped so that all events of one
   * entity arrive in the same chunk: the events, or their JSON array as text (parsed by the
   * rebuild's fold, off the thread that reads)
   */
  streamEventsByEntity(workspace: string, kinds: string[], through?: number): AsyncIterable<DeskEvent[] | string>;
}
