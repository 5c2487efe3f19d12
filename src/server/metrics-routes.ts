import { Hono } from "hono";
import { AGENT_SCORECARD, CATALOG } from "../metrics/catalog.js";
import type { CatalogEntry } from "../api/types.js";
import { attributionText, catalogText } from "../metrics/catalog-text.js";
import { runMetrics } from "../metrics/compiler.js";
import { toCsv } from "../metrics/csv.js";
import { drilldown } from "../metrics/drilldown.js";
import type { MetricRequest } from "../metrics/request.js";
import { staffingPlan } from "../metrics/staffing.js";
import { negotiateLang } from "../surveys/wording.js";
import { parseWith } from "../util/schema.js";
import type { AppEnv, ServerDeps } from "./context.js";
import { checkCost, timeBudget } from "./limits.js";
import { drilldownRequestSchema, metricRequestSchema, staffingRequestSchema } from "./schemas.js";
import { scope } from "./scope.js";

const list = (s: string | undefined) =>
  s
    ? s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

/** Metrics, the catalog and drill-downs (src/metrics does the work). */
export function metricsRoutes(deps: ServerDeps): Hono<AppEnv> {
  const { rt, limits } = deps;
  const app = new Hono<AppEnv>();
  // Reads that can be costly run under the per-request deadline; a query past it is cancelled (503).
  const timed = timeBudget(limits.queryTimeoutMs);
  // Names, definitions, formulas and "counted in" in the language the caller asks for (Accept-Language;
  // en, ar, fa, zh-Hant, else English); `names` keeps all four and `attribution` stays the English key.
  app.get("/metrics/catalog", scope("read"), timed, async (c) => {
    const caller = c.get("caller");
    const settings = await rt.settings(caller.workspace);
    const lang = negotiateLang(c.req.header("accept-language"));
    c.header("content-language", lang);
    c.header("vary", "Accept-Language");
    return c.json({
      lang,
      metrics: CATALOG.map((m): CatalogEntry => {
        const text = catalogText(m.id, lang);
        return {
          id: m.id,
          name: m.names[lang],
          names: m.names,
          unit: m.unit,
          direction: m.id === "ces" && settings.ces_lower_is_better ? "lower_is_better" : m.direction,
          target: settings.targets[m.id] ?? m.target,
          family: m.family,
          perspective: m.perspective,
          definition: text?.definition ?? m.definition,
          formula: text?.formula ?? m.formula,
          attribution: m.attribution,
          attribution_text: attributionText(m.attribution, lang),
        };
      }),
      composites: { agent_scorecard: AGENT_SCORECARD },
    });
  });

  app.post("/metrics", scope("read"), timed, async (c) => {
    const caller = c.get("caller");
    const req = (await deps.body(c, metricRequestSchema)) as MetricRequest;
    checkCost(req, limits.maxCells);
    return c.json(await runMetrics(rt.store, caller.workspace, await rt.settings(caller.workspace), req, { explain: c.req.query("explain") === "1" }));
  });

  app.get("/metrics", scope("read"), timed, async (c) => {
    const caller = c.get("caller");
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
    checkCost(req, limits.maxCells);
    return c.json(await runMetrics(rt.store, caller.workspace, await rt.settings(caller.workspace), req));
  });

  // Agents needed per weekday and hour for a service-level target (Erlang C over the range's volume and handle time).
  app.post("/metrics/staffing", scope("read"), timed, async (c) => {
    const caller = c.get("caller");
    const req = await deps.body(c, staffingRequestSchema);
    return c.json(await staffingPlan(rt.store, caller.workspace, await rt.settings(caller.workspace), req));
  });

  app.post("/metrics/drilldown", scope("read"), timed, async (c) => {
    const caller = c.get("caller");
    const req = await deps.body(c, drilldownRequestSchema);
    const res = await drilldown(rt.store, caller.workspace, await rt.settings(caller.workspace), req);
    if (c.req.query("format") === "csv") {
      c.header("content-type", "text/csv; charset=utf-8");
      c.header("content-disposition", `attachment; filename="${req.metric.replace(/[^A-Za-z0-9_.-]/g, "_")}.csv"`);
      return c.body(`${toCsv(res.items, res.columns)}\n`);
    }
    return c.json(res);
  });
  return app;
}
