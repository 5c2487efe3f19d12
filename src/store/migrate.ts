import { type Row, TABLES } from "./schema.js";
import { ph } from "./sql.js";
import type { Store } from "./store.js";
import { getOrInit } from "../util/maps.js";

const PAGE = 50_000;

/**
 * Copies every table from one store to another, page by page (events first, then facts), so an
 * embedded store can move to a cluster without replaying. Returns the rows copied per table.
 */
export async function migrate(from: Store, to: Store, onProgress?: (table: string, rows: number) => void): Promise<Record<string, number>> {
  const copied: Record<string, number> = {};
  for (const t of TABLES) {
    let n = 0;
    const order = t.key.join(", ");
    for (let offset = 0; ; offset += PAGE) {
      const rows = await from.query<Row>(`SELECT * FROM ${t.name} ORDER BY ${order} LIMIT ${ph(from, 1, PAGE)} OFFSET ${ph(from, 2, offset)}`, [PAGE, offset]);
      if (rows.length === 0) break;
      if (t.name === "events") {
        // through appendEvents, so the target's idempotency (and its id filter) stays right
        const byWs = new Map<string, Row[]>();
        for (const r of rows) {
          const ws = r.workspace as string;
          getOrInit(byWs, ws, () => []).push(r);
        }
        for (const [ws, list] of byWs)
          await to.appendEvents(
            ws,
            list.map((r) => JSON.parse(r.body as string)),
            list[0].received_at as number,
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
