import type { Hono } from "hono";
import { AGENT_SCORECARD, CATALOG } from "../metrics/catalog.js";
import { runMetrics } from "../metrics/compiler.js";
import { toCsv } from "../metrics/csv.js";
import { drilldown } from "../metrics/drilldown.js";
import type { MetricRequest } from "../metrics/request.js";
import { staffingPlan } from "../metrics/staffing.js";
import { parseWith } from "../util/schema.js";
import type { AppEnv, ServerDeps } from "./context.js";
import { checkCost } from "./limits.js";
import { drilldownRequestSchema, metricRequestSchema, staffingRequestSchema } from "./schemas.js";

const list = (s: string | undefined) => (s ? s.split(",").map((x) => x.trim()).filter(Boolean) : undefined);

/** Metrics, the catalog and drill-downs (src/metrics does the work). */
export function register(app: Hono<AppEnv>, deps: ServerDeps): void {
  app.get("/api/v1/metrics/catalog", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "read");
    const settings = await deps.settings(caller.workspace);
    return c.json({
      metrics: CATALOG.map((m) => ({
        id: m.id,
        names: m.names,
        unit: m.unit,
        direction: m.id === "ces" && settings.ces_lower_is_better ? "lower_is_better" : m.direction,
        target: settings.targets[m.id] ?? m.target,
        family: m.family,
        perspective: m.perspective,
        definition: m.definition,
        formula: m.formula,
        attribution: m.attribution,
      })),
      composites: { agent_scorecard: AGENT_SCORECARD },
    });
  });

  app.post("/api/v1/metrics", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "read");
    const req = parseWith(metricRequestSchema, await deps.json(c)) as MetricRequest;
    checkCost(req, deps.limits.maxCells);
    return c.json(await runMetrics(deps.store, caller.workspace, await deps.settings(caller.workspace), req, { explain: c.req.query("explain") === "1" }));
  });

  app.get("/api/v1/metrics", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "read");
    const q = (k: string) => c.req.query(k);
    // no prototype: a "filter.__proto__" parameter becomes an own key, which the schema check refuses
    const filters: Record<string, string[]> = Object.create(null);
    for (const [k, v] of Object.entries(c.req.queries())) if (k.startsWith("filter.")) filters[k.slice(7)] = v.flatMap((x) => x.split(","));
    // The query-string form goes through the same schema as the JSON one (a bad percentile is NaN, refused).
    const req = parseWith(metricRequestSchema, {
      metrics: list(q("metrics")) ?? [],
      from: q("from") ?? "",
      to: q("to") ?? "",
      grain: q("grain"),
      groupBy: list(q("groupBy")),
      filters,
      clock: q("clock"),
      percentiles: list(q("percentiles"))?.map(Number),
      compare: q("compare") === "true" || q("compare") === "1",
      source: q("source"),
    }) as MetricRequest;
    checkCost(req, deps.limits.maxCells);
    return c.json(await runMetrics(deps.store, caller.workspace, await deps.settings(caller.workspace), req));
  });

  // Agents needed per weekday and hour for a service-level target (Erlang C over the range's volume and handle time).
  app.post("/api/v1/metrics/staffing", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "read");
    const req = parseWith(staffingRequestSchema, await deps.json(c));
    return c.json(await staffingPlan(deps.store, caller.workspace, await deps.settings(caller.workspace), req));
  });

  app.post("/api/v1/metrics/drilldown", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "read");
    const req = parseWith(drilldownRequestSchema, await deps.json(c));
    const res = await drilldown(deps.store, caller.workspace, await deps.settings(caller.workspace), req);
    if (c.req.query("format") === "csv") {
      c.header("content-type", "text/csv; charset=utf-8");
      c.header("content-disposition", `attachment; filename="${req.metric.replace(/[^A-Za-z0-9_.-]/g, "_")}.csv"`);
      return c.body(`${toCsv(res.items, res.columns)}\n`);
    }
    return c.json(res);
  });
}
