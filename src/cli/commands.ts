import { readFileSync } from "node:fs";
import type { WorkspaceSettings } from "../config/settings.js";
import { isUserError, UserError } from "../errors/user-error.js";
import type { Runtime } from "../runtime.js";
import { ph } from "../store/sql.js";
import { audit, readAudit, settingsChange } from "../server/audit.js";
import { createKey, listKeys, revokeKey } from "../server/keys.js";
import { Progress } from "./progress.js";
import { startServer } from "./serve.js";

// Commands load their heavier modules when run, so `deskpulse serve` does not load importers.
const runDemo: typeof import("./demo.js").runDemo = async (...a) => (await import("./demo.js")).runDemo(...a);

type Values = Record<string, string | boolean | string[] | undefined>;
export interface CommandContext {
  values: Values;
  positionals: string[];
  openRuntime(): Promise<Runtime>;
}
type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; default?: string | boolean; multiple?: boolean }>;
export interface Command {
  name: string;
  usage: string;
  summary: string;
  options?: OptionSpec;
  run(ctx: CommandContext): Promise<void>;
}

export const str = (v: Values, k: string): string | undefined => (typeof v[k] === "string" ? (v[k] as string) : undefined);
export const ws = (v: Values): string => str(v, "workspace") ?? "default";
export function int(v: Values, k: string, dflt: number): number {
  const s = str(v, k);
  if (s === undefined) return dflt;
  const n = Number(s.replace(/_/g, ""));
  if (!Number.isFinite(n) || n < 0) throw new UserError("invalid_option", `--${k} must be a positive number, got "${s}"`);
  return n;
}

async function withRuntime<T>(ctx: CommandContext, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await ctx.openRuntime();
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

export const commands: Command[] = [
  {
    name: "start",
    usage: "start [--port N] [--demo-tickets N]",
    summary: "fill an empty store with a demo workspace, then serve API and dashboard",
    options: { port: { type: "string" }, "demo-tickets": { type: "string" }, "no-open": { type: "boolean" } },
    async run(ctx) {
      const rt = await ctx.openRuntime();
      const n = await rt.store.query<{ n: number }>(`SELECT count(*) AS n FROM events WHERE workspace = ${ph(rt.store, 1)}`, [ws(ctx.values)]);
      if (Number(n[0]?.n ?? 0) === 0) {
        const tickets = int(ctx.values, "demo-tickets", 20_000);
        console.log(`The store is empty: generating a demo workspace of ${tickets.toLocaleString("en-US")} tickets…`);
        await runDemo(rt, ws(ctx.values), { tickets, seed: 7, endMs: Date.now() });
      }
      await startServer(rt, { port: int(ctx.values, "port", Number(process.env.PORT ?? 8080)), open: !ctx.values["no-open"] });
    },
  },
  {
    name: "serve",
    usage: "serve [--port N]",
    summary: "serve the HTTP API and dashboard on the configured store (adds no data)",
    options: { port: { type: "string" } },
    async run(ctx) {
      const rt = await ctx.openRuntime();
      await startServer(rt, { port: int(ctx.values, "port", Number(process.env.PORT ?? 8080)) });
    },
  },
  {
    name: "import",
    usage: "import FILE [--mapping M.json] [--dry-run] [--format F] [--agents a@x,@co] [--rejects FILE]",
    summary: "import events, snapshot rows, ticket rows, mbox or a help desk's export",
    options: {
      mapping: { type: "string" },
      "dry-run": { type: "boolean" },
      format: { type: "string" },
      "write-mapping": { type: "string" },
      rejects: { type: "string" },
      agents: { type: "string" },
    },
    run: async (ctx) => (await import("./import.js")).runImport(ctx),
  },
  {
    name: "rejected",
    usage: "rejected [--limit N] [--json]",
    summary: "list rejected records with the field and reason",
    options: { limit: { type: "string" }, json: { type: "boolean" } },
    run: (ctx) =>
      withRuntime(ctx, async (rt) => {
        const limit = int(ctx.values, "limit", 50);
        const s = rt.store;
        const rows = await s.query<{ received_at: number; origin: string; position: number; field: string | null; reason: string; record: string }>(
          `SELECT received_at, origin, position, field, reason, record FROM rejected WHERE workspace = ${ph(s, 1)} ORDER BY seq DESC LIMIT ${ph(s, 2, limit)}`,
          [ws(ctx.values), limit],
        );
        if (ctx.values.json) {
          for (const r of rows) console.log(JSON.stringify({ ...r, received_at: new Date(r.received_at).toISOString() }));
          return;
        }
        if (rows.length === 0) console.log("Nothing was rejected.");
        for (const r of rows)
          console.log(`${new Date(r.received_at).toISOString()}  ${r.origin}  #${r.position}  ${r.field ?? "-"}: ${r.reason}\n    ${r.record?.slice(0, 200)}`);
      }),
  },
  {
    name: "rebuild",
    usage: "rebuild",
    summary: "recompute every derived fact from the event log (after a calendar or SLA change)",
    run: (ctx) =>
      withRuntime(ctx, async (rt) => {
        const p = new Progress("rebuild");
        const t0 = performance.now();
        let r: { events: number; quarantined: number };
        try {
          r = await rt.rebuild(ws(ctx.values), (n) => p.update(n, "events"));
        } catch (e) {
          p.done();
          if (isUserError(e)) throw e;
          throw new UserError("rebuild_failed", `the rebuild failed and the previous facts are kept: ${(e as Error)?.message ?? e}`);
        }
        p.done();
        console.log(`Rebuilt facts from ${r.events.toLocaleString("en-US")} events in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
        if (r.quarantined > 0) console.log(`${r.quarantined.toLocaleString("en-US")} events could not be folded and are quarantined: see 'deskpulse rejected'.`);
      }),
  },
  {
    name: "demo",
    usage: "demo [--tickets N] [--seed S]",
    summary: "generate a reproducible demo workspace of any size into the store",
    options: { tickets: { type: "string" }, seed: { type: "string" } },
    run: (ctx) =>
      withRuntime(ctx, async (rt) => {
        await runDemo(rt, ws(ctx.values), { tickets: int(ctx.values, "tickets", 20_000), seed: int(ctx.values, "seed", 7), endMs: Date.now() });
      }),
  },
  {
    name: "report",
    usage: "report --metrics a,b --from D --to D [--by dim] [--grain g] [--clock business] [--format table|csv|json]",
    summary: "compute metrics (same numbers as the API)",
    options: {
      metrics: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      by: { type: "string" },
      grain: { type: "string" },
      clock: { type: "string" },
      format: { type: "string" },
      filter: { type: "string", multiple: true },
      percentiles: { type: "string" },
      compare: { type: "boolean" },
    },
    run: (ctx) => withRuntime(ctx, async (rt) => (await import("./report.js")).runReport(rt, ctx)),
  },
  {
    name: "tickets",
    usage: "tickets [--from D] [--to D] [--format csv|ndjson]",
    summary: "export per-ticket facts",
    options: { from: { type: "string" }, to: { type: "string" }, format: { type: "string" } },
    run: (ctx) => withRuntime(ctx, async (rt) => (await import("./report.js")).runTicketsExport(rt, ctx)),
  },
  {
    name: "settings",
    usage: "settings [--file settings.json]",
    summary: "print the workspace settings, or apply a JSON file of them (calendars, SLA policies, targets…)",
    options: { file: { type: "string" } },
    run: (ctx) =>
      withRuntime(ctx, async (rt) => {
        const file = str(ctx.values, "file");
        if (file) {
          let patch: unknown;
          try {
            patch = JSON.parse(readFileSync(file, "utf8"));
          } catch (e) {
            throw new UserError("invalid_settings", `cannot read ${file} as JSON: ${(e as Error).message}`);
          }
          await rt.saveSettings(ws(ctx.values), patch as Partial<WorkspaceSettings>);
          await audit(rt.store, ws(ctx.values), "cli", "settings.changed", settingsChange(patch as Record<string, unknown>));
          console.log(`Applied ${file}; facts were rebuilt if calendars, SLA policies or projection settings changed.`);
        }
        console.log(JSON.stringify(await rt.settings(ws(ctx.values)), null, 2));
      }),
  },
  {
    name: "keys",
    usage: "keys create --scopes read,ingest [--name N] | keys list | keys revoke ID",
    summary: "create an API key for the workspace (printed once), list the keys, or revoke one",
    options: { scopes: { type: "string" }, name: { type: "string" } },
    run: (ctx) =>
      withRuntime(ctx, async (rt) => {
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
      }),
  },
  {
    name: "audit",
    usage: "audit [--limit N] [--json]",
    summary: "admin actions, newest first: settings changes, keys created and revoked",
    options: { limit: { type: "string" }, json: { type: "boolean" } },
    run: (ctx) =>
      withRuntime(ctx, async (rt) => {
        const items = await readAudit(rt.store, ws(ctx.values), Math.min(int(ctx.values, "limit", 50), 10_000));
        if (ctx.values.json) for (const e of items) console.log(JSON.stringify(e));
        else if (items.length === 0) console.log("No admin actions recorded yet.");
        else for (const e of items) console.log(`${e.at}  ${e.action.padEnd(16)}  ${e.actor}  ${JSON.stringify(e.details)}`);
      }),
  },
  {
    name: "migrate",
    usage: "migrate --to clickhouse://host:8123/db",
    summary: "copy this store (events, settings, keys, facts) into another store",
    options: { to: { type: "string" } },
    run: (ctx) => withRuntime(ctx, async (rt) => (await import("./migrate.js")).runMigrate(rt, ctx)),
  },
];
