import { createHash, randomBytes } from "node:crypto";
import { UserError } from "../errors/user-error.js";
import { table } from "../store/schema.js";
import type { Store } from "../store/store.js";
import { ph } from "../store/sql.js";
import type { Caller, Scope } from "./context.js";

const KEYS = table("api_keys");
export const SCOPES: Scope[] = ["ingest", "read", "admin"];
export const DEFAULT_WORKSPACE = "default";

/** Keys are stored as SHA-256: a stolen database file does not hand out working keys. */
export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

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

/** Finds the caller of a key; results are cached (keys are few and read on every request). */
export class KeyRing {
  private readonly cache = new Map<string, Caller | null>();
  constructor(private readonly store: Store) {}

  async resolve(key: string): Promise<Caller | null> {
    const h = hashKey(key);
    const hit = this.cache.get(h);
    if (hit !== undefined) return hit;
    const rows = await this.store.query<{ workspace: string; scopes: string }>(
      `SELECT workspace, scopes FROM api_keys WHERE key_hash = ${ph(this.store, 1)}`,
      [h],
    );
    const caller = rows[0] ? { workspace: rows[0].workspace, scopes: rows[0].scopes.split(",") as Scope[] } : null;
    if (caller) this.cache.set(h, caller);
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
