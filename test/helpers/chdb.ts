import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session } from "chdb";
import { clickhouseDialect } from "../../src/store/clickhouse/clickhouse-dialect.js";
import { type ColumnType, type Row, TABLES } from "../../src/store/schema.js";
import type { SqlValue, Store } from "../../src/store/store.js";

const CH_TYPE: Record<ColumnType, string> = { string: "String", json: "String", int: "Int64", ms: "Int64", float: "Float64", bool: "UInt8" };

/**
 * A current ClickHouse (chdb, in process) behind the read side of the Store interface, enough for
 * the metric compiler: it runs the ClickHouse dialect's SQL with server-side query parameters —
 * the path of ClickHouse ≥ 19 that Debian's 18.16 never takes.
 */
export interface ChdbStore extends Pick<Store, "kind" | "dialect" | "query"> {
  load(table: string, rows: Row[]): Promise<void>;
  close(): void;
}

export function openChdb(): ChdbStore {
  const dir = mkdtempSync(join(tmpdir(), "dp-chdb-"));
  const s = new Session(dir);
  s.query("CREATE DATABASE IF NOT EXISTS deskpulse");
  for (const t of TABLES) {
    const cols = t.columns.map((c) => `${c.name} ${c.nullable ? `Nullable(${CH_TYPE[c.type]})` : CH_TYPE[c.type]}`).join(", ");
    s.query(`CREATE TABLE deskpulse.${t.name} (${cols}) ENGINE = MergeTree ORDER BY (${t.key.join(", ")})`);
  }
  s.query("USE deskpulse");
  return {
    kind: "clickhouse",
    dialect: clickhouseDialect,
    async query<T = Row>(sql: string, params: SqlValue[] = []): Promise<T[]> {
      const out = s.queryBind(
        `${sql} SETTINGS output_format_json_quote_64bit_integers = 0`,
        Object.fromEntries(params.map((v, i) => [`p${i + 1}`, v])),
        "JSONEachRow",
      );
      return out
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as T);
    },
    async load(name: string, rows: Row[]) {
      const t = TABLES.find((x) => x.name === name)!;
      if (rows.length === 0) return;
      const cell = (type: ColumnType, v: unknown) =>
        v === undefined || v === null ? null : type === "bool" ? (v ? 1 : 0) : type === "json" && typeof v !== "string" ? JSON.stringify(v) : v;
      const values = rows.map((r) => Object.fromEntries(t.columns.map((c) => [c.name, cell(c.type, r[c.name])])));
      s.query(`INSERT INTO deskpulse.${name} FORMAT JSONEachRow ${values.map((v) => JSON.stringify(v)).join("\n")}`);
    },
    close() {
      s.cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
