import { createMiddleware } from "hono/factory";
import { UserError } from "../errors/user-error.js";
import type { AppEnv, Caller, Scope } from "./context.js";

/** Admin implies every scope. */
export const hasScope = (caller: Caller, needed: Scope): boolean => caller.scopes.includes("admin") || caller.scopes.includes(needed);

/** Route middleware: 403 unless the caller's key has the scope. Runs after the auth middleware has set the caller. */
export const scope = (needed: Scope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const caller = c.get("caller");
    if (!hasScope(caller, needed))
      throw new UserError("forbidden", `this key lacks the "${needed}" scope; ask an admin of workspace "${caller.workspace}" for a key with it`, 403);
    await next();
  });
