import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { streamSSE } from "hono/streaming";
import type { WorkspaceSettings } from "../config/settings.js";
import { isUserError, UserError } from "../errors/user-error.js";
import { rejectionRow } from "../pipeline/ingest.js";
import type { Runtime } from "../runtime.js";
import { table } from "../store/schema.js";
import { ph } from "../store/sql.js";
import type { AppEnv, Caller, Scope, ServerDeps } from "./context.js";
import { createKey } from "./keys.js";
import { openApiDocument } from "./openapi.js";
import { parseEventBody } from "./parse-body.js";
import { routeModules } from "./routes.js";

export const SESSION_COOKIE = "deskpulse_key";

export interface AppOptions {
  /** largest accepted request body in bytes (after decompression) */
  maxBodyBytes?: number;
  /** folder of the built dashboard */
  webRoot?: string;
}

function requireScope(caller: Caller, scope: Scope): void {
  if (caller.scopes.includes("admin") || caller.scopes.includes(scope)) return;
  throw new UserError("forbidden", `this key lacks the "${scope}" scope; ask an admin of workspace "${caller.workspace}" for a key with it`, 403);
}

function bearer(c: Context): string | undefined {
  const h = c.req.header("authorization");
  if (h?.toLowerCase().startsWith("bearer ")) return h.slice(7).trim();
  return getCookie(c, SESSION_COOKIE) ?? c.req.query("key") ?? undefined;
}

/**
 * The HTTP API. Every route below /api/v1 (but health and sign-in) runs behind the key check,
 * and reads its workspace only from the caller — never from the request — so one workspace
 * cannot name another's data. Every error leaves as `{ error: { code, message, details? } }`.
 */
export function createApp(rt: Runtime, opts: AppOptions = {}): Hono<AppEnv> {
  const maxBody = opts.maxBodyBytes ?? Number(process.env.DESKPULSE_MAX_BODY ?? 64 * 1024 * 1024);
  const app = new Hono<AppEnv>();
  const deps: ServerDeps = {
    store: rt.store,
    settings: (ws) => rt.settings(ws),
    saveSettings: (ws, patch) => rt.saveSettings(ws, patch),
    requireScope,
  };

  app.onError((err, c) => {
    if (isUserError(err))
      return c.json({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } }, err.status as 400);
    console.error(err);
    return c.json({ error: { code: "internal", message: "something went wrong on the server; the error is in its log" } }, 500);
  });

  app.get("/api/v1/health", (c) => c.json({ status: "ok" }));
  app.get("/api/v1/openapi.json", (c) => c.json(openApiDocument()));

  app.post("/api/v1/session", async (c) => {
    const type = c.req.header("content-type") ?? "";
    const key = type.includes("json") ? String(((await c.req.json()) as { key?: unknown }).key ?? "") : String((await c.req.parseBody()).key ?? "");
    const caller = key ? await rt.keys.resolve(key) : null;
    if (!caller) throw new UserError("invalid_key", "that key is not valid; check it, or ask your admin for a new one", 401);
    setCookie(c, SESSION_COOKIE, key, { httpOnly: true, sameSite: "Strict", path: "/" });
    if (!type.includes("json") && c.req.header("accept")?.includes("text/html")) return c.redirect("/");
    return c.body(null, 204);
  });
  // Who is signed in, answered with 200 either way, so the dashboard can show its sign-in form without an error.
  app.get("/api/v1/session", async (c) => {
    const key = bearer(c);
    const caller = key ? await rt.keys.resolve(key) : null;
    return c.json(caller ? { signed_in: true, ...caller } : { signed_in: false });
  });
  app.delete("/api/v1/session", (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.body(null, 204);
  });

  app.use("/api/v1/*", async (c, next) => {
    const p = c.req.path;
    if (p === "/api/v1/health" || p === "/api/v1/session" || p === "/api/v1/openapi.json") return next();
    const key = bearer(c);
    const caller = key ? await rt.keys.resolve(key) : null;
    if (!caller) throw new UserError("unauthorized", "send a workspace key as 'Authorization: Bearer <key>' (or sign in on the dashboard)", 401);
    c.set("caller", caller);
    return next();
  });

  app.get("/api/v1/me", (c) => c.json(c.get("caller")));

  app.post("/api/v1/events", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "ingest");
    const len = Number(c.req.header("content-length") ?? 0);
    if (len > maxBody) throw new UserError("payload_too_large", `the body is ${len} bytes; the limit is ${maxBody} (DESKPULSE_MAX_BODY). Send smaller batches.`, 413);
    const buf = new Uint8Array(await c.req.arrayBuffer());
    if (buf.byteLength > maxBody) throw new UserError("payload_too_large", `the body is larger than ${maxBody} bytes (DESKPULSE_MAX_BODY). Send smaller batches.`, 413);
    const parsed = parseEventBody(buf, c.req.header("content-encoding"), maxBody);
    const records = Array.isArray(parsed.records) ? parsed.records : [parsed.records];
    const result = await rt.ingest(caller.workspace, records, "api", parsed.positions);
    const now = Date.now();
    if (parsed.bad.length > 0)
      await rt.store.insertRows(
        table("rejected"),
        parsed.bad.map((b) => rejectionRow(caller.workspace, now, "api", { index: b.index, field: "", reason: b.reason }, b.raw)),
      );
    const rejected = [...parsed.bad.map((b) => ({ index: b.index, field: "", reason: b.reason })), ...result.rejected].sort((a, b) => a.index - b.index);
    return c.json({ stored: result.stored, duplicates: result.duplicates, conflicts: result.conflicts, rejected }, rejected.length && !result.stored && !result.duplicates ? 422 : 200);
  });

  app.get("/api/v1/rejected", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "read");
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 100) || 100, 1), 10_000);
    const offset = Math.max(Number(c.req.query("offset") ?? 0) || 0, 0);
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
    return c.json({ ...settings, webhook_secrets: Object.fromEntries(Object.keys(settings.webhook_secrets).map((k) => [k, "***"])) });
  });
  app.patch("/api/v1/settings", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "admin");
    const patch = (await c.req.json().catch(() => {
      throw new UserError("invalid_json", "send the settings to change as a JSON object");
    })) as Partial<WorkspaceSettings>;
    return c.json(await rt.saveSettings(caller.workspace, patch));
  });

  app.post("/api/v1/keys", async (c) => {
    const caller = c.get("caller");
    requireScope(caller, "admin");
    const body = (await c.req.json().catch(() => ({}))) as { name?: string; scopes?: string[] };
    const scopes = Array.isArray(body.scopes) && body.scopes.length ? body.scopes.map(String) : ["read"];
    const key = await createKey(rt.store, caller.workspace, scopes, String(body.name ?? "api"));
    return c.json({ key, workspace: caller.workspace, scopes }, 201);
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
