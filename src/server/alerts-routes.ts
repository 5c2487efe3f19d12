import { type Context, Hono } from "hono";
import { type AlertRule, maskRule, parseRule } from "../alerts/rules.js";
import { UserError } from "../errors/user-error.js";
import type { AppEnv, ServerDeps } from "./context.js";
import { ackRequestSchema, jsonObject, snoozeRequestSchema } from "./schemas.js";
import { hasScope, scope } from "./scope.js";

/** Alert rules (stored in the workspace settings as `alert_rules`), alert history, the outbox's dead letters and report runs. */
export function alertsRoutes(deps: ServerDeps): Hono<AppEnv> {
  const { rt } = deps;
  const app = new Hono<AppEnv>();
  // Serving is what turns the engine on: CLI one-shots (import, demo) open a runtime without it.
  void rt.startAlerts().catch((e) => console.error("alerts did not start:", e));
  const rules = async (ws: string) => (await rt.settings(ws)).alert_rules;
  const find = async (ws: string, id: string) => {
    const rule = (await rules(ws)).find((r) => r.id === id);
    if (!rule) throw new UserError("not_found", `no alert rule "${id}" in this workspace; GET /api/v1/alert-rules lists them`, 404);
    return rule;
  };
  const show = (c: Context<AppEnv>, r: AlertRule) => (hasScope(c.get("caller"), "admin") ? r : maskRule(r));
  // The rule's own schema (alerts/rules.ts) checks it, naming fields as `rule.condition.target`.
  const ruleBody = (c: Context) => deps.body(c, jsonObject, "invalid_rule");

  app.get("/alert-rules", scope("read"), async (c) => c.json({ rules: (await rules(c.get("caller").workspace)).map((r) => show(c, r)) }));
  app.get("/alert-rules/:id", scope("read"), async (c) => c.json(show(c, await find(c.get("caller").workspace, c.req.param("id")))));
  app.post("/alert-rules", scope("admin"), async (c) => {
    const caller = c.get("caller");
    const rule = parseRule(await ruleBody(c), "rule", undefined);
    const current = await rules(caller.workspace);
    if (current.some((r) => r.id === rule.id))
      throw new UserError("conflict", `an alert rule with id "${rule.id}" exists; PUT /api/v1/alert-rules/${rule.id} changes it`, 409);
    await rt.saveSettings(caller.workspace, { alert_rules: [...current, rule] });
    return c.json(rule, 201);
  });
  app.put("/alert-rules/:id", scope("admin"), async (c) => {
    const caller = c.get("caller");
    const old = await find(caller.workspace, c.req.param("id"));
    const body = await ruleBody(c);
    // A masked secret sent back unchanged keeps the stored one.
    const destinations = Array.isArray(body.destinations)
      ? (body.destinations as Record<string, unknown>[]).map((d) => {
          if (d?.type !== "webhook" || d.secret !== "***") return d;
          const same = old.destinations.find((o) => o.type === "webhook" && o.url === d.url);
          return { ...d, secret: same && same.type === "webhook" ? same.secret : undefined };
        })
      : body.destinations;
    const rule = parseRule({ ...body, destinations }, "rule", old.id);
    await rt.saveSettings(caller.workspace, { alert_rules: (await rules(caller.workspace)).map((r) => (r.id === old.id ? rule : r)) });
    return c.json(rule);
  });
  app.delete("/alert-rules/:id", scope("admin"), async (c) => {
    const caller = c.get("caller");
    const old = await find(caller.workspace, c.req.param("id"));
    await rt.saveSettings(caller.workspace, { alert_rules: (await rules(caller.workspace)).filter((r) => r.id !== old.id) });
    return c.body(null, 204);
  });

  app.post("/alert-rules/:id/run", scope("admin"), async (c) => {
    const caller = c.get("caller");
    await rt.alerts.runNow(caller.workspace, (await find(caller.workspace, c.req.param("id"))).id);
    return c.json({ alerts: await rt.alerts.list(caller.workspace, { rule: c.req.param("id"), limit: 20 }) });
  });

  app.get("/alerts", scope("read"), async (c) => {
    const caller = c.get("caller");
    const state = c.req.query("state");
    if (state && state !== "firing" && state !== "resolved") throw new UserError("invalid_request", '"state" must be "firing" or "resolved"');
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 200) || 200, 1), 1000);
    return c.json({
      alerts: await rt.alerts.list(caller.workspace, { state, rule: c.req.query("rule"), limit }),
      summary: rt.alerts.summary(caller.workspace),
    });
  });
  // Acknowledging and snoozing change what everyone is notified of: admin keys only.
  app.post("/alerts/:id/ack", scope("admin"), async (c) => {
    await deps.body(c, ackRequestSchema);
    return c.json(await rt.alerts.acknowledge(c.get("caller").workspace, c.req.param("id"), c.req.header("x-deskpulse-user") ?? "dashboard"));
  });
  app.post("/alerts/:id/snooze", scope("admin"), async (c) => {
    const { minutes } = await deps.body(c, snoozeRequestSchema);
    return c.json(await rt.alerts.snooze(c.get("caller").workspace, c.req.param("id"), minutes));
  });

  app.post("/reports/:id/send", scope("admin"), async (c) => {
    const { sent, digest } = await rt.alerts.sendReport(c.get("caller").workspace, c.req.param("id"));
    return c.json({ sent, from: new Date(digest.from).toISOString(), to: new Date(digest.to).toISOString(), kpis: digest.kpis, breaches: digest.breaches });
  });

  app.get("/outbox/dead-letters", scope("admin"), async (c) => c.json({ items: await rt.outbox.deadLetters(c.get("caller").workspace) }));
  return app;
}
