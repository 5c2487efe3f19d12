import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  BIGINT,
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
import { eventRow, newEvents } from "../event-log.js";
import { IdFilter } from "../id-filter.js";
import { Mutex } from "../mutex.js";
import { type ColumnType, type Row, TABLES, type TableDef, table } from "../schema.js";
import type { SqlValue, Store } from "../store.js";

const SQL_TYPE: Record<ColumnType, string> = {
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
  if (opts.path !== ":memory:") mkdirSync(dirname(opts.path), { recursive: true });
  const config: Record<string, string> = {};
  if (opts.threads) config.threads = String(opts.threads);
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
export class DuckDbStore implements Store {
  readonly kind = "duckdb" as const;
  /** one writing transaction at a time on the write connection */
  private readonly lock = new Mutex();
  private readonly ids = new Map<string, IdFilter>();

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly write: DuckDBConnection,
    private readonly read: DuckDBConnection,
  ) {}

  async init(): Promise<void> {
    const existing = await this.write.runAndReadAll("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()");
    const have = new Set(existing.getRows().map((r) => `${r[0]}.${r[1]}`));
    for (const t of TABLES) {
      const cols = t.columns.map((c) => `${q(c.name)} ${SQL_TYPE[c.type]}${c.nullable ? "" : " NOT NULL"}`).join(", ");
      await this.write.run(`CREATE TABLE IF NOT EXISTS ${q(t.name)} (${cols})`);
      // a store made by an older version lacks newer columns: add them (empty until `deskpulse rebuild`)
      const known = t.columns.some((c) => have.has(`${t.name}.${c.name}`));
      for (const c of t.columns) if (known && c.nullable && !have.has(`${t.name}.${c.name}`)) await this.write.run(`ALTER TABLE ${q(t.name)} ADD COLUMN ${q(c.name)} ${SQL_TYPE[c.type]}`);
    }
    // No secondary indexes: DuckDB does not use an ART index for IN-list lookups, so an index would
    // only slow appends down. The projection's event cache keeps log reads off the hot path.
  }

  async close(): Promise<void> {
    await this.lock.run(async () => {
      await this.write.run("CHECKPOINT");
      this.write.closeSync();
      this.read.closeSync();
      this.instance.closeSync();
    });
  }

  async query<T = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    const reader = await this.read.runAndReadAll(sql, params as DuckDBValue[]);
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

  /** a statement that changes data, on the writing connection */
  exec(sql: string, params: SqlValue[] = []): Promise<void> {
    return this.lock.run(async () => {
      await this.write.run(sql, params as DuckDBValue[]);
    });
  }

  insertRows(t: TableDef, rows: Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.lock.run(() => this.append(t, rows));
  }

  /** Appends column-wise in chunks of 2048 rows: one native call per column per chunk, not per value. */
  private async append(t: TableDef, rows: Row[]): Promise<void> {
    const types = t.columns.map((c) => DUCK_TYPE[c.type]);
    const app = await this.write.createAppender(t.name);
    try {
      for (let off = 0; off < rows.length; off += CHUNK) {
        const n = Math.min(CHUNK, rows.length - off);
        const cols: DuckDBValue[][] = t.columns.map(() => new Array(n));
        for (let j = 0; j < t.columns.length; j++) {
          const { name, type } = t.columns[j];
          const col = cols[j];
          for (let i = 0; i < n; i++) col[i] = toDuck(type, rows[off + i][name]);
        }
        const chunk = DuckDBDataChunk.create(types, n);
        chunk.setColumns(cols);
        app.appendDataChunk(chunk);
      }
      app.flushSync();
    } finally {
      app.closeSync();
    }
  }

  deleteWhereIn(t: TableDef, workspace: string, column: string, values: string[]): Promise<void> {
    if (values.length === 0) return Promise.resolve();
    return this.lock.run(async () => {
      await this.write.run(`DELETE FROM ${q(t.name)} WHERE workspace = $1 AND ${q(column)} IN (SELECT unnest($2::VARCHAR[]))`, [
        workspace,
        listValue(values),
      ]);
    });
  }

  deleteWorkspace(t: TableDef, workspace: string): Promise<void> {
    return this.exec(`DELETE FROM ${q(t.name)} WHERE workspace = $1`, [workspace]);
  }

  /** Replaces the rows of the given derived tables for a set of keys in one transaction, so readers never see half a replacement. */
  replaceRows(workspace: string, parts: { table: TableDef; keyColumn: string; keys: string[]; rows: Row[] }[]): Promise<void> {
    return this.lock.run(async () => {
      await this.write.run("BEGIN TRANSACTION");
      try {
        for (const p of parts) {
          if (p.keys.length > 0)
            await this.write.run(`DELETE FROM ${q(p.table.name)} WHERE workspace = $1 AND ${q(p.keyColumn)} IN (SELECT unnest($2::VARCHAR[]))`, [
              workspace,
              listValue(p.keys),
            ]);
          if (p.rows.length > 0) await this.append(p.table, p.rows);
        }
        await this.write.run("COMMIT");
      } catch (e) {
        await this.write.run("ROLLBACK");
        throw e;
      }
    });
  }

  private async idFilter(workspace: string): Promise<IdFilter> {
    let f = this.ids.get(workspace);
    if (!f) {
      f = new IdFilter();
      const reader = await this.write.runAndReadAll("SELECT id FROM events WHERE workspace = $1", [workspace]);
      for (const [id] of reader.getRows()) f.add(id as string);
      this.ids.set(workspace, f);
    }
    return f;
  }

  appendEvents(workspace: string, events: DeskEvent[], receivedAt: number, onConflict?: (e: DeskEvent) => void): Promise<DeskEvent[]> {
    return this.lock.run(async () => {
      const filter = await this.idFilter(workspace);
      const fresh = await newEvents(
        filter,
        events,
        async (ids) => {
          const reader = await this.write.runAndReadAll("SELECT id, body FROM events WHERE workspace = $1 AND id IN (SELECT unnest($2::VARCHAR[]))", [
            workspace,
            listValue(ids),
          ]);
          return new Map(reader.getRows().map((r) => [r[0] as string, String(r[1])]));
        },
        onConflict,
      );
      if (fresh.length === 0) return fresh;
      const rows = fresh.map((e) => eventRow(workspace, e, receivedAt));
      await this.append(table("events"), rows);
      for (const e of fresh) filter.add(e.id);
      return fresh;
    });
  }

  async loadEntityEvents(workspace: string, entities: string[]): Promise<DeskEvent[]> {
    if (entities.length === 0) return [];
    const out: DeskEvent[] = [];
    const reader = await this.read.runAndReadAll(
      "SELECT body FROM events WHERE workspace = $1 AND entity IN (SELECT unnest($2::VARCHAR[]))",
      [workspace, listValue(entities)],
    );
    for (const [body] of reader.getRows()) out.push(JSON.parse(body as string) as DeskEvent);
    return out;
  }

  async *streamEventsByEntity(workspace: string, kinds: string[]): AsyncIterable<DeskEvent[]> {
    // Entities are hashed into slices so that each slice fits in memory whatever the log's size,
    // and every event of one entity lands in the same slice.
    const countRows = await this.query<{ n: number }>("SELECT count(*) AS n FROM events WHERE workspace = $1", [workspace]);
    const n = countRows[0]?.n ?? 0;
    const slices = Math.max(1, Math.ceil(n / 2_000_000));
    const kindList = listValue(kinds);
    for (let s = 0; s < slices; s++) {
      const reader = await this.read.runAndReadAll(
        `SELECT body FROM events WHERE workspace = $1 AND split_part(entity, ':', 1) IN (SELECT unnest($2::VARCHAR[]))
         AND hash(entity) % $3 = $4`,
        [workspace, kindList, BigInt(slices), BigInt(s)],
      );
      const rows = reader.getRows();
      const chunk: DeskEvent[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) chunk[i] = JSON.parse(rows[i][0] as string) as DeskEvent;
      if (chunk.length > 0) yield chunk;
    }
  }
}

function listValue(values: string[]) {
  return duckList(values);
}

const CHUNK = 2048;
const DUCK_TYPE: Record<ColumnType, DuckDBType> = { string: VARCHAR, json: VARCHAR, int: BIGINT, ms: BIGINT, float: DOUBLE, bool: BOOLEAN };

function toDuck(type: ColumnType, v: unknown): DuckDBValue {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "string":
    case "json":
      return typeof v === "string" ? v : JSON.stringify(v);
    case "int":
    case "ms":
      return BigInt(Math.round(v as number));
    case "float":
      return Number(v);
    case "bool":
      return Boolean(v);
  }
}
