import { UserError } from "../errors/user-error.js";
import type { Runtime } from "../runtime.js";
import { migrate } from "../store/migrate.js";
import { openStore } from "../store/open-store.js";
import { type CommandContext, str } from "./args.js";

export async function runMigrate(rt: Runtime, ctx: CommandContext): Promise<void> {
  const to = str(ctx.values, "to");
  if (!to) throw new UserError("usage", "usage: deskpulse migrate --to clickhouse://host:8123/db[?cluster=NAME]");
  const target = await openStore(to);
  try {
    const r = await migrate(rt.store, target);
    console.log(`Copied into ${to}: ${JSON.stringify(r)}`);
  } finally {
    await target.close();
  }
}
