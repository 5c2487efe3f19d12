import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { streamSSE } from "hono/streaming";
import { maskRule } from "../alerts/rules.js";
import type { WorkspaceSettings } from "../config/settings.js";
import { isUserError, UserError } from "../errors/user-error.js";
import { rejectionRow } from "../pipeline/ingest.js";
import type { Runtime } from "../runtime.js";
import { table } from "../store/schema.js";
import { ph } from "../store/sql.js";
import { withDeadline } from "../store/deadline.js";
import { parseWith } from "../util/schema.js";
import { actorOf, audit, readAudit, settingsChange } from "./audit.js";
import type { AppEnv, Caller, Scope, ServerDeps } from "./context.js";
import { createKey, listKeys, revokeKey } from "./keys.js";
import { type AppOptions, queryInt, serverLimits } from "./limits.js";
import { openApiDocument } from "./openapi.js";
import { parseEventBody, parseJson, readBody, readJson, readText, tooLarge } from "./parse-body.js";
import { RateLimiter } from "./rate-limit.js";
import { routeModules } from "./routes.js";
import { keyRequestSchema, sessionRequestSchema } from "./schemas.js";
import { Sessions } from "./sessions.js";

export type { AppOptions } from "./limits.js";
export const SESSION_COOKIE = "deskpulse_session";
/** the cookie of earlier versions, which held the key itself: cleared, never read */
const OLD_KEY_COOKIE = "deskpulse_key";

function requireScope(caller: Caller, scope: Scope): void {
  if (caller.scopes.includes("admin") || caller.scopes.includes(scope)) return;
  throw new UserError("forbidden", `this key lacks the "${scope}" scope; ask an admin of workspace "${caller.workspace}" for a key with it`, 403);
}

/** Webhook routes alone take `?key=` (some vendors cannot set headers); anywhere else a key in a URL would leak into logs and history. */
const takesKeyInUrl = (path: string) => path.startsWith("/api/v1/webhooks/");

function bearer(c: Context): string | undefined {
  const h = c.req.header("authorization");
  if (h?.toLowerCase().startsWith("bearer ")) return h.slice(7).trim();
  return undefined;
}

/** Behind HTTPS (directly or by a proxy's X-Forwarded-Proto) the session cookie is `Secure`. */
function overHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto")?.split(",")[0].trim().toLowerCase() === "https";
}

function remoteAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "local";
}

/**
 * The HTTP API. Every route below /api/v1 (but health and sign-in) runs behind the key check,
 * and reads its workspace only from the caller — never from the request — so one workspace
 * cannot name another's data. Every error leaves as `{ error: { code, message, details? } }`.
 */
export function createApp(rt: Runtime, opts: AppOptions = {}): Hono<AppEnv> {
  const limits = serverLimits(opts);
  const maxBody = limits.maxBodyBytes;
  const app = new Hono<AppEnv>();
  const sessions = new Sessions(limits.sessionMs);
  const perKey = new RateLimiter(limits.ratePerMinute);
  // Sign-in attempts per address: guessing keys through the sign-in form is slow.
  const signIns = new RateLimiter(limits.signInsPerMinute);
  const deps: ServerDeps = {
    store: rt.store,
    settings: (ws) => rt.settings(ws),
    saveSettings: (ws, patch) => rt.saveSettings(ws, patch),
    requireScope,
    json: (c) => readJson(c.req.raw, limits.jsonBodyBytes),
    limits,
  };

  app.onError((err, c) => {
    if (isUserError(err)) {
      if (err.status === 429) c.header("retry-after", String((err.details as { retry_after_s?: number })?.retry_after_s ?? 60));
      // A refused body may still be arriving: close the connection rather than read the rest.
      if (err.status === 413) c.header("connection", "close");
      return c.json({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } }, err.status as 400);
    }
    console.error(err);
    return c.json({ error: { code: "internal", message: "something went wrong on the server; the error is in its log" } }, 500);
  });

  // Limits before anything reads a body: an announced length over the route's limit is refused
  // at once; a streamed body is counted as it arrives and cut off at the limit, for every route
  // (route modules included), whichever way they read it.
  const bodyLimit = async (c: Context, next: () => Promise<void>) => {
    const raw = c.req.raw;
    if (raw.method === "GET" || raw.method === "HEAD" || !raw.body) return next();
    const limit = c.req.path === "/api/v1/events" || takesKeyInUrl(c.req.path) ? maxBody : limits.jsonBodyBytes;
    const announced = raw.headers.get("content-length");
    if (announced !== null) {
      if (Number(announced) > limit) throw tooLarge(limit);
      return next();
    }
    let seen = 0;
    const counted = raw.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, ctl) {
          seen += chunk.byteLength;
          if (seen > limit) ctl.error(tooLarge(limit));
          else ctl.enqueue(chunk);
        },
      }),
    );
    c.req.raw = new Request(raw, { body: counted, duplex: "half" } as RequestInit);
    return next();
  };
  app.use("/api/v1/*", bodyLimit);
  // the hosted survey pages take a form post without a key: bounded the same way
  app.use("/s/*", bodyLimit);

  // 200 once the server takes events and queries. With a key it also tells that workspace's
  // pipeline: where its log ends, how far its facts are, the last rebuild and the last error.
  app.get("/api/v1/health", async (c) => {
    const lanes = rt.follower.states();
    const degraded = lanes.some((l) => l.state === "retrying");
    const caller = await authenticate(c);
    return c.json({
      status: degraded ? "degraded" : "ok",
      ...(caller ? { workspace: caller.workspace, pipeline: await rt.follower.status(caller.workspace) } : {}),
    });
  });
  app.get("/api/v1/openapi.json", (c) => c.json(openApiDocument()));

  app.post("/api/v1/session", async (c) => {
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

  /** The caller of a request: a key in the Authorization header, a session cookie, or (webhooks only) `?key=`. */
  async function authenticate(c: Context): Promise<Caller | null> {
    const key = bearer(c) ?? (takesKeyInUrl(c.req.path) ? c.req.query("key") : undefined);
    if (key) return rt.keys.resolve(key);
    const sid = getCookie(c, SESSION_COOKIE);
    return sid ? sessions.get(sid) : null;
  }

  // Who is signed in, answered with 200 either way, so the dashboard can show its sign-in form without an error.
  app.get("/api/v1/session", async (c) => {
    const caller = await authenticate(c);
    return c.json(caller ? { signed_in: true, ...caller } : { signed_in: false });
  });
  app.delete("/api/v1/session", (c) => {
    const sid = getCookie(c, SESSION_COOKIE);
    if (sid) sessions.close(sid);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    deleteCookie(c, OLD_KEY_COOKIE, { path: "/" });
    return c.body(null, 204);
  });

  app.use("/api/v1/*", async (c, next) => {
    const p = c.req.path;
    if (p === "/api/v1/health" || p === "/api/v1/session" || p === "/api/v1/openapi.json") return next();
    if (c.req.query("key") !== undefined && !takesKeyInUrl(p))
      throw new UserError("key_in_url", "keys are not taken in the URL (it ends up in logs and browser history); send 'Authorization: Bearer <key>'", 401);
    const caller = await authenticate(c);
    if (!caller) throw new UserError("unauthorized", "send a workspace key as 'Authorization: Bearer <key>' (or sign in on the dashboard)", 401);
    perKey.take(`key:${caller.workspace}:${caller.key_id ?? ""}`);
    c.set("caller", caller);
    return next();
  });

  // Reads that can be costly run under the per-request deadline; a query past it is cancelled (503).
  const timed = async (_c: Context, next: () => Promise<void>) => withDeadline(limits.queryTimeoutMs, next);
  for (const path of ["/api/v1/metrics", "/api/v1/metrics/*", "/api/v1/tickets/*", "/api/v1/customers/*"]) app.use(path, timed);

  app.get("/api/v1/me", (c) => c.json(c.get("caller")));

  app.post("/api/v1/events", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "ingest");
    const buf = await readBody(c.req.raw, maxBody);
    const parsed = parseEventBody(buf, c.req.header("content-encoding"), maxBody);
    const records = Array.isArray(parsed.records) ? parsed.records : [parsed.records];
    // Read-your-writes on request: `?wait=projected` (or `X-Deskpulse-Wait: projected`) answers once
    // the batch's facts are stored too; by default the answer comes once the batch is in the log.
    const wait = (c.req.query("wait") ?? c.req.header("x-deskpulse-wait")) === "projected" ? "projected" : "stored";
    // Everything that can fail comes before the append: once events are stored the answer is 2xx.
    const now = Date.now();
    if (parsed.bad.length > 0)
      await rt.store.insertRows(
        table("rejected"),
        parsed.bad.map((b) => rejectionRow(caller.workspace, now, "api", { index: b.index, field: "", reason: b.reason }, b.raw)),
      );
    const result = await rt.ingest(caller.workspace, records, "api", parsed.positions, { wait });
    const rejected = [...parsed.bad.map((b) => ({ index: b.index, field: "", reason: b.reason })), ...result.rejected].sort((a, b) => a.index - b.index);
    return c.json(
      {
        stored: result.stored,
        duplicates: result.duplicates,
        conflicts: result.conflicts,
        rejected,
        appended_through: result.appended_through,
        projected_through: result.projected_through,
      },
      rejected.length && !result.stored && !result.duplicates ? 422 : 200,
    );
  });

  app.get("/api/v1/rejected", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "read");
    const limit = queryInt(c.req.query("limit"), "limit", 1, 10_000, 100);
    const offset = queryInt(c.req.query("offset"), "offset", 0, 1_000_000_000, 0);
    const s = rt.store;
    const rows = await s.query(
      `SELECT received_at, origin, position, field, reason, record FROM rejected WHERE workspace = ${ph(s, 1)}
       ORDER BY seq DESC LIMIT ${ph(s, 2, limit)} OFFSET ${ph(s, 3, offset)}`,
      [caller.workspace, limit, offset],
    );
    const total = await s.query<{ n: number }>(`SELECT count(*) AS n FROM rejected WHERE workspace = ${ph(s, 1)}`, [caller.workspace]);
    return c.json({
      total: Number(total[0]?.n ?? 0),
      items: rows.map((r) => ({ ...r, received_at: new Date(r.received_at as number).toISOString() })),
    });
  });

  app.get("/api/v1/settings", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "read");
    const settings = await rt.settings(caller.workspace);
    if (caller.scopes.includes("admin")) return c.json(settings);
    // Webhook secrets are credentials: only admins see them.
    return c.json({ ...settings, webhook_secrets: Object.fromEntries(Object.keys(settings.webhook_secrets).map((k) => [k, "***"])), alert_rules: settings.alert_rules.map(maskRule) });
  });
  app.patch("/api/v1/settings", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "admin");
    const patch = await readJson(c.req.raw, limits.jsonBodyBytes);
    // rt.saveSettings checks every field (src/config/settings-schema.ts) before anything is saved.
    const next = await rt.saveSettings(caller.workspace, patch as never);
    await audit(rt.store, caller.workspace, actorOf(caller), "settings.changed", settingsChange(patch as Record<string, unknown>));
    return c.json(next);
  });

  app.post("/api/v1/keys", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "admin");
    const body = parseWith(keyRequestSchema, (await readJson(c.req.raw, limits.jsonBodyBytes)) ?? {});
    const scopes = body.scopes ?? ["read"];
    const name = body.name ?? "api";
    const key = await createKey(rt.store, caller.workspace, scopes, name);
    await audit(rt.store, caller.workspace, actorOf(caller), "key.created", { name, scopes });
    return c.json({ key, workspace: caller.workspace, scopes }, 201);
  });
  app.get("/api/v1/keys", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "admin");
    return c.json({ keys: await listKeys(rt.store, caller.workspace) });
  });
  app.delete("/api/v1/keys/:id", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "admin");
    const info = await revokeKey(rt.store, caller.workspace, c.req.param("id"));
    rt.keys.forget();
    sessions.closeKey(caller.workspace, info.id);
    await audit(rt.store, caller.workspace, actorOf(caller), "key.revoked", { id: info.id, name: info.name, scopes: info.scopes });
    return c.json({ revoked: info });
  });

  app.get("/api/v1/audit", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "admin");
    const limit = queryInt(c.req.query("limit"), "limit", 1, 10_000, 100);
    const offset = queryInt(c.req.query("offset"), "offset", 0, 1_000_000_000, 0);
    return c.json({ items: await readAudit(rt.store, caller.workspace, limit, offset) });
  });

  app.get("/api/v1/live", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "read");
    return c.json(await rt.live.snapshot(caller.workspace));
  });
  app.get("/api/v1/live/stream", (c) => {
    const caller = c.get("caller");
    requireScope(caller, "read");
    return streamSSE(c, async (stream) => {
      let closed = false;
      const queue: string[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = rt.hub.subscribe(caller.workspace, (data) => {
        queue.push(data);
        wake?.();
      });
      stream.onAbort(() => {
        closed = true;
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: "live", data: JSON.stringify(await rt.live.snapshot(caller.workspace)) });
      while (!closed) {
        if (queue.length === 0) {
          // A comment line every 15 s keeps proxies from closing an idle stream.
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, 15_000);
          });
          wake = null;
          if (queue.length === 0 && !closed) await stream.write(": keep-alive\n\n");
          continue;
        }
        const data = queue.splice(0).pop()!;
        await stream.writeSSE({ event: "live", data });
      }
    });
  });

  for (const m of routeModules) m.register(app, deps, rt);

  app.all("/api/*", () => {
    throw new UserError("not_found", "no such API route; see GET /api/v1/openapi.json", 404);
  });

  const webRoot = opts.webRoot ?? join(process.cwd(), "web", "dist");
  if (existsSync(webRoot)) {
    app.use("/*", serveStatic({ root: webRoot }));
    const index = join(webRoot, "index.html");
    app.get("*", (c) => c.html(readFileSync(index, "utf8")));
  } else {
    app.get("/", (c) => c.text("The dashboard is not built yet: run `npm run build`.", 503));
  }
  return app;
}
