import { createHash, randomBytes } from "node:crypto";
import { UserError } from "../errors/user-error.js";
import { table } from "../store/schema.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import type { Caller, Scope } from "./context.js";

const KEYS = table("api_keys");
export const SCOPES: Scope[] = ["ingest", "read", "admin"];
export const DEFAULT_WORKSPACE = "default";
/** How long a resolved key is trusted without asking the store again: a key revoked by another process stops working within this. */
const CACHE_MS = 10_000;

/** Keys are stored as SHA-256: a stolen database file does not hand out working keys. */
export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A key's public id: the first 16 hex digits of its hash (names a key without revealing it). */
export const keyId = (hash: string): string => hash.slice(0, 16);

function parseScopes(s: string[]): Scope[] {
  for (const x of s) if (!SCOPES.includes(x as Scope)) throw new UserError("invalid_scope", `unknown scope "${x}"; use ${SCOPES.join(", ")}`);
  return s as Scope[];
}

/** Creates a key (or registers a given one) for a workspace and returns it in clear, once. */
export async function createKey(store: Store, workspace: string, scopes: string[], name: string, given?: string): Promise<string> {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(workspace))
    throw new UserError("invalid_workspace", "a workspace name is 1–64 letters, digits, dots, dashes or underscores");
  const key = given ?? `dp_${randomBytes(24).toString("base64url")}`;
  const h = hashKey(key);
  await store.deleteWhereIn(KEYS, workspace, "key_hash", [h]);
  await store.insertRows(KEYS, [{ workspace, key_hash: h, name, scopes: parseScopes(scopes).join(","), created_at: Date.now() }]);
  return key;
}

export interface KeyInfo {
  id: string;
  name: string;
  scopes: Scope[];
  created_at: string;
}

/** The workspace's keys, without the keys themselves. */
export async function listKeys(store: Store, workspace: string): Promise<KeyInfo[]> {
  const rows = await store.query<{ key_hash: string; name: string | null; scopes: string; created_at: number }>(
    `SELECT key_hash, name, scopes, created_at FROM api_keys WHERE workspace = ${ph(store, 1)} ORDER BY created_at, key_hash`,
    [workspace],
  );
  return rows.map((r) => ({
    id: keyId(r.key_hash),
    name: r.name ?? "",
    scopes: r.scopes.split(",") as Scope[],
    created_at: new Date(Number(r.created_at)).toISOString(),
  }));
}

/** Deletes the workspace's key with this id; a key of another workspace is "not found". Returns the revoked key's info. */
export async function revokeKey(store: Store, workspace: string, id: string): Promise<KeyInfo> {
  if (!/^[0-9a-f]{16}$/.test(id)) throw new UserError("invalid_key_id", `a key id is 16 hex digits, as GET /api/v1/keys lists them; got "${id.slice(0, 40)}"`);
  const rows = await store.query<{ key_hash: string }>(`SELECT key_hash FROM api_keys WHERE workspace = ${ph(store, 1)}`, [workspace]);
  const hit = rows.find((r) => keyId(r.key_hash) === id);
  if (!hit) throw new UserError("not_found", `no key "${id}" in this workspace (GET /api/v1/keys lists them)`, 404);
  const info = (await listKeys(store, workspace)).find((k) => k.id === id)!;
  await store.deleteWhereIn(KEYS, workspace, "key_hash", [hit.key_hash]);
  return info;
}

/** Finds the caller of a key; results are cached briefly (keys are few and read on every request). */
export class KeyRing {
  private readonly cache = new Map<string, { caller: Caller; until: number }>();
  constructor(private readonly store: Store) {}

  async resolve(key: string): Promise<Caller | null> {
    if (key.length > 512) return null;
    const h = hashKey(key);
    const hit = this.cache.get(h);
    if (hit && hit.until > Date.now()) return hit.caller;
    const rows = await this.store.query<{ workspace: string; scopes: string; name: string | null }>(
      `SELECT workspace, scopes, name FROM api_keys WHERE key_hash = ${ph(this.store, 1)}`,
      [h],
    );
    const caller: Caller | null = rows[0]
      ? { workspace: rows[0].workspace, scopes: rows[0].scopes.split(",") as Scope[], key_id: keyId(h), key_name: rows[0].name ?? "" }
      : null;
    if (caller) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(h, { caller, until: Date.now() + CACHE_MS });
    } else this.cache.delete(h);
    return caller;
  }

  forget(): void {
    this.cache.clear();
  }
}

export async function countKeys(store: Store, workspace: string): Promise<number> {
  const rows = await store.query<{ n: number }>(`SELECT count(*) AS n FROM api_keys WHERE workspace = ${ph(store, 1)}`, [workspace]);
  return Number(rows[0]?.n ?? 0);
}
