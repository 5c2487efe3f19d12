import { randomBytes } from "node:crypto";
import { table } from "../store/schema.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import type { Caller } from "./context.js";

/**
 * The audit log of admin actions (settings changed, keys created and revoked). Entries are rows
 * of the `settings` table named `audit:<time>:<random>`, so every store (DuckDB, ClickHouse) keeps
 * them without a schema change, and `deskpulse migrate` carries them along.
 */
const SETTINGS = table("settings");
const PREFIX = "audit:";

export interface AuditEntry {
  at: string;
  /** who: "key <id> (<name>)" or "cli" */
  actor: string;
  action: "settings.changed" | "key.created" | "key.revoked";
  details: Record<string, unknown>;
}

export const actorOf = (c: Caller): string => (c.key_id ? `key ${c.key_id}${c.key_name ? ` (${c.key_name})` : ""}` : "unknown");

export async function audit(store: Store, workspace: string, actor: string, action: AuditEntry["action"], details: Record<string, unknown>): Promise<void> {
  const now = Date.now();
  const entry: AuditEntry = { at: new Date(now).toISOString(), actor, action, details };
  await store.insertRows(SETTINGS, [{ workspace, name: `${PREFIX}${now}:${randomBytes(6).toString("hex")}`, value: JSON.stringify(entry), updated_at: now }]);
}

/** Newest first. */
export async function readAudit(store: Store, workspace: string, limit = 100, offset = 0): Promise<AuditEntry[]> {
  const rows = await store.query<{ value: string }>(
    `SELECT value FROM settings WHERE workspace = ${ph(store, 1)} AND name LIKE 'audit:%' ORDER BY updated_at DESC, name DESC LIMIT ${ph(store, 2, limit)} OFFSET ${ph(store, 3, offset)}`,
    [workspace, limit, offset],
  );
  return rows.map((r) => JSON.parse(typeof r.value === "string" ? r.value : JSON.stringify(r.value)) as AuditEntry);
}

/** What a settings change is recorded as: the fields and their new values, secrets masked. */
export function settingsChange(patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch))
    out[k] = k === "webhook_secrets" && v && typeof v === "object" ? Object.fromEntries(Object.keys(v).map((x) => [x, "***"])) : v;
  return { changed: out };
}
