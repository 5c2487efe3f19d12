import type { Context } from "hono";
import type { WorkspaceSettings } from "../config/settings.js";
import type { Store } from "../store/store.js";
import type { Limits } from "./limits.js";

export type Scope = "ingest" | "read" | "admin";

/** What the auth middleware puts on each request: the caller's workspace and scopes. */
export interface Caller {
  workspace: string;
  scopes: Scope[];
  /** the key's public id (a prefix of its hash): names it in the audit log and for revocation */
  key_id?: string;
  /** the name the key was created with */
  key_name?: string;
}

/** Hono environment of every route: `c.get("caller")` after auth. */
export type AppEnv = { Variables: { caller: Caller } };

/** What route modules receive. Each route module exports `register(app: Hono<AppEnv>, deps: ServerDeps)`. */
export interface ServerDeps {
  store: Store;
  settings(workspace: string): Promise<WorkspaceSettings>;
  saveSettings(workspace: string, patch: Partial<WorkspaceSettings>): Promise<WorkspaceSettings>;
  /** throws UserError 403 unless the caller has the scope (admin implies every scope) */
  requireScope(caller: Caller, scope: Scope): void;
  /** the request's JSON body within the route's size and depth limits (undefined when empty) */
  json(c: Context): Promise<unknown>;
  /** the server's input, rate and cost bounds */
  limits: Limits;
}
