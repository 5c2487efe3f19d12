import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { UserError } from "../errors/user-error.js";
import type { AppEnv, Caller, ServerDeps } from "./context.js";
import { RateLimiter } from "./rate-limit.js";

export const SESSION_COOKIE = "deskpulse_session";

/** Webhook routes alone take `?key=` (some vendors cannot set headers); anywhere else a key in a URL would leak into logs and history. */
export const takesKeyInUrl = (path: string) => path.startsWith("/api/v1/webhooks/");

/** Routes answered without a key: they run before the auth middleware. */
const PUBLIC = new Set(["/api/v1/health", "/api/v1/session", "/api/v1/openapi.json"]);

function bearer(c: Context): string | undefined {
  const h = c.req.header("authorization");
  if (h?.toLowerCase().startsWith("bearer ")) return h.slice(7).trim();
  return undefined;
}

/** The caller of a request: a key in the Authorization header, a session cookie, or (webhooks only) `?key=`. */
export async function authenticate(c: Context, deps: ServerDeps): Promise<Caller | null> {
  const key = bearer(c) ?? (takesKeyInUrl(c.req.path) ? c.req.query("key") : undefined);
  if (key) return deps.rt.keys.resolve(key);
  const sid = getCookie(c, SESSION_COOKIE);
  return sid ? deps.sessions.get(sid) : null;
}

/** Every other /api/v1 route: 401 without a key or session, 429 past the key's rate; sets `caller`. */
export function requireCaller(deps: ServerDeps) {
  const perKey = new RateLimiter(deps.limits.ratePerMinute);
  return createMiddleware<AppEnv>(async (c, next) => {
    const p = c.req.path;
    if (PUBLIC.has(p)) return next();
    if (c.req.query("key") !== undefined && !takesKeyInUrl(p))
      throw new UserError("key_in_url", "keys are not taken in the URL (it ends up in logs and browser history); send 'Authorization: Bearer <key>'", 401);
    const caller = await authenticate(c, deps);
    if (!caller) throw new UserError("unauthorized", "send a workspace key as 'Authorization: Bearer <key>' (or sign in on the dashboard)", 401);
    perKey.take(`key:${caller.workspace}:${caller.key_id ?? ""}`);
    c.set("caller", caller);
    return next();
  });
}
