import type { Runtime } from "../runtime.js";
import { type Command, type CommandContext, withRuntime } from "./args.js";

/** A command that runs on the opened store and closes it after. */
type Handler = (rt: Runtime, ctx: CommandContext) => Promise<void>;
const onStore = (load: () => Promise<Handler>) => (ctx: CommandContext) => withRuntime(ctx, async (rt) => (await load())(rt, ctx));

/**
 * The command table: names, usage and options. Each command's module loads when it runs, so
 * `deskpulse serve` does not load the importers; the modules share their helpers through args.ts.
 */
export const commands: Command[] = [
  {
    name: "start",
    usage: "start [--port N] [--demo-tickets N]",
    summary: "fill an empty store with a demo workspace, then serve API and dashboard",
    options: { port: { type: "string" }, "demo-tickets": { type: "string" }, "no-open": { type: "boolean" } },
    run: async (ctx) => (await import("./serve.js")).runStart(ctx),
  },
  {
    name: "serve",
    usage: "serve [--port N]",
    summary: "serve the HTTP API and dashboard on the configured store (adds no data)",
    options: { port: { type: "string" } },
    run: async (ctx) => (await import("./serve.js")).runServe(ctx),
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
    run: onStore(async () => (await import("./log.js")).runRejected),
  },
  {
    name: "rebuild",
    usage: "rebuild",
    summary: "recompute every derived fact from the event log (after a calendar or SLA change)",
    run: onStore(async () => (await import("./log.js")).runRebuild),
  },
  {
    name: "demo",
    usage: "demo [--tickets N] [--seed S]",
    summary: "generate a reproducible demo workspace of any size into the store",
    options: { tickets: { type: "string" }, seed: { type: "string" } },
    run: onStore(async () => (await import("./demo.js")).runDemoCommand),
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
    run: onStore(async () => (await import("./report.js")).runReport),
  },
  {
    name: "tickets",
    usage: "tickets [--from D] [--to D] [--format csv|ndjson]",
    summary: "export per-ticket facts",
    options: { from: { type: "string" }, to: { type: "string" }, format: { type: "string" } },
    run: onStore(async () => (await import("./report.js")).runTicketsExport),
  },
  {
    name: "settings",
    usage: "settings [--file settings.json]",
    summary: "print the workspace settings, or apply a JSON file of them (calendars, SLA policies, targets…)",
    options: { file: { type: "string" } },
    run: onStore(async () => (await import("./admin.js")).runSettings),
  },
  {
    name: "keys",
    usage: "keys create --scopes read,ingest [--name N] | keys list | keys revoke ID",
    summary: "create an API key for the workspace (printed once), list the keys, or revoke one",
    options: { scopes: { type: "string" }, name: { type: "string" } },
    run: onStore(async () => (await import("./admin.js")).runKeys),
  },
  {
    name: "audit",
    usage: "audit [--limit N] [--json]",
    summary: "admin actions, newest first: settings changes, keys created and revoked",
    options: { limit: { type: "string" }, json: { type: "boolean" } },
    run: onStore(async () => (await import("./admin.js")).runAudit),
  },
  {
    name: "migrate",
    usage: "migrate --to clickhouse://host:8123/db",
    summary: "copy this store (events, settings, keys, facts) into another store",
    options: { to: { type: "string" } },
    run: onStore(async () => (await import("./migrate.js")).runMigrate),
  },
];
