import { table } from "../store/schema.js";
import type { Store } from "../store/store.js";
import type { Delivery } from "./outbox.js";

const OUTBOX = table("outbox");

/**
 * The deliveries waiting for a retry, kept in the store's `outbox` table (one row per delivery,
 * replaced after every failed attempt), so a restarted process retries them with the attempts
 * they have left.
 */
export class RetryQueue {
  constructor(private readonly store: Store) {}

  /** Keeps the delivery as it is now (its attempts so far and when the next one is due). */
  save(d: Delivery): Promise<void> {
    const row = { workspace: d.workspace, id: d.id, origin: d.origin, attempts: d.attempts, next_at: d.next_at, delivery: JSON.stringify(d) };
    return this.store.replaceRows(d.workspace, [{ table: OUTBOX, keyColumn: "id", keys: d.attempts > 1 ? [d.id] : [], rows: [row] }]);
  }

  /** The delivery is done: sent, or in the dead letters. */
  remove(d: Delivery): Promise<void> {
    return this.store.deleteWhereIn(OUTBOX, d.workspace, "id", [d.id]);
  }

  /** Every waiting delivery of every workspace (read once, when a process starts sending). */
  async all(): Promise<Delivery[]> {
    const rows = await this.store.query<{ delivery: string }>("SELECT delivery FROM outbox ORDER BY next_at, id");
    return rows.map((r) => JSON.parse(r.delivery) as Delivery);
  }
}
