import type { ClickHouseClient } from "@clickhouse/client";
import type { DeskEvent } from "../../events/types.js";
import { EventLogStore } from "../event-log.js";
import { type Columns, rowsOf } from "../columns.js";
import { UserError } from "../../errors/user-error.js";
import { Mutex } from "../mutex.js";
import { type ColumnType, type Row, TABLES, type TableDef, table } from "../schema.js";
import type { Appended, FactPart, SqlValue, Store } from "../store.js";
import { clickhouse18Dialect, clickhouseDialect } from "./clickhouse-dialect.js";
import type { SqlDialect } from "../dialect.js";
import { inlineParams } from "./literal.js";
import { deadline, deadlineExceeded } from "../deadline.js";

const CH_TYPE: Record<ColumnType, string> = { string: "String", json: "String", int: "Int64", ms: "Int64", float: "Float64", bool: "UInt8" };

export interface ClickHouseOptions {
  /** `clickhouse://host:8123[,host2:8124]/database?cluster=name` or `http(s)://host:8123/database` */
  url: string;
  /** the cluster of the servers' `remote_servers` (overrides `?cluster=` in the URL) */
  cluster?: string;
}

/**
 * Ids per `IN (…)` list. A SELECT or ALTER is parsed whole, and its text may not exceed
 * `max_query_size` (256 KiB by default); 18.16 also gets the values inlined. 1,000 ids of a few
 * dozen bytes stay far below, on every version.
 */
const IN_CHUNK = 1_000;

/**
 * Keys per delete mutation. Each mutation rewrites the parts it touches, so fewer and larger
 * ones are cheaper; the text (inlined keys) is sent with a raised `max_query_size`.
 */
const DELETE_CHUNK = 20_000;
const BIG_QUERY = { max_query_size: 64 * 1024 * 1024 } as never;
/** 50 ms apart: two minutes for a mutation before the store gives up */
const MUTATION_POLLS = 2_400;

function chunks<T>(list: T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** `{p<first>:String}, {p<first+1>:String}, …` for `n` values */
function stringPlaceholders(first: number, n: number): string {
  return Array.from({ length: n }, (_, i) => `{p${first + i}:String}`).join(", ");
}

interface Target {
  nodes: string[];
  database: string;
  cluster: string | null;
}

export function parseTarget(url: string): Target {
  const m = /^(clickhouse|https?):\/\/([^/?]+)(?:\/([A-Za-z0-9_]*))?(?:\?(.*))?$/.exec(url);
  if (!m) throw new UserError("invalid_store_url", `cannot read the store URL "${url}"; use clickhouse://host:8123/database?cluster=name`);
  const scheme = m[1] === "https" ? "https" : "http";
  const q = new URLSearchParams(m[4] ?? "");
  return { nodes: m[2].split(",").map((h) => `${scheme}://${h}`), database: m[3] || "deskpulse", cluster: q.get("cluster") };
}

export async function openClickHouseStore(opts: ClickHouseOptions): Promise<ClickHouseStore> {
  const target = parseTarget(opts.url);
  if (opts.cluster) target.cluster = opts.cluster;
  const { createClient } = await import("@clickhouse/client");
  for (const url of target.nodes) {
    const boot = createClient({ url });
    await boot.command({ query: `CREATE DATABASE IF NOT EXISTS ${target.database}` });
    await boot.close();
  }
  // 64-bit integers as JSON numbers (counts and epoch ms fit a double exactly); a progress header
  // every 110 s keeps a long query's connection from looking idle to proxies
  const settings = { output_format_json_quote_64bit_integers: 0, send_progress_in_http_headers: 1, http_headers_progress_interval_ms: "110000" } as never;
  // no 30 s client-side cut-off (the client's default): a request's deadline limits the server
  // instead (max_execution_time, in query()); scans of tens of millions of rows may take longer
  const clients = target.nodes.map((url) => createClient({ url, database: target.database, clickhouse_settings: settings, request_timeout: 3_600_000 }));
  const store = new ClickHouseStore(clients, target);
  await store.init();
  return store;
}

/**
 * The scale-out store. With a cluster, every table is a MergeTree table per shard (`<name>_local`)
 * behind a Distributed table sharded by workspace and entity id; queries and inserts go through
 * the first node (inserts synchronously, so a read right after sees them), DDL and deletes run on
 * every node. Derived rows are replaced with a delete mutation that is awaited before the insert,
 * so reads stay exact.
 */
export class ClickHouseStore extends EventLogStore implements Store {
  readonly kind = "clickhouse" as const;
  readonly soleWriter = false;
  /** the current dialect, or 18.16's (no R-7 percentile function) when the server lacks one: set by init() */
  dialect: SqlDialect = clickhouse18Dialect;
  private serverParams = false;
  /** the database is Atomic (ClickHouse ≥ 20.x): rebuilds swap tables with one atomic EXCHANGE */
  private atomicDb = false;
  /**
   * Writes to derived tables and the swap of a rebuild, one at a time: a commit that landed in a
   * live table between the rebuild's copy of it and the swap would be lost. Appends to the log
   * never wait for it.
   */
  private readonly factsLock = new Mutex();
  /** one rebuild at a time: they share the `_next` twins */
  private readonly swapLock = new Mutex();
  version = "";

  constructor(
    private readonly clients: ClickHouseClient[],
    private readonly target: Target,
  ) {
    super();
  }

  private get main(): ClickHouseClient {
    return this.clients[0];
  }

  private local(t: string): string {
    return this.target.cluster ? `${this.target.database}.${t}_local` : `${this.target.database}.${t}`;
  }

  async init(): Promise<void> {
    const v = await (await this.main.query({ query: "SELECT version() AS v", format: "JSONEachRow" })).json<{ v: string }>();
    this.version = v[0].v;
    this.serverParams = Number(this.version.split(".")[0]) >= 19;
    const fns = await this.main.query({ query: "SELECT count() AS n FROM system.functions WHERE name = 'quantilesExactInclusive'", format: "JSONEachRow" });
    this.dialect = Number((await fns.json<{ n: number | string }>())[0].n) > 0 ? clickhouseDialect : clickhouse18Dialect;
    const db = this.target.database;
    const engines: string[] = [];
    for (const c of this.clients) {
      const rs = await c.query({ query: `SELECT engine FROM system.databases WHERE name = '${db}'`, format: "JSONEachRow" });
      engines.push(...(await rs.json<{ engine: string }>()).map((r) => r.engine));
    }
    this.atomicDb = engines.length === this.clients.length && engines.every((e) => e === "Atomic");
    // Derived tables get a twin (`<name>_next`) that rebuilds fill before they swap.
    const defs = [...TABLES, ...TABLES.filter((t) => t.derived).map(nextTable)];
    for (const t of defs) {
      const cols = t.columns.map((c) => `${c.name} ${c.nullable ? `Nullable(${CH_TYPE[c.type]})` : CH_TYPE[c.type]}`).join(", ");
      const ddl = `CREATE TABLE IF NOT EXISTS ${this.local(t.name)} (${cols}) ENGINE = MergeTree ORDER BY (${t.key.join(", ")})`;
      for (const c of this.clients) await c.command({ query: ddl });
      if (this.target.cluster)
        for (const c of this.clients)
          await c.command({
            query: `CREATE TABLE IF NOT EXISTS ${db}.${t.name} AS ${this.local(t.name)} ENGINE = Distributed(${this.target.cluster}, ${db}, ${t.name}_local, cityHash64(workspace, ${t.shardKey}))`,
          });
    }
    // Stores made before logs had positions: add the column (old events stay unnumbered and are
    // read by rebuilds, which do not need positions).
    for (const c of this.clients) {
      const names = [this.local("events"), ...(this.target.cluster ? [`${db}.events`] : [])];
      for (const full of names) {
        const [d, n] = full.split(".");
        const rs = await c.query({
          query: `SELECT count() AS n FROM system.columns WHERE database = '${d}' AND table = '${n}' AND name = 'pos'`,
          format: "JSONEachRow",
        });
        const [{ n: has }] = await rs.json<{ n: string | number }>();
        if (Number(has) === 0) await c.command({ query: `ALTER TABLE ${full} ADD COLUMN pos Nullable(Int64)` });
      }
    }
  }

  async close(): Promise<void> {
    for (const c of this.clients) await c.close();
  }

  /** Runs on the first node; table names resolve in the store's database. */
  async query<T = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    const query = this.serverParams ? sql : inlineParams(sql, params);
    const query_params = this.serverParams ? Object.fromEntries(params.map((v, i) => [`p${i + 1}`, v])) : undefined;
    // The request's deadline (src/store/deadline.ts) becomes the server's max_execution_time.
    const limit = deadline();
    if (limit && Date.now() >= limit.at) throw deadlineExceeded(limit.ms);
    const clickhouse_settings = limit ? { max_execution_time: Math.max(1, Math.ceil((limit.at - Date.now()) / 1000)) } : undefined;
    try {
      const rs = await this.main.query({ query, query_params, format: "JSONEachRow", clickhouse_settings });
      return await rs.json<T>();
    } catch (e) {
      if (limit && /TIMEOUT_EXCEEDED|Timeout exceeded/i.test(String(e))) throw deadlineExceeded(limit.ms);
      throw e;
    }
  }

  insertRows(t: TableDef, rows: Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.lock.run(() => this.insert(t, rows));
  }

  private async insert(t: TableDef, rows: Row[]): Promise<void> {
    const values = rows.map((r) => {
      const o: Record<string, unknown> = {};
      for (const c of t.columns) {
        const v = r[c.name];
        o[c.name] =
          v === undefined || v === null
            ? null
            : c.type === "bool"
              ? v
                ? 1
                : 0
              : c.type === "int" || c.type === "ms"
                ? Math.round(v as number)
                : c.type === "json" && typeof v !== "string"
                  ? JSON.stringify(v)
                  : v;
      }
      return o;
    });
    for (let i = 0; i < values.length; i += 100_000)
      await this.main.insert({
        table: `${this.target.database}.${t.name}`,
        values: values.slice(i, i + 100_000),
        format: "JSONEachRow",
        clickhouse_settings: { insert_distributed_sync: 1 } as never,
      });
  }

  /**
   * Deletes on every node's local table (one mutation per condition) and waits until each node's
   * mutations are done, so the next read is exact. ALTER text always carries inlined literals:
   * no version binds query parameters inside ALTER … DELETE.
   */
  private async deleteWhere(t: TableDef, conds: { where: string; params: SqlValue[] }[]): Promise<void> {
    const [db, name] = this.local(t.name).split(".");
    for (const c of this.clients) {
      for (const { where, params } of conds)
        await c.command({ query: `ALTER TABLE ${db}.${name} DELETE WHERE ${inlineParams(where, params)}`, clickhouse_settings: BIG_QUERY });
      for (let i = 0; ; i++) {
        const rs = await c.query({
          query: `SELECT count() AS n FROM system.mutations WHERE database = '${db}' AND table = '${name}' AND is_done = 0`,
          format: "JSONEachRow",
        });
        const [{ n }] = await rs.json<{ n: string | number }>();
        if (Number(n) === 0) break;
        if (i === MUTATION_POLLS)
          throw new Error(`ClickHouse did not finish deleting from ${db}.${name} in ${(MUTATION_POLLS * 50) / 1000} s (see system.mutations)`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  deleteWhereIn(t: TableDef, workspace: string, column: string, values: string[]): Promise<void> {
    if (values.length === 0) return Promise.resolve();
    const conds = chunks(values, DELETE_CHUNK).map((part) => ({
      where: `workspace = {p1:String} AND ${column} IN (${stringPlaceholders(2, part.length)})`,
      params: [workspace, ...part],
    }));
    return this.lock.run(() => this.deleteWhere(t, conds));
  }

  deleteWorkspace(t: TableDef, workspace: string): Promise<void> {
    return this.lock.run(() => this.deleteWhere(t, [{ where: "workspace = {p1:String}", params: [workspace] }]));
  }

  replaceRows(workspace: string, parts: FactPart[]): Promise<void> {
    return this.factsLock.run(() => this.replaceParts(workspace, parts));
  }

  private async replaceParts(workspace: string, parts: FactPart[]): Promise<void> {
    for (const p of parts) {
      await this.deleteWhereIn(p.table, workspace, p.keyColumn, p.keys);
      await this.insertRows(p.table, p.rows);
    }
  }

  /**
   * No transactions here: the rows first, the checkpoint last. A crash in between leaves the
   * checkpoint behind, and the projector re-projects the same entities from their whole event
   * history, which gives the same rows again (replacing is by key, so nothing doubles).
   */
  commitFacts(workspace: string, parts: FactPart[], pos: number): Promise<void> {
    return this.factsLock.run(async () => {
      await this.replaceParts(workspace, parts);
      await this.insertRows(table("projection"), [{ workspace, pos, updated_at: Date.now() }]);
    });
  }

  /**
   * Readers never see the workspace without facts. The `_next` twins (emptied first) take the
   * workspace's new rows while the live tables serve reads; then, with the derived tables'
   * writes held (`factsLock`), each twin gets a server-side copy of the other workspaces' live
   * rows and trades places with its live table: `EXCHANGE TABLES` in an Atomic database (one
   * atomic step), else one multi-table `RENAME` — ClickHouse before 20 runs a RENAME chain under
   * its global lock, which table look-ups also take, so no query finds a table missing. If the
   * build fails, the live tables were never touched.
   *
   * What it costs: the other workspaces' facts are copied once per rebuild (inside the server).
   * What it does not give: one instant for every table and node — each table swaps on its own,
   * node after node, so for a moment one table (or shard) may show the new facts and another the
   * old ones; none is ever empty.
   */
  swapFacts(
    workspace: string,
    tables: TableDef[],
    build: (insert: (table: TableDef, rows: Row[] | Columns) => Promise<void>) => Promise<{ pos: number; parts: FactPart[] }>,
  ): Promise<void> {
    return this.swapLock.run(async () => {
      for (const t of tables) await this.onEveryNode(`TRUNCATE TABLE ${this.local(nextTable(t).name)}`);
      const done = await build((t, rows) => this.insertRows(nextTable(t), Array.isArray(rows) ? rows : rowsOf(t, rows)));
      const others = inlineParams("workspace != {p1:String}", [workspace]);
      await this.factsLock.run(async () => {
        for (const t of tables) await this.onEveryNode(`INSERT INTO ${this.local(nextTable(t).name)} SELECT * FROM ${this.local(t.name)} WHERE ${others}`);
        for (const t of tables) await this.onEveryNode(this.swapStatement(this.local(t.name), this.local(nextTable(t).name)));
        await this.replaceParts(workspace, done.parts);
        await this.insertRows(table("projection"), [{ workspace, pos: done.pos, updated_at: Date.now() }]);
      });
      // the twins now hold the old facts: free the space until the next rebuild
      for (const t of tables) await this.onEveryNode(`TRUNCATE TABLE ${this.local(nextTable(t).name)}`);
    });
  }

  /** How rebuilds swap tables here: EXCHANGE in an Atomic database, else a RENAME chain. */
  get swapsBy(): "EXCHANGE TABLES" | "RENAME TABLE" {
    return this.atomicDb ? "EXCHANGE TABLES" : "RENAME TABLE";
  }

  /** The statement that makes `next` the live table `live` and `live` the twin, without a moment in which `live` is missing. */
  private swapStatement(live: string, next: string): string {
    return this.atomicDb ? `EXCHANGE TABLES ${live} AND ${next}` : `RENAME TABLE ${live} TO ${live}_swap, ${next} TO ${live}, ${live}_swap TO ${next}`;
  }

  private async onEveryNode(query: string): Promise<void> {
    for (const c of this.clients) await c.command({ query, clickhouse_settings: BIG_QUERY });
  }

  async checkpoint(workspace: string): Promise<number> {
    const [row] = await this.query<{ p: number | string | null }>("SELECT max(pos) AS p FROM projection WHERE workspace = {p1:String}", [workspace]);
    return Number(row?.p ?? 0);
  }

  protected async storedEnd(workspace: string): Promise<number> {
    const [row] = await this.query<{ p: number | string | null }>("SELECT max(pos) AS p FROM events WHERE workspace = {p1:String}", [workspace]);
    return Number(row?.p ?? 0);
  }

  async readLog(workspace: string, after: number, limit: number): Promise<Appended> {
    const rows = await this.query<{ pos: number; body: string }>(
      "SELECT pos, body FROM events WHERE workspace = {p1:String} AND pos > {p2:Int64} ORDER BY pos LIMIT {p3:Int64}",
      [workspace, after, limit],
    );
    return { events: rows.map((r) => JSON.parse(r.body) as DeskEvent), last: rows.length ? Number(rows[rows.length - 1].pos) : after };
  }

  protected async storedIds(workspace: string): Promise<string[]> {
    return (await this.query<{ id: string }>("SELECT id FROM events WHERE workspace = {p1:String}", [workspace])).map((r) => r.id);
  }

  protected async storedBodies(workspace: string, ids: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const part of chunks(ids))
      for (const r of await this.query<{ id: string; body: string }>(
        `SELECT id, any(body) AS body FROM events WHERE workspace = {p1:String} AND id IN (${stringPlaceholders(2, part.length)}) GROUP BY id`,
        [workspace, ...part],
      ))
        found.set(r.id, r.body);
    return found;
  }

  append(workspace: string, events: DeskEvent[], receivedAt: number, onConflict?: (e: DeskEvent) => void): Promise<Appended> {
    return this.lock.run(async () => {
      const { rows, appended } = await this.stage(workspace, events, receivedAt, onConflict);
      try {
        if (rows.length > 0) await this.insert(table("events"), rows);
      } catch (e) {
        this.unstage(workspace);
        throw e;
      }
      return appended;
    });
  }

  async loadEntityEvents(workspace: string, entities: string[]): Promise<DeskEvent[]> {
    const out: DeskEvent[] = [];
    for (const part of chunks(entities)) {
      const rows = await this.query<{ body: string }>(
        `SELECT body FROM events WHERE workspace = {p1:String} AND entity IN (${stringPlaceholders(2, part.length)})`,
        [workspace, ...part],
      );
      for (const r of rows) out.push(JSON.parse(r.body) as DeskEvent);
    }
    return out;
  }

  protected async countEvents(workspace: string): Promise<number> {
    const [{ n }] = await this.query<{ n: number }>("SELECT count() AS n FROM events WHERE workspace = {p1:String}", [workspace]);
    return Number(n);
  }

  protected async readSlice(workspace: string, kinds: string[], slices: number, slice: number, through: number): Promise<DeskEvent[]> {
    const rows = await this.query<{ body: string }>(
      `SELECT body FROM events WHERE workspace = {p1:String} AND splitByChar(':', entity)[1] IN (${kinds.map((_, i) => `{p${i + 5}:String}`).join(", ")}) AND cityHash64(entity) % {p2:Int64} = {p3:Int64} AND (pos IS NULL OR pos <= {p4:Int64})`,
      [workspace, slices, slice, through, ...kinds],
    );
    return rows.map((r) => JSON.parse(r.body) as DeskEvent);
  }
}

/** The twin a rebuild fills before it swaps. */
function nextTable(t: TableDef): TableDef {
  return { ...t, name: `${t.name}_next` };
}
