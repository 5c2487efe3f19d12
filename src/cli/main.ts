#!/usr/bin/env node
import { parseArgs } from "node:util";
import { isUserError, UserError } from "../errors/user-error.js";
import { openRuntime, type Values } from "./args.js";
import { commands } from "./commands.js";

const HELP = `deskpulse — customer-service KPIs from your own data

Usage: deskpulse <command> [options]

Commands:
${commands.map((c) => `  ${c.usage.padEnd(58)} ${c.summary}`).join("\n")}

Common options:
  --workspace NAME   workspace to act on (default: "default")

Environment:
  PORT                 HTTP port (default 8080)
  DESKPULSE_DATA       directory of the embedded store (default ./data)
  DESKPULSE_STORE      a store URL instead: clickhouse://host:8123/db?cluster=NAME
  DESKPULSE_ADMIN_KEY  the default workspace's admin key (instead of a generated one)
  DESKPULSE_MAX_BODY   largest request body in bytes (default 67108864)
`;

async function main(argv: string[]): Promise<void> {
  const name = argv[0];
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(HELP);
    return;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) throw new UserError("unknown_command", `unknown command "${name}"; run 'deskpulse help' for the list`);
  const { values, positionals } = parseArgs({
    args: argv.slice(1),
    options: { workspace: { type: "string", default: "default" }, help: { type: "boolean" }, ...cmd.options },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`deskpulse ${cmd.usage}\n  ${cmd.summary}\n`);
    return;
  }
  await cmd.run({ values: values as Values, positionals, openRuntime });
}

main(process.argv.slice(2)).catch((e) => {
  if (isUserError(e)) {
    process.stderr.write(`error [${e.code}]: ${e.message}\n`);
    process.exit(2);
  }
  if (e && typeof e === "object" && "code" in e && String((e as { code: unknown }).code).startsWith("ERR_PARSE_ARGS")) {
    process.stderr.write(`error: ${(e as Error).message}\nrun 'deskpulse help'\n`);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
});
