import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { dataDir, type Runtime } from "../runtime.js";
import { createApp } from "../server/app.js";
import { countKeys, createKey, DEFAULT_WORKSPACE } from "../server/keys.js";
import { ph } from "../store/sql.js";
import { type CommandContext, count, int, ws } from "./args.js";

/** The default workspace's admin key: DESKPULSE_ADMIN_KEY, the one kept in the data folder, or a new one. */
export async function ensureAdminKey(rt: Runtime): Promise<{ key: string | null; file: string; from: "env" | "file" | "new" | "none" }> {
  const file = join(dataDir(), "admin-key.txt");
  const given = process.env.DESKPULSE_ADMIN_KEY;
  if (given) {
    await createKey(rt.store, DEFAULT_WORKSPACE, ["admin"], "admin (DESKPULSE_ADMIN_KEY)", given);
    return { key: given, file, from: "env" };
  }
  if ((await countKeys(rt.store, DEFAULT_WORKSPACE)) > 0) {
    const kept = existsSync(file) ? readFileSync(file, "utf8").trim() : null;
    return { key: kept, file, from: kept ? "file" : "none" };
  }
  const key = await createKey(rt.store, DEFAULT_WORKSPACE, ["admin"], "admin (generated)");
  mkdirSync(dataDir(), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, file, from: "new" };
}

/** The data folder holds the database, the admin key and the secrets key: only its owner may enter it. */
function lockDataDir(): void {
  const dir = dataDir();
  if (!existsSync(dir)) return;
  chmodSync(dir, 0o700);
  const key = join(dir, "admin-key.txt");
  if (existsSync(key)) chmodSync(key, 0o600);
}

export async function startServer(rt: Runtime, opts: { port: number; open?: boolean }): Promise<void> {
  const admin = await ensureAdminKey(rt);
  lockDataDir();
  const app = createApp(rt);
  const server = serve({ fetch: app.fetch, port: opts.port, hostname: process.env.HOST ?? "0.0.0.0" });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  const url = `http://localhost:${opts.port}/`;
  console.log(`Deskpulse is serving ${url}`);
  console.log(`  API:        ${url}api/v1  (health: ${url}api/v1/health)`);
  if (admin.from === "env") console.log(`  Admin key:  ${admin.key}   (workspace "${DEFAULT_WORKSPACE}", from DESKPULSE_ADMIN_KEY; not written to disk)`);
  else if (admin.key) console.log(`  Admin key:  ${admin.key}   (workspace "${DEFAULT_WORKSPACE}", kept in ${admin.file})`);
  else console.log(`  Admin key:  the one you were given earlier (DESKPULSE_ADMIN_KEY sets it)`);
  console.log(
    admin.key
      ? `  Dashboard:  ${url}#key=${admin.key}   (this link signs you in; or paste the key into the sign-in form)`
      : `  Dashboard:  ${url}  (sign in with your key)`,
  );
  if (opts.open && process.env.DISPLAY && !process.env.CI) {
    spawn("xdg-open", [admin.key ? `${url}#key=${admin.key}` : url], { stdio: "ignore", detached: true })
      .on("error", () => {})
      .unref();
  }
  const stop = async () => {
    server.close();
    await rt.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

const port = (ctx: CommandContext) => int(ctx.values, "port", Number(process.env.PORT ?? 8080));

/** `start`: what `npm start` runs — a demo workspace into an empty store, then serve. */
export async function runStart(ctx: CommandContext): Promise<void> {
  const rt = await ctx.openRuntime();
  const workspace = ws(ctx.values);
  const n = await rt.store.query<{ n: number }>(`SELECT count(*) AS n FROM events WHERE workspace = ${ph(rt.store, 1)}`, [workspace]);
  if (Number(n[0]?.n ?? 0) === 0) {
    const tickets = int(ctx.values, "demo-tickets", 20_000);
    console.log(`The store is empty: generating a demo workspace of ${count(tickets)} tickets…`);
    await (await import("./demo.js")).runDemo(rt, workspace, { tickets, seed: 7, endMs: Date.now() });
  }
  await startServer(rt, { port: port(ctx), open: !ctx.values["no-open"] });
}

/** `serve`: the API and dashboard on the configured store; adds no data. The store stays open while serving. */
export async function runServe(ctx: CommandContext): Promise<void> {
  await startServer(await ctx.openRuntime(), { port: port(ctx) });
}
