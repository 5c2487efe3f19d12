import type { Hono } from "hono";
import type { AppEnv, ServerDeps } from "./context.js";
import { adminRoutes } from "./admin-routes.js";
import { alertsRoutes } from "./alerts-routes.js";
import { ingestRoutes } from "./ingest-routes.js";
import { liveRoutes } from "./live-routes.js";
import { metricsRoutes } from "./metrics-routes.js";
import { surveyPagesRoutes, surveysRoutes } from "./surveys-routes.js";
import { viewsRoutes } from "./views-routes.js";
import { webhooksRoutes } from "./webhooks-routes.js";

/** A route module: a Hono app built from the one set of dependencies, mounted at `path` (below /api/v1, after the key check). */
export interface RouteModule {
  path: string;
  routes(deps: ServerDeps): Hono<AppEnv>;
}

/** Mounted by the app in this order; each route says its scope with `scope(…)`. */
export const routeModules: RouteModule[] = [
  { path: "/api/v1", routes: ingestRoutes },
  { path: "/api/v1", routes: adminRoutes },
  { path: "/api/v1", routes: liveRoutes },
  { path: "/api/v1", routes: metricsRoutes },
  { path: "/api/v1", routes: viewsRoutes },
  { path: "/api/v1", routes: webhooksRoutes },
  { path: "/api/v1", routes: alertsRoutes },
  { path: "/api/v1", routes: surveysRoutes },
  { path: "/s", routes: surveyPagesRoutes },
];
