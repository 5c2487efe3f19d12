import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { UserError } from "../errors/user-error.js";
import { authenticate, SESSION_COOKIE } from "./auth.js";
import type { AppEnv, ServerDeps } from "./context.js";
import { openApiDocument } from "./openapi.js";
import { parseJson, readText } from "./parse-body.js";
import { RateLimiter } from "./rate-limit.js";
import { sessionRequestSchema } from "./schemas.js";
import { parseWith } from "../util/schema.js";

/** the cookie of earlier versions, which held the key itself: cleared, never read */
const OLD_KEY_COOKIE = "deskpulse_key";

/** Behind HTTPS (directly or by a proxy's X-Forwarded-Proto) the session cookie is `Secure`. */
function overHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto")?.split(",")[0].trim().toLowerCase() === "https";
}

function remoteAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "local";
}

/** The routes answered without a key: health, the OpenAPI document, dashboard sign-in and sign-out. */
export function sessionRoutes(deps: ServerDeps): Hono<AppEnv> {
  const { rt, sessions } = deps;
  const r = new Hono<AppEnv>();
  // Sign-in attempts per address: guessing keys through the sign-in form is slow.
  const signIns = new RateLimiter(deps.limits.signInsPerMinute);

  // 200 once the server takes events and queries. With a key it also tells that workspace's
  // pipeline: where its log ends, how far its facts are, the last rebuild and the last error.
  r.get("/health", async (c) => {
    const lanes = rt.follower.states();
    const degraded = lanes.some((l) => l.state === "retrying");
    const caller = await authenticate(c, deps);
    return c.json({
      status: degraded ? "degraded" : "ok",
      ...(caller ? { workspace: caller.workspace, pipeline: await rt.follower.status(caller.workspace) } : {}),
    });
  });
  r.get("/openapi.json", (c) => c.json(openApiDocument()));

  // A form post or JSON: the body is small, read within 16 KiB and (JSON) the depth limit.
  r.post("/session", async (c) => {
    signIns.take(`ip:${remoteAddress(c)}`);
    const type = c.req.header("content-type") ?? "";
    const text = await readText(c.req.raw, 16 * 1024);
    const body = type.includes("json") ? parseJson(text) : { key: new URLSearchParams(text).get("key") ?? "" };
    const { key } = parseWith(sessionRequestSchema, body, "invalid_request", "sign-in");
    const caller = await rt.keys.resolve(key);
    if (!caller) throw new UserError("invalid_key", "that key is not valid; check it, or ask your admin for a new one", 401);
    const session = sessions.open(caller);
    setCookie(c, SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      secure: overHttps(c),
      expires: new Date(session.expires),
    });
    deleteCookie(c, OLD_KEY_COOKIE, { path: "/" });
    if (!type.includes("json") && c.req.header("accept")?.includes("text/html")) return c.redirect("/");
    return c.body(null, 204);
  });

  // Who is signed in, answered with 200 either way, so the dashboard can show its sign-in form without an error.
  r.get("/session", async (c) => {
    const caller = await authenticate(c, deps);
    return c.json(caller ? { signed_in: true, ...caller } : { signed_in: false });
  });
  r.delete("/session", (c) => {
    const sid = getCookie(c, SESSION_COOKIE);
    if (sid) sessions.close(sid);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    deleteCookie(c, OLD_KEY_COOKIE, { path: "/" });
    return c.body(null, 204);
  });
  return r;
}
