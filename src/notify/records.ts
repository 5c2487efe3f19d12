import { table } from "../store/schema.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";

const SETTINGS = table("settings");

/**
 * Small JSON documents kept beside the workspace settings (the `settings` table, one row per
 * `<kind>:<id>` name): alert history and the outbox's dead letters. Both stores already have
 * that table, so these need no schema of their own; volumes are small (one row per alert).
 */
export class JsonRecords<T> {
  constructor(
    private readonly store: Store,
    private readonly kind: string,
  ) {}

  async put(workspace: string, id: string, value: T, at = Date.now()): Promise<void> {
    const name = `${this.kind}:${id}`;
    await this.store.deleteWhereIn(SETTINGS, workspace, "name", [name]);
    await this.store.insertRows(SETTINGS, [{ workspace, name, value: JSON.stringify(value), updated_at: at }]);
  }

  async remove(workspace: string, id: string): Promise<void> {
    await this.store.deleteWhereIn(SETTINGS, workspace, "name", [`${this.kind}:${id}`]);
  }

  /** Every record of the workspace (the latest version of each). */
  async list(workspace: string): Promise<T[]> {
    const s = this.store;
    const prefix = `${this.kind}:`;
    const rows = await s.query<{ name: string; value: string; updated_at: number }>(
      `SELECT name, value, updated_at FROM settings WHERE workspace = ${ph(s, 1)} AND substr(name, 1, ${prefix.length}) = ${ph(s, 2)}`,
      [workspace, prefix],
    );
    const latest = new Map<string, { value: string; at: number }>();
    for (const r of rows) {
      const seen = latest.get(r.name);
      if (!seen || Number(r.updated_at) >= seen.at) latest.set(r.name, { value: r.value, at: Number(r.updated_at) });
    }
    return [...latest.values()].map((x) => JSON.parse(x.value) as T);
  }
}
