import { UserError } from "../errors/user-error.js";
import { formatter } from "../format/format.js";
import { reportTable } from "../format/table.js";
import { METRICS } from "../metrics/catalog.js";
import { toCsv } from "../metrics/csv.js";
import { runMetrics } from "../metrics/compiler.js";
import { rangeInstant } from "../metrics/request.js";
import type { Runtime } from "../runtime.js";
import { type Row, table } from "../store/schema.js";
import { ph } from "../store/sql.js";
import { type CommandContext, list, str, ws } from "./args.js";

/** A date given on the command line: checked here, read by the metrics as the API reads it ([from, to), dates at local midnight). */
function dateArg(s: string | undefined, name: string): string {
  if (!s) throw new UserError("usage", `--${name} is required (YYYY-MM-DD or ISO 8601; the range is [from, to), --to not included)`);
  return s;
}

function flatten(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v && typeof v === "object" && !Array.isArray(v)) for (const [k2, v2] of Object.entries(v)) out[`${k}.${k2}`] = v2;
    else out[k] = v;
  }
  return out;
}

export async function runReport(rt: Runtime, ctx: CommandContext): Promise<void> {
  const v = ctx.values;
  const metrics = list(v, "metrics");
  if (metrics.length === 0) throw new UserError("usage", "--metrics is required, e.g. --metrics first_response_time,csat");
  const filters: Record<string, string[]> = {};
  for (const f of (v.filter as string[] | undefined) ?? []) {
    const i = f.indexOf("=");
    if (i < 1) throw new UserError("usage", `--filter takes dim=value, got "${f}"`);
    const dim = f.slice(0, i);
    filters[dim] = [...(filters[dim] ?? []), f.slice(i + 1)];
  }
  const workspace = ws(v);
  const req = {
    metrics,
    from: dateArg(str(v, "from"), "from"),
    to: dateArg(str(v, "to"), "to"),
    grain: str(v, "grain") as never,
    groupBy: str(v, "by") ? str(v, "by")!.split(",") : undefined,
    filters,
    clock: (str(v, "clock") ?? "calendar") as "calendar" | "business",
    percentiles: str(v, "percentiles") ? str(v, "percentiles")!.split(",").map(Number) : undefined,
    compare: Boolean(v.compare),
  };
  const settings = await rt.settings(workspace);
  const res = await runMetrics(rt.store, workspace, settings, req);
  const format = str(v, "format") ?? "table";
  const rows = res.rows as unknown as Record<string, unknown>[];
  if (format === "json") console.log(JSON.stringify(res, null, 2));
  else if (format === "csv") console.log(toCsv(rows.map(flatten)));
  else if (format === "table") {
    // for people: names, rounded values in their units, bucket labels in the workspace's zone
    const f = formatter("en", settings.timezone);
    const info = (id: string) => ({ name: METRICS.get(id)?.names.en ?? id, unit: METRICS.get(id)?.unit ?? "count" });
    console.log(reportTable(res.rows, f, info, req.grain));
  } else throw new UserError("invalid_option", `--format must be table, csv or json, got "${format}"`);
}

const EXPORT_COLUMNS = [
  "ticket_id",
  "created_at",
  "first_reply_at",
  "first_solved_at",
  "last_solved_at",
  "reopens",
  "transfers",
  "agent_replies",
  "frt_s",
  "frt_bs",
  "res_first_s",
  "res_first_bs",
  "res_full_s",
  "res_full_bs",
  "sla_policy",
  "sla_frt_met",
  "sla_res_met",
  "channel",
  "team_id",
  "agent_id",
  "priority",
  "topic",
  "status",
];

export async function runTicketsExport(rt: Runtime, ctx: CommandContext): Promise<void> {
  const v = ctx.values;
  const s = rt.store;
  const tz = (await rt.settings(ws(v))).timezone;
  const from = str(v, "from") ? rangeInstant(str(v, "from"), "from", tz) : 0;
  const to = str(v, "to") ? rangeInstant(str(v, "to"), "to", tz) : 8.64e15;
  const format = str(v, "format") ?? "csv";
  if (format !== "csv" && format !== "ndjson") throw new UserError("invalid_option", `--format must be csv or ndjson, got "${format}"`);
  const known = new Set(table("ticket_facts").columns.map((c) => c.name));
  const cols = EXPORT_COLUMNS.filter((c) => known.has(c));
  const rows = await s.query<Row>(
    `SELECT ${cols.join(", ")} FROM ticket_facts WHERE workspace = ${ph(s, 1)} AND created_at >= ${ph(s, 2, from)} AND created_at < ${ph(s, 3, to)} ORDER BY created_at, ticket_id`,
    [ws(v), from, to],
  );
  const iso = (x: unknown) => (typeof x === "number" ? new Date(x).toISOString() : x);
  const out = rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const c of cols) o[c] = c.endsWith("_at") ? iso(r[c]) : r[c];
    return o;
  });
  if (format === "ndjson") for (const o of out) process.stdout.write(`${JSON.stringify(o)}\n`);
  else process.stdout.write(`${toCsv(out, cols)}\n`);
}
