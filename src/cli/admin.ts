import { readFileSync } from "node:fs";
import type { WorkspaceSettings } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";
import type { Runtime } from "../runtime.js";
import { audit, readAudit, settingsChange } from "../server/audit.js";
import { createKey, listKeys, revokeKey } from "../server/keys.js";
import { type CommandContext, int, str, ws } from "./args.js";

/** `settings [--file F]`: print the settings, or apply a JSON file of them first (recorded in the audit log as "cli"). */
export async function runSettings(rt: Runtime, ctx: CommandContext): Promise<void> {
  const workspace = ws(ctx.values);
  const file = str(ctx.values, "file");
  if (file) {
    let patch: unknown;
    try {
      patch = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new UserError("invalid_settings", `cannot read ${file} as JSON: ${(e as Error).message}`);
    }
    await rt.saveSettings(workspace, patch as Partial<WorkspaceSettings>);
    await audit(rt.store, workspace, "cli", "settings.changed", settingsChange(patch as Record<string, unknown>));
    console.log(`Applied ${file}; facts were rebuilt if calendars, SLA policies or projection settings changed.`);
  }
  console.log(JSON.stringify(await rt.settings(workspace), null, 2));
}

/** `keys create | list | revoke ID` */
export async function runKeys(rt: Runtime, ctx: CommandContext): Promise<void> {
  const [sub, id] = ctx.positionals;
  const workspace = ws(ctx.values);
  if (sub === "create") {
    const scopes = (str(ctx.values, "scopes") ?? "read").split(",").map((s) => s.trim());
    const name = str(ctx.values, "name") ?? "cli";
    const key = await createKey(rt.store, workspace, scopes, name);
    await audit(rt.store, workspace, "cli", "key.created", { name, scopes });
    console.log(key);
  } else if (sub === "list") {
    for (const k of await listKeys(rt.store, workspace)) console.log(`${k.id}  ${k.scopes.join(",").padEnd(17)}  ${k.created_at}  ${k.name}`);
  } else if (sub === "revoke" && id) {
    const info = await revokeKey(rt.store, workspace, id);
    await audit(rt.store, workspace, "cli", "key.revoked", { id: info.id, name: info.name, scopes: info.scopes });
    console.log(`Revoked ${info.id} (${info.name}); a running server stops taking it within 10 s.`);
  } else throw new UserError("usage", "usage: deskpulse keys create --scopes read,ingest,admin [--name N] | keys list | keys revoke ID");
}

/** `audit [--limit N] [--json]`: admin actions, newest first. */
export async function runAudit(rt: Runtime, ctx: CommandContext): Promise<void> {
  const items = await readAudit(rt.store, ws(ctx.values), Math.min(int(ctx.values, "limit", 50), 10_000));
  if (ctx.values.json) for (const e of items) console.log(JSON.stringify(e));
  else if (items.length === 0) console.log("No admin actions recorded yet.");
  else for (const e of items) console.log(`${e.at}  ${e.action.padEnd(16)}  ${e.actor}  ${JSON.stringify(e.details)}`);
}
