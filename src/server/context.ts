import type { Context } from "hono";
import type * as v from "valibot";
import type { Runtime } from "../runtime.js";
import type { AnySchema } from "../util/schema.js";
import type { Limits } from "./limits.js";
import type { Sessions } from "./sessions.js";

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

/** The one set of dependencies every route module is built from: `xRoutes(deps)` returns a `Hono<AppEnv>` the app mounts. */
export interface ServerDeps {
  rt: Runtime;
  /** the server's input, rate and cost bounds */
  limits: Limits;
  /** dashboard sign-ins (ended when their key is revoked) */
  sessions: Sessions;
  /**
   * The request's JSON body, read within the route's size limit and the JSON depth limit, then
   * checked against a valibot schema of src/server/schemas.ts (a 400 names the field). An empty
   * body is `undefined` to the schema.
   */
  body<S extends AnySchema>(c: Context, schema: S, code?: string): Promise<v.InferOutput<S>>;
}
