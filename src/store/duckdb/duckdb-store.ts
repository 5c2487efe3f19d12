import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  BOOLEAN,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBType,
  type DuckDBValue,
  DOUBLE,
  listValue as duckList,
  VARCHAR,
} from "@duckdb/node-api";
import type { DeskEvent } from "../../events/types.js";
import { EventLogStore } from "../event-log.js";
import { duckdbDialect } from "./duckdb-dialect.js";
import { Mutex } from "../mutex.js";
import { IdleCheckpoint, WAL_AUTOCHECKPOINT } from "./idle-checkpoint.js";
import { type Columns, valuesOf } from "../columns.js";
import { type ColumnType, type Row, TABLES, type TableDef, table } from "../schema.js";
import { deadline, deadlineExceeded } from "../deadline.js";
import type { Appended, FactPart, FactsHook, FactsTx, SqlValue, Store } from "../store.js";

/** the DuckDB type each schema column type is stored as */
export const SQL_TYPE: Record<ColumnType, string> = {
  string: "VARCHAR",
  int: "BIGINT",
  float: "DOUBLE",
  bool: "BOOLEAN",
  ms: "BIGINT",
  json: "VARCHAR",
};

const q = (name: string) => `"${name}"`;

/** Turns what DuckDB returns into plain JSON-able values (BIGINT → number). */
function plain(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof Date) return v.getTime();
  return String(v);
}

export interface DuckDbOptions {
  /** file path, or ":memory:" */
  path: string;
  /** DuckDB threads (default: all cores) */
  threads?: number;
}

export async function openDuckDbStore(opts: DuckDbOptions): Promise<DuckDbStore> {
  if (opts.path !== ":memory:") mkdirSync(dirname(opts.path), { recursive: true, mode: 0o700 });
  const config: Record<string, string> = {};
  if (opts.threads) config.threads = String(opts.threads);
  config.wal_autocheckpoint = WAL_AUTOCHECKPOINT;
  const instance = await DuckDBInstance.create(opts.path, config);
  const write = await instance.connect();
  const read = await instance.connect();
  const store = new DuckDbStore(instance, write, read);
  await store.init();
  return store;
}

/**
 * The embedded store: one DuckDB file. Writes go through one connection behind a mutex
 * (appenders are the fast path for bulk rows); reads use a second connection so a long
 * report does not wait for an import batch.
 */
export class DuckDbStore extends EventLogStore implements Store {
  readonly kind = "duckdb" as const;
  readonly soleWriter = true;
  readonly dialect = duckdbDialect;
  factsHook?: FactsHook;
  /** rebuilds run their long transaction on a connection of their own, so appends go on meanwhile */
  private swapConn: DuckDBConnection | null = null;
  private readonly swapLock = new Mutex();
  private factsConn: DuckDBConnection | null = null;
  private readonly pendingAppends: {
    workspace: string;
    events: DeskEvent[];
    receivedAt: number;
    onConflict?: (e: DeskEvent) => void;
    resolve: (a: Appended) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private readonly factsLock = new Mutex();
  /** the log's checkpoints happen while appends pause, not inside an acknowledgement (idle-checkpoint.ts) */
  private readonly idle = new IdleCheckpoint(() => this.lock.run(() => this.write.run("CHECKPOINT").then(() => undefined)));

  // `lock` (EventLogStore): one writing transaction at a time on the write connection
  constructor(
    private readonly instance: DuckDBInstance,
    private readonly write: DuckDBConnection,
    private readonly read: DuckDBConnection,
  ) {
    super();
  }

  async init(): Promise<void> {
    const existing = await this.write.runAndReadAll("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()");
    const have = new Set(existing.getRows().map((r) => `${r[0]}.${r[1]}`));
    for (const t of TABLES) {
      const cols = t.columns.map((c) => `${q(c.name)} ${SQL_TYPE[c.type]}${c.nullable ? "" : " NOT NULL"}`).join(", ");
      await this.write.run(`CREATE TABLE IF NOT EXISTS ${q(t.name)} (${cols})`);
      // a store made by an older version lacks newer columns: add them (empty until `deskpulse rebuild`)
      const known = t.columns.some((c) => have.has(`${t.name}.${c.name}`));
      for (const c of t.columns)
        if (known && c.nullable && !have.has(`${t.name}.${c.name}`))
          await this.write.run(`ALTER TABLE ${q(t.name)} ADD COLUMN ${q(c.name)} ${SQL_TYPE[c.type]}`);
    }
    // No secondary indexes: DuckDB does not use an ART index for IN-list lookups, so an index would
    // only slow appends down. The projection's event cache keeps log reads off the hot path.
    // Stores made before logs had positions: add them, numbering each workspace's events in arrival order.
    await this.write.run(`ALTER TABLE events ADD COLUMN IF NOT EXISTS pos BIGINT`);
    const missing = await this.write.runAndReadAll("SELECT count(*) FROM events WHERE pos IS NULL");
    if (Number(missing.getRows()[0][0]) > 0)
      await this.write.run(`UPDATE events SET pos = r.n FROM (SELECT workspace AS w, id AS i, row_number() OVER (PARTITION BY workspace ORDER BY received_at, id) AS n FROM events) r
        WHERE events.workspace = r.w AND events.id = r.i`);
  }

  async close(): Promise<void> {
    await this.idle.close();
    await this.swapLock.run(async () => undefined);
    await this.factsLock.run(async () => undefined);
    await this.lock.run(async () => {
      await this.write.run("CHECKPOINT");
      this.write.closeSync();
      this.read.closeSync();
      this.swapConn?.closeSync();
      this.factsConn?.closeSync();
      this.instance.closeSync();
    });
  }

  async query<T = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    const limit = deadline();
    const reader = limit ? await this.readBefore(limit, sql, params) : await this.read.runAndReadAll(sql, params as DuckDBValue[]);
    const names = reader.columnNames();
    const rows = reader.getRows();
    const out: Record<string, SqlValue>[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const o: Record<string, SqlValue> = {};
      for (let j = 0; j < names.length; j++) o[names[j]] = plain(r[j]);
      out[i] = o;
    }
    return out as T[];
  }

  /** A read on its own connection, interrupted when the request's deadline passes (other reads go on). */
  private async readBefore(limit: { at: number; ms: number }, sql: string, params: SqlValue[]) {
    if (Date.now() >= limit.at) throw deadlineExceeded(limit.ms);
    const conn = await this.instance.connect();
    let interrupted = false;
    const timer = setTimeout(() => {
      interrupted = true;
      conn.interrupt();
    }, limit.at - Date.now());
    try {
      return await conn.runAndReadAll(sql, params as DuckDBValue[]);
    } catch (e) {
      if (interrupted) throw deadlineExceeded(limit.ms);
      throw e;
    } finally {
      clearTimeout(timer);
      conn.closeSync();
    }
  }

  /** a statement that changes data, on the writing connection */
  exec(sql: string, params: SqlValue[] = []): Promise<void> {
    return this.lock.run(async () => {
      await this.write.run(sql, params as DuckDBValue[]);
    });
  }

  insertRows(t: TableDef, rows: Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.lock.run(() => this.appendRows(t, rows));
  }

  /** Appends column-wise in chunks of 2048 rows: one native call per column per chunk, not per value. */
  private appendRows(t: TableDef, rows: Row[], conn: DuckDBConnection = this.write): Promise<void> {
    return this.appendChunks(t, rows.length, conn, (off, n) =>
      t.columns.map(({ name, type }) => {
        const col: DuckDBValue[] = new Array(n);
        for (let i = 0; i < n; i++) col[i] = toDuck(type, rows[off + i][name]);
        return col;
      }),
    );
  }

  /** The appender loop both row shapes share: `columnsAt(off, n)` gives one chunk's column values. */
  private async appendChunks(t: TableDef, rows: number, conn: DuckDBConnection, columnsAt: (off: number, n: number) => DuckDBValue[][]): Promise<void> {
    const types = t.columns.map((c) => DUCK_TYPE[c.type]);
    const app = await conn.createAppender(t.name);
    try {
      for (let off = 0; off < rows; off += CHUNK) {
        const n = Math.min(CHUNK, rows - off);
        const chunk = DuckDBDataChunk.create(types, n);
        chunk.setColumns(columnsAt(off, n));
        app.appendDataChunk(chunk);
        // Flushing is synchronous: in steps, with a turn of the event loop between, so that a
        // rebuild's millions of rows never keep the server from answering for long.
        if ((off / CHUNK) % 16 === 15) {
          app.flushSync();
          await new Promise((r) => setImmediate(r));
        }
      }
      app.flushSync();
    } finally {
      app.closeSync();
    }
  }

  deleteWhereIn(t: TableDef, workspace: string, column: string, values: string[]): Promise<void> {
    if (values.length === 0) return Promise.resolve();
    return this.lock.run(async () => {
      await this.write.run(`DELETE FROM ${q(t.name)} WHERE workspace = $1 AND ${q(column)} IN (SELECT unnest($2::VARCHAR[]))`, [workspace, listValue(values)]);
    });
  }

  deleteWorkspace(t: TableDef, workspace: string): Promise<void> {
    return this.exec(`DELETE FROM ${q(t.name)} WHERE workspace = $1`, [workspace]);
  }

  /** Replaces the rows of the given derived tables for a set of keys in one transaction, so readers never see half a replacement. */
  replaceRows(workspace: string, parts: FactPart[]): Promise<void> {
    return this.lock.run(() => this.inTransaction(this.write, () => this.replaceParts(this.write, workspace, parts)));
  }

  commitFacts(workspace: string, parts: FactPart[], pos: number): Promise<void> {
    // On a connection of its own: appends to the log (the acknowledgements) never queue behind a
    // projection commit, and the two touch different tables, so their transactions never conflict.
    return this.factsLock.run(async () => {
      this.factsConn ??= await this.instance.connect();
      const conn = this.factsConn;
      await this.inTransaction(conn, async () => {
        await this.factsHook?.beforeReplace(this.tx(conn), workspace, parts);
        await this.replaceParts(conn, workspace, parts);
        await this.factsHook?.afterReplace(this.tx(conn), workspace, parts);
        await this.setCheckpoint(conn, workspace, pos);
      });
      this.idle.wrote();
    });
  }

  async swapFacts(
    workspace: string,
    tables: TableDef[],
    build: (insert: (table: TableDef, rows: Row[] | Columns) => Promise<void>) => Promise<{ pos: number; parts: FactPart[] }>,
  ): Promise<void> {
    // One long transaction on its own connection: other connections read the old facts until it
    // commits, and a failure (or a crash) anywhere before the commit leaves them as they were.
    return this.swapLock.run(async () => {
      this.swapConn ??= await this.instance.connect();
      const conn = this.swapConn;
      await this.inTransaction(conn, async () => {
        for (const t of tables) await conn.run(`DELETE FROM ${q(t.name)} WHERE workspace = $1`, [workspace]);
        const done = await build((t, rows) =>
          Array.isArray(rows) ? (rows.length ? this.appendRows(t, rows, conn) : Promise.resolve()) : this.appendColumns(t, rows, conn),
        );
        await this.replaceParts(conn, workspace, done.parts);
        await this.factsHook?.rebuilt(this.tx(conn), workspace);
        await this.setCheckpoint(conn, workspace, done.pos);
      });
      this.idle.wrote();
    });
  }

  /**
   * Appends rows a rebuild's fold already turned column-major and storable (src/store/columns.ts):
   * this thread only fills the vectors and flushes, the conversions were done where the fold ran.
   */
  private appendColumns(t: TableDef, cols: Columns, conn: DuckDBConnection): Promise<void> {
    if (cols.rows === 0) return Promise.resolve();
    // a Float64Array is read like an array of numbers
    const all = cols.values.map(valuesOf) as DuckDBValue[][];
    return this.appendChunks(t, cols.rows, conn, (off, n) => (n === cols.rows ? all : all.map((v) => v.slice(off, off + n))));
  }

  /** the hook's view of a transaction's connection */
  private tx(conn: DuckDBConnection): FactsTx {
    return {
      query: async (sql, params) => {
        const reader = await conn.runAndReadAll(sql, params as DuckDBValue[]);
        const names = reader.columnNames();
        return reader.getRows().map((r) => Object.fromEntries(names.map((n, j) => [n, plain(r[j])])));
      },
      run: async (sql, params) => {
        await conn.run(sql, params as DuckDBValue[]);
      },
    };
  }

  private async inTransaction(conn: DuckDBConnection, fn: () => Promise<void>): Promise<void> {
    await conn.run("BEGIN TRANSACTION");
    try {
      await fn();
      await conn.run("COMMIT");
    } catch (e) {
      await conn.run("ROLLBACK").catch(() => undefined);
      throw e;
    }
  }

  private async replaceParts(conn: DuckDBConnection, workspace: string, parts: FactPart[]): Promise<void> {
    for (const p of parts) {
      if (p.keys.length > 0)
        await conn.run(`DELETE FROM ${q(p.table.name)} WHERE workspace = $1 AND ${q(p.keyColumn)} IN (SELECT unnest($2::VARCHAR[]))`, [
          workspace,
          listValue(p.keys),
        ]);
      if (p.rows.length > 0) await this.appendRows(p.table, p.rows, conn);
    }
  }

  private async setCheckpoint(conn: DuckDBConnection, workspace: string, pos: number): Promise<void> {
    await conn.run("DELETE FROM projection WHERE workspace = $1", [workspace]);
    await conn.run("INSERT INTO projection VALUES ($1, $2, $3)", [workspace, BigInt(pos), BigInt(Date.now())]);
  }

  async checkpoint(workspace: string): Promise<number> {
    const rows = await this.query<{ pos: number | null }>("SELECT max(pos) AS pos FROM projection WHERE workspace = $1", [workspace]);
    return rows[0]?.pos ?? 0;
  }

  protected async storedEnd(workspace: string): Promise<number> {
    const reader = await this.write.runAndReadAll("SELECT coalesce(max(pos), 0) FROM events WHERE workspace = $1", [workspace]);
    return Number(reader.getRows()[0][0]);
  }

  async readLog(workspace: string, after: number, limit: number): Promise<Appended> {
    // Positions grow with the table's insertion order, so DuckDB's per-row-group min/max skips the old log.
    const reader = await this.read.runAndReadAll("SELECT pos, body FROM events WHERE workspace = $1 AND pos > $2 ORDER BY pos LIMIT $3", [
      workspace,
      BigInt(after),
      BigInt(limit),
    ]);
    const rows = reader.getRows();
    const events: DeskEvent[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) events[i] = JSON.parse(rows[i][1] as string) as DeskEvent;
    return { events, last: rows.length ? Number(rows[rows.length - 1][0]) : after };
  }

  protected async storedIds(workspace: string): Promise<string[]> {
    const reader = await this.write.runAndReadAll("SELECT id FROM events WHERE workspace = $1", [workspace]);
    return reader.getRows().map((r) => r[0] as string);
  }

  protected async storedBodies(workspace: string, ids: string[]): Promise<Map<string, string>> {
    const reader = await this.write.runAndReadAll("SELECT id, body FROM events WHERE workspace = $1 AND id IN (SELECT unnest($2::VARCHAR[]))", [
      workspace,
      listValue(ids),
    ]);
    return new Map(reader.getRows().map((r) => [r[0] as string, String(r[1])]));
  }

  /**
   * Group commit: appends that arrive while another is being written wait and then go to the log
   * together, in arrival order, in one appender flush and commit (the commit's fixed cost is what
   * bounds many small concurrent batches). Each caller still gets its own events and positions.
   */
  append(workspace: string, events: DeskEvent[], receivedAt: number, onConflict?: (e: DeskEvent) => void): Promise<Appended> {
    return new Promise<Appended>((resolve, reject) => {
      this.pendingAppends.push({ workspace, events, receivedAt, onConflict, resolve, reject });
      if (this.pendingAppends.length === 1) void this.lock.run(() => this.drainAppends());
    });
  }

  private async drainAppends(): Promise<void> {
    const group = this.pendingAppends.splice(0);
    try {
      const rows: Row[] = [];
      const results: Appended[] = [];
      for (const p of group) {
        const staged = await this.stage(p.workspace, p.events, p.receivedAt, p.onConflict);
        for (const r of staged.rows) rows.push(r);
        results.push(staged.appended);
      }
      if (rows.length > 0) await this.appendRows(table("events"), rows);
      this.idle.wrote();
      for (let i = 0; i < group.length; i++) group[i].resolve(results[i]);
    } catch (e) {
      // nothing of the group is in the log: positions are read again from it next time
      for (const p of group) this.unstage(p.workspace);
      for (const p of group) p.reject(e);
    }
  }

  async loadEntityEvents(workspace: string, entities: string[]): Promise<DeskEvent[]> {
    if (entities.length === 0) return [];
    const out: DeskEvent[] = [];
    const reader = await this.read.runAndReadAll("SELECT body FROM events WHERE workspace = $1 AND entity IN (SELECT unnest($2::VARCHAR[]))", [
      workspace,
      listValue(entities),
    ]);
    for (const [body] of reader.getRows()) out.push(JSON.parse(body as string) as DeskEvent);
    return out;
  }

  protected async countEvents(workspace: string): Promise<number> {
    const [row] = await this.query<{ n: number }>("SELECT count(*) AS n FROM events WHERE workspace = $1", [workspace]);
    return row?.n ?? 0;
  }

  /**
   * The whole-log read of a rebuild, in chunks of about REBUILD_GROUP_EVENTS events (every entity
   * whole): DuckDB groups the entities by a hash and joins each group's bodies into one JSON array
   * on its own threads, so Node decodes one string and parses one array per chunk instead of
   * converting and parsing row by row (~20 CPU-µs per event before). The kind is read in slices
   * of READ_SLICE_EVENTS, the next one asked for before this one's chunks are handed out, so DuckDB
   * reads it while the rebuild folds and appends these: only two slices' text is held at once,
   * which keeps the rebuild's heap (and its garbage collection) small whatever the log's size.
   */
  override async *streamEventsByEntity(workspace: string, kinds: string[], through = Number.MAX_SAFE_INTEGER): AsyncIterable<DeskEvent[] | string> {
    const where = "workspace = $1 AND split_part(entity, ':', 1) IN (SELECT unnest($2::VARCHAR[])) AND pos <= $3";
    const params = [workspace, listValue(kinds), BigInt(through)];
    const counted = await this.read.runAndReadAll(`SELECT count(*) FROM events WHERE ${where}`, params);
    const n = Number(counted.getRows()[0][0]);
    if (n === 0) return;
    const slices = Math.ceil(n / READ_SLICE_EVENTS);
    const groups = slices * Math.ceil(n / slices / REBUILD_GROUP_EVENTS);
    const slice = (s: number) => {
      const read = this.read.runAndReadAll(
        // hash() is a UBIGINT: against BIGINT parameters the modulo ran in HUGEINT, half of this read's CPU
        `SELECT '[' || string_agg(body, ',') || ']' FROM events WHERE ${where} AND hash(entity) % $4::UBIGINT = $5::UBIGINT GROUP BY hash(entity) % $6::UBIGINT`,
        [...params, BigInt(slices), BigInt(s), BigInt(groups)],
      );
      // awaited on the next turn; not unhandled if the rebuild stops first
      read.catch(() => undefined);
      return read;
    };
    let next = slice(0);
    for (let s = 0; s < slices; s++) {
      const reader = await next;
      if (s + 1 < slices) next = slice(s + 1);
      for (const [json] of reader.getRows()) yield json as string;
    }
  }

  protected async readSlice(workspace: string, kinds: string[], slices: number, slice: number, through: number): Promise<DeskEvent[]> {
    const reader = await this.read.runAndReadAll(
      `SELECT body FROM events WHERE workspace = $1 AND split_part(entity, ':', 1) IN (SELECT unnest($2::VARCHAR[]))
         AND hash(entity) % $3 = $4 AND pos <= $5`,
      [workspace, listValue(kinds), BigInt(slices), BigInt(slice), BigInt(through)],
    );
    const rows = reader.getRows();
    const chunk: DeskEvent[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) chunk[i] = JSON.parse(rows[i][0] as string) as DeskEvent;
    return chunk;
  }
}

function listValue(values: string[]) {
  return duckList(values);
}

const CHUNK = 2048;
/**
 * Events per read of a rebuild (~150 bytes of JSON text each): small enough that the first one
 * answers soon and the next is read while the rebuild works on this one; each read scans the
 * kind's entities again, which costs little next to its bodies.
 */
const READ_SLICE_EVENTS = 100_000;
/**
 * Events per chunk a rebuild folds: a chunk's events and fact rows stay within V8's young
 * generation, so most die there instead of being copied into the old one (folding in chunks of
 * 5,000 costs about a quarter of the CPU of chunks of 20,000: bench/projector-replay.ts).
 */
const REBUILD_GROUP_EVENTS = 5_000;
/**
 * The vector type each column is appended as. Integers go as DOUBLE vectors that the appender casts
 * to the BIGINT column (exact: every value is a whole JavaScript number): a BigInt per value was
 * the costliest conversion of a fact row.
 */
const DUCK_TYPE: Record<ColumnType, DuckDBType> = { string: VARCHAR, json: VARCHAR, int: DOUBLE, ms: DOUBLE, float: DOUBLE, bool: BOOLEAN };

function toDuck(type: ColumnType, v: unknown): DuckDBValue {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "string":
    case "json":
      return typeof v === "string" ? v : JSON.stringify(v);
    case "int":
    case "ms":
      return Math.round(v as number);
    case "float":
      return Number(v);
    case "bool":
      return Boolean(v);
  }
}
