import { Hono } from "hono";
import { maskRule } from "../alerts/rules.js";
import type { WorkspaceSettings } from "../config/settings.js";
import { actorOf, audit, readAudit, settingsChange } from "./audit.js";
import type { AppEnv, ServerDeps } from "./context.js";
import { createKey, listKeys, revokeKey } from "./keys.js";
import { queryInt } from "./limits.js";
import { keyRequestSchema, settingsRequestSchema } from "./schemas.js";
import { hasScope, scope } from "./scope.js";

/** Who am I, workspace settings, keys and the audit log of admin actions. */
export function adminRoutes(deps: ServerDeps): Hono<AppEnv> {
  const { rt } = deps;
  const r = new Hono<AppEnv>();

  r.get("/me", (c) => c.json(c.get("caller")));

  r.get("/settings", scope("read"), async (c) => {
    const caller = c.get("caller");
    const settings = await rt.settings(caller.workspace);
    if (hasScope(caller, "admin")) return c.json(settings);
    // Webhook secrets are credentials: only admins see them.
    return c.json({
      ...settings,
      webhook_secrets: Object.fromEntries(Object.keys(settings.webhook_secrets).map((k) => [k, "***"])),
      alert_rules: settings.alert_rules.map(maskRule),
    });
  });
  r.patch("/settings", scope("admin"), async (c) => {
    const caller = c.get("caller");
    const patch = (await deps.body(c, settingsRequestSchema, "invalid_settings")) as Partial<WorkspaceSettings>;
    // rt.saveSettings checks what the schema cannot (calendars that open, alert rules' cron patterns) before anything is saved.
    const next = await rt.saveSettings(caller.workspace, patch);
    await audit(rt.store, caller.workspace, actorOf(caller), "settings.changed", settingsChange(patch as Record<string, unknown>));
    return c.json(next);
  });

  r.post("/keys", scope("admin"), async (c) => {
    const caller = c.get("caller");
    const body = await deps.body(c, keyRequestSchema);
    const scopes = body.scopes ?? ["read"];
    const name = body.name ?? "api";
    const key = await createKey(rt.store, caller.workspace, scopes, name);
    await audit(rt.store, caller.workspace, actorOf(caller), "key.created", { name, scopes });
    return c.json({ key, workspace: caller.workspace, scopes }, 201);
  });
  r.get("/keys", scope("admin"), async (c) => c.json({ keys: await listKeys(rt.store, c.get("caller").workspace) }));
  r.delete("/keys/:id", scope("admin"), async (c) => {
    const caller = c.get("caller");
    const info = await revokeKey(rt.store, caller.workspace, c.req.param("id"));
    rt.keys.forget();
    deps.sessions.closeKey(caller.workspace, info.id);
    await audit(rt.store, caller.workspace, actorOf(caller), "key.revoked", { id: info.id, name: info.name, scopes: info.scopes });
    return c.json({ revoked: info });
  });

  r.get("/audit", scope("admin"), async (c) => {
    const limit = queryInt(c.req.query("limit"), "limit", 1, 10_000, 100);
    const offset = queryInt(c.req.query("offset"), "offset", 0, 1_000_000_000, 0);
    return c.json({ items: await readAudit(rt.store, c.get("caller").workspace, limit, offset) });
  });
  return r;
}
