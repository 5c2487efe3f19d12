import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@clickhouse/client";
import { createChdbConnection } from "chdb/connection";
import { ClickHouseStore } from "../../src/store/clickhouse/clickhouse-store.js";

/**
 * The real ClickHouse store over chdb (an in-process ClickHouse 26, Atomic database): the same
 * `@clickhouse/client` calls, carried by chdb's connection instead of HTTP. The path of current
 * ClickHouse (server-side parameters, EXCHANGE TABLES) that Debian's 18.16 never takes.
 */
export async function openChdbStore(): Promise<{ store: ClickHouseStore; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "dp-chdb-store-"));
  const connection = createChdbConnection({ path: dir });
  // chdb builds on another @clickhouse/client-common release than the client: same shape, other type identity
  const client = createClient({ connection: connection as never, clickhouse_settings: { output_format_json_quote_64bit_integers: 0 } as never });
  await client.command({ query: "CREATE DATABASE IF NOT EXISTS deskpulse" });
  // chdb's connection does not pass the client's `database` on: the session uses it instead
  await client.command({ query: "USE deskpulse" });
  const store = new ClickHouseStore([client], { nodes: ["chdb"], database: "deskpulse", cluster: null });
  await store.init();
  return {
    store,
    async close() {
      await store.close();
      await connection.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
