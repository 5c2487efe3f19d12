import { Hono } from "hono";
import { customerJourney, ticketTimeline } from "../views/record-views.js";
import type { AppEnv, ServerDeps } from "./context.js";
import { timeBudget } from "./limits.js";
import { scope } from "./scope.js";

/** One record's own story: a ticket's timeline, a customer's journey across channels (src/views reads them). */
export function viewsRoutes(deps: ServerDeps): Hono<AppEnv> {
  const { rt } = deps;
  const app = new Hono<AppEnv>();
  const timed = timeBudget(deps.limits.queryTimeoutMs);
  app.get("/tickets/:id", scope("read"), timed, async (c) => c.json(await ticketTimeline(rt.store, c.get("caller").workspace, c.req.param("id"))));
  app.get("/customers/:id", scope("read"), timed, async (c) => c.json(await customerJourney(rt.store, c.get("caller").workspace, c.req.param("id"))));
  return app;
}
