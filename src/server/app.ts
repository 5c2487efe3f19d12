import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Context, Hono } from "hono";
import { isUserError, UserError } from "../errors/user-error.js";
import type { Runtime } from "../runtime.js";
import { parseWith } from "../util/schema.js";
import { requireCaller, takesKeyInUrl } from "./auth.js";
import type { AppEnv, ServerDeps } from "./context.js";
import { type AppOptions, serverLimits } from "./limits.js";
import { readJson, tooLarge } from "./parse-body.js";
import { routeModules } from "./routes.js";
import { sessionRoutes } from "./session-routes.js";
import { Sessions } from "./sessions.js";

export type { AppOptions } from "./limits.js";

/**
 * The HTTP API. Every route below /api/v1 (but health and sign-in) runs behind the key check,
 * and reads its workspace only from the caller — never from the request — so one workspace
 * cannot name another's data. Each route module is a Hono app mounted here; each route names
 * its scope with `scope(…)`. Every error leaves as `{ error: { code, message, details? } }`.
 */
export function createApp(rt: Runtime, opts: AppOptions = {}): Hono<AppEnv> {
  const limits = serverLimits(opts);
  const app = new Hono<AppEnv>();
  const deps: ServerDeps = {
    rt,
    limits,
    sessions: new Sessions(limits.sessionMs),
    body: async (c, schema, code) => parseWith(schema, await readJson(c.req.raw, limits.jsonBodyBytes), code),
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
    const limit = c.req.path === "/api/v1/events" || takesKeyInUrl(c.req.path) ? limits.maxBodyBytes : limits.jsonBodyBytes;
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

  app.route("/api/v1", sessionRoutes(deps));
  app.use("/api/v1/*", requireCaller(deps));
  for (const m of routeModules) app.route(m.path, m.routes(deps));

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
