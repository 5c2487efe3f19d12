import { UserError } from "../errors/user-error.js";
import { openDuckDbStore } from "./duckdb/duckdb-store.js";
import type { Store } from "./store.js";

/**
 * `clickhouse://host:8123/db?cluster=name` (or http(s)://…) opens ClickHouse; anything else is
 * a DuckDB file path (":memory:" for tests). The ClickHouse code is loaded only when asked for,
 * so the embedded default runs without the optional client installed.
 */
export async function openStore(target: string): Promise<Store> {
  if (/^(clickhouse|https?):\/\//.test(target)) {
    let mod: { openClickHouseStore(opts: { url: string }): Promise<Store> };
    try {
      mod = await import("./clickhouse/index.js");
    } catch (e) {
      throw new UserError("clickhouse_unavailable", `cannot load the ClickHouse store (is @clickhouse/client installed? npm install @clickhouse/client): ${e}`);
    }
    return mod.openClickHouseStore({ url: target });
  }
  return openDuckDbStore({ path: target });
}
