import type { Hono } from "hono";
import type { Runtime } from "../runtime.js";
import type { AppEnv, ServerDeps } from "./context.js";

/** Route modules of the other stages (metrics, views, webhooks), registered by the app in this order. */
export interface RouteModule {
  register(app: Hono<AppEnv>, deps: ServerDeps, rt: Runtime): void;
}

import * as metrics from "./metrics-routes.js";
import * as surveys from "./surveys-routes.js";
import * as views from "./views-routes.js";
import * as webhooks from "./webhooks-route.js";
import * as alerts from "./alerts-routes.js";

export const routeModules: RouteModule[] = [metrics, views, webhooks, alerts, surveys];
