import { getOrInit } from "../util/maps.js";
import { type Row, TABLES } from "./schema.js";
import { ph } from "./sql.js";
import type { SqlValue, Store } from "./store.js";

const PAGE = 50_000;

/**
 * Copies every table from one store to another (DuckDB → ClickHouse or back), page by page:
 * events first, then rejected records, settings, API keys, and the derived facts, so a store can
 * move without replaying. `workspace` limits the copy to one workspace.
 *
 * Safe to re-run (an interrupted migration is finished by running it again): events go through
 * the target's idempotent append (ids already there are skipped, each keeps its `received_at`),
 * and every other table's rows of the copied workspaces are deleted in the target before the
 * copy, so the target ends up holding exactly the source's rows. Returns the rows copied per table.
 */
export async function migrate(from: Store, to: Store, workspace?: string, onProgress?: (table: string, rows: number) => void): Promise<Record<string, number>> {
  const copied: Record<string, number> = {};
  const params: SqlValue[] = workspace === undefined ? [] : [workspace];
  const where = workspace === undefined ? "" : `WHERE workspace = ${ph(from, 1, workspace)}`;
  for (const t of TABLES) {
    if (t.name !== "events") {
      const present = await from.query<{ workspace: string }>(`SELECT DISTINCT workspace FROM ${t.name} ${where}`, params);
      for (const { workspace: ws } of present) await to.deleteWorkspace(t, ws);
    }
    let n = 0;
    // events in log order, so that each page holds few runs of one arrival time and a target
    // that starts empty numbers them as the source did (the copied checkpoint stays right)
    const order = t.name === "events" ? "workspace, pos, received_at, id" : t.key.join(", ");
    const limit = params.length + 1;
    for (let offset = 0; ; offset += PAGE) {
      const rows = await from.query<Row>(
        `SELECT * FROM ${t.name} ${where} ORDER BY ${order} LIMIT ${ph(from, limit, PAGE)} OFFSET ${ph(from, limit + 1, offset)}`,
        [...params, PAGE, offset],
      );
      if (rows.length === 0) break;
      if (t.name === "events") {
        // one append per workspace and arrival time, so the target's idempotency (and its id
        // filter) stays right and every event keeps when it was received
        const groups = new Map<string, Row[]>();
        for (const r of rows) getOrInit(groups, `${r.received_at}\u0000${r.workspace}`, () => []).push(r);
        for (const list of groups.values())
          await to.appendEvents(
            list[0].workspace as string,
            list.map((r) => JSON.parse(r.body as string)),
            Number(list[0].received_at),
          );
      } else await to.insertRows(t, rows);
      n += rows.length;
      onProgress?.(t.name, n);
      if (rows.length < PAGE) break;
    }
    copied[t.name] = n;
  }
  return copied;
}
