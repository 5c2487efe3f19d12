import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { dataDir, type Runtime } from "../runtime.js";
import { createApp } from "../server/app.js";
import { countKeys, createKey, DEFAULT_WORKSPACE } from "../server/keys.js";

/** The default workspace's admin key: DESKPULSE_ADMIN_KEY, the one kept in the data folder, or a new one. */
export async function ensureAdminKey(rt: Runtime): Promise<{ key: string | null; file: string }> {
  const file = join(dataDir(), "admin-key.txt");
  const given = process.env.DESKPULSE_ADMIN_KEY;
  if (given) {
    await createKey(rt.store, DEFAULT_WORKSPACE, ["admin"], "admin (DESKPULSE_ADMIN_KEY)", given);
    return { key: given, file };
  }
  if ((await countKeys(rt.store, DEFAULT_WORKSPACE)) > 0) {
    return { key: existsSync(file) ? readFileSync(file, "utf8").trim() : null, file };
  }
  const key = await createKey(rt.store, DEFAULT_WORKSPACE, ["admin"], "admin (generated)");
  mkdirSync(dataDir(), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, file };
}

export async function startServer(rt: Runtime, opts: { port: number; open?: boolean }): Promise<void> {
  const admin = await ensureAdminKey(rt);
  const app = createApp(rt);
  const server = serve({ fetch: app.fetch, port: opts.port, hostname: process.env.HOST ?? "0.0.0.0" });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  const url = `http://localhost:${opts.port}/`;
  console.log(`Deskpulse is serving ${url}`);
  console.log(`  API:        ${url}api/v1  (health: ${url}api/v1/health)`);
  if (admin.key) console.log(`  Admin key:  ${admin.key}   (workspace "${DEFAULT_WORKSPACE}", kept in ${admin.file})`);
  else console.log(`  Admin key:  the one you were given earlier (DESKPULSE_ADMIN_KEY sets it)`);
  console.log(admin.key ? `  Dashboard:  ${url}#key=${admin.key}   (this link signs you in; or paste the key into the sign-in form)` : `  Dashboard:  ${url}  (sign in with your key)`);
  if (opts.open && process.env.DISPLAY && !process.env.CI) {
    spawn("xdg-open", [admin.key ? `${url}#key=${admin.key}` : url], { stdio: "ignore", detached: true }).on("error", () => {}).unref();
  }
  const stop = async () => {
    server.close();
    await rt.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
