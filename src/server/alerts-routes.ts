import type { Context, Hono } from "hono";
import { type AlertRule, maskRule, parseRule } from "../alerts/rules.js";
import { UserError } from "../errors/user-error.js";
import type { Runtime } from "../runtime.js";
import type { AppEnv, ServerDeps } from "./context.js";

async function json(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new UserError("invalid_json", "send the rule as a JSON object");
  }
}

/** Alert rules (stored in the workspace settings as `alert_rules`), alert history, the outbox's dead letters and report runs. */
export function register(app: Hono<AppEnv>, deps: ServerDeps, rt: Runtime): void {
  // Serving is what turns the engine on: CLI one-shots (import, demo) open a runtime without it.
  void rt.startAlerts().catch((e) => console.error("alerts did not start:", e));
  const rules = async (ws: string) => (await deps.settings(ws)).alert_rules;
  const find = async (ws: string, id: string) => {
    const rule = (await rules(ws)).find((r) => r.id === id);
    if (!rule) throw new UserError("not_found", `no alert rule "${id}" in this workspace; GET /api/v1/alert-rules lists them`, 404);
    return rule;
  };
  const show = (c: Context<AppEnv>, r: AlertRule) => (c.get("caller").scopes.includes("admin") ? r : maskRule(r));

  app.get("/api/v1/alert-rules", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "read");
    return c.json({ rules: (await rules(caller.workspace)).map((r) => show(c, r)) });
  });
  app.get("/api/v1/alert-rules/:id", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "read");
    return c.json(show(c, await find(caller.workspace, c.req.param("id"))));
  });
  app.post("/api/v1/alert-rules", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "admin");
    const rule = parseRule(await json(c), "rule", undefined);
    const current = await rules(caller.workspace);
    if (current.some((r) => r.id === rule.id)) throw new UserError("conflict", `an alert rule with id "${rule.id}" exists; PUT /api/v1/alert-rules/${rule.id} changes it`, 409);
    await deps.saveSettings(caller.workspace, { alert_rules: [...current, rule] });
    return c.json(rule, 201);
  });
  app.put("/api/v1/alert-rules/:id", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "admin");
    const old = await find(caller.workspace, c.req.param("id"));
    const body = (await json(c)) as Record<string, unknown>;
    // A masked secret sent back unchanged keeps the stored one.
    const destinations = Array.isArray(body?.destinations)
      ? (body.destinations as Record<string, unknown>[]).map((d) => {
          if (d?.type !== "webhook" || d.secret !== "***") return d;
          const same = old.destinations.find((o) => o.type === "webhook" && o.url === d.url);
          return { ...d, secret: same && same.type === "webhook" ? same.secret : undefined };
        })
      : body?.destinations;
    const rule = parseRule({ ...body, destinations }, "rule", old.id);
    await deps.saveSettings(caller.workspace, { alert_rules: (await rules(caller.workspace)).map((r) => (r.id === old.id ? rule : r)) });
    return c.json(rule);
  });
  app.delete("/api/v1/alert-rules/:id", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "admin");
    const old = await find(caller.workspace, c.req.param("id"));
    await deps.saveSettings(caller.workspace, { alert_rules: (await rules(caller.workspace)).filter((r) => r.id !== old.id) });
    return c.body(null, 204);
  });

  app.post("/api/v1/alert-rules/:id/run", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "admin");
    await rt.alerts.runNow(caller.workspace, (await find(caller.workspace, c.req.param("id"))).id);
    return c.json({ alerts: await rt.alerts.list(caller.workspace, { rule: c.req.param("id"), limit: 20 }) });
  });

  app.get("/api/v1/alerts", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "read");
    const state = c.req.query("state");
    if (state && state !== "firing" && state !== "resolved") throw new UserError("invalid_request", '"state" must be "firing" or "resolved"');
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 200) || 200, 1), 1000);
    return c.json({ alerts: await rt.alerts.list(caller.workspace, { state, rule: c.req.query("rule"), limit }), summary: rt.alerts.summary(caller.workspace) });
  });
  app.post("/api/v1/alerts/:id/ack", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "read");
    return c.json(await rt.alerts.acknowledge(caller.workspace, c.req.param("id"), c.req.header("x-deskpulse-user") ?? "dashboard"));
  });
  app.post("/api/v1/alerts/:id/snooze", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "read");
    const body = (await json(c)) as { minutes?: unknown };
    return c.json(await rt.alerts.snooze(caller.workspace, c.req.param("id"), Number(body?.minutes)));
  });

  app.post("/api/v1/reports/:id/send", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "admin");
    const { sent, digest } = await rt.alerts.sendReport(caller.workspace, c.req.param("id"));
    return c.json({ sent, from: new Date(digest.from).toISOString(), to: new Date(digest.to).toISOString(), kpis: digest.kpis, breaches: digest.breaches });
  });

  app.get("/api/v1/outbox/dead-letters", async (c) => {
    const caller = c.get("caller");
    deps.requireScope(caller, "admin");
    return c.json({ items: await rt.outbox.deadLetters(caller.workspace) });
  });
}
