import { Hono } from "hono";
import { UserError } from "../errors/user-error.js";
import { parseWebhook, WEBHOOK_VENDORS } from "../ingest/webhooks.js";
import type { AppEnv, ServerDeps } from "./context.js";
import { parseJson, readText } from "./parse-body.js";
import { scope } from "./scope.js";

/** The URL as the vendor called it (HubSpot v3 signs it): behind a proxy, its X-Forwarded-Proto and -Host. */
function publicUrl(req: Request): string {
  const url = new URL(req.url);
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0].trim();
  const host = req.headers.get("x-forwarded-host")?.split(",")[0].trim();
  if (proto === "http" || proto === "https") url.protocol = `${proto}:`;
  if (host) url.host = host;
  return url.toString();
}

/**
 * `POST /api/v1/webhooks/<vendor>`: a help desk's own payload, authenticated by a workspace key
 * (header or `?key=` for vendors that cannot set headers) and, when the workspace has a secret
 * for the vendor, by the vendor's signature — fresh within settings.webhook_tolerance_s where the
 * vendor signs a timestamp.
 */
export function webhooksRoutes(deps: ServerDeps): Hono<AppEnv> {
  const { rt } = deps;
  const app = new Hono<AppEnv>();
  app.post("/webhooks/:vendor", scope("ingest"), async (c) => {
    const caller = c.get("caller");
    const vendor = c.req.param("vendor");
    if (!(WEBHOOK_VENDORS as readonly string[]).includes(vendor))
      throw new UserError("unknown_vendor", `no webhook format for "${vendor}"; known: ${WEBHOOK_VENDORS.join(", ")}`, 404);
    const raw = await readText(c.req.raw, deps.limits.maxBodyBytes);
    const settings = await rt.settings(caller.workspace);
    const records = parseWebhook(
      vendor as (typeof WEBHOOK_VENDORS)[number],
      c.req.raw.headers,
      raw,
      { secret: settings.webhook_secrets[vendor], toleranceS: settings.webhook_tolerance_s, method: c.req.method, url: publicUrl(c.req.raw) },
      (text) => parseJson(text, `the ${vendor} webhook body`),
    );
    const r = await rt.ingest(caller.workspace, records, `webhook:${vendor}`);
    return c.json({ stored: r.stored, duplicates: r.duplicates, rejected: r.rejected });
  });
  return app;
}
