import type { WorkspaceSettings } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";
import type { Row } from "../store/schema.js";
import type { Store } from "../store/store.js";
import { bucketStart, nextBucket } from "./buckets.js";
import { METRICS, qualityFlags } from "./catalog.js";
import { flaggedCond } from "./compiler.js";
import type { Grain } from "./grains.js";
import { resolveRequest } from "./request.js";
import { and, bindSettings, filterConds, hasColumn, Params, UNSOLVED } from "./sql-builder.js";

export interface DrilldownRequest {
  metric: string;
  from: string;
  to: string;
  filters?: Record<string, string | string[]>;
  /** the group of the number clicked, e.g. { channel: "chat" } */
  group?: Record<string, string>;
  /** the bucket of the number clicked (ISO start) with its grain */
  bucket?: string;
  grain?: Grain;
  page?: number;
  pageSize?: number;
}

/**
 * The records behind a number: every row the metric's denominator (or sample) counted, with a
 * flag for those in its numerator, newest first, paged.
 */
export async function drilldown(
  store: Store,
  workspace: string,
  settings: WorkspaceSettings,
  req: DrilldownRequest,
): Promise<{ total: number; items: Row[]; columns: string[] }> {
  const m = METRICS.get(req?.metric);
  if (!m) throw new UserError("unknown_metric", `unknown metric "${req?.metric}"`);
  const filters = { ...(req.filters ?? {}) };
  for (const [k, v] of Object.entries(req.group ?? {})) filters[k] = v;
  const r = resolveRequest({ metrics: [m.id], from: req.from, to: req.to, filters }, settings.timezone);
  let from = r.fromMs;
  let to = r.toMs;
  if (req.bucket) {
    if (!req.grain) throw new UserError("invalid_request", "a bucket needs its grain");
    const b = bucketStart(req.grain, Date.parse(req.bucket), settings.timezone, settings.week_start);
    from = Math.max(from, b);
    to = Math.min(to, nextBucket(req.grain, b, settings.timezone));
  }
  const d = store.dialect;
  const p = new Params(d);
  const pageSize = Math.min(Math.max(Number(req.pageSize ?? 50) || 50, 1), 10_000);
  const page = Math.max(Number(req.page ?? 0) || 0, 0);
  const time = m.multiQuery === "backlog" ? "start_at" : m.time;
  const conds = [`workspace = ${p.add(workspace)}`];
  // the backlog is the tickets unresolved at the range's (or bucket's) end, as the metric counts them
  if (m.multiQuery === "backlog") conds.push(UNSOLVED, `start_at < ${p.add(to)}`, `(end_at IS NULL OR end_at >= ${p.add(to)})`);
  else conds.push(`${time} >= ${p.add(from)}`, `${time} < ${p.add(to)}`);
  if (m.where) conds.push(bindSettings(m.where, settings, p));
  conds.push(...filterConds(d, m.table, r.filters, p, m.id));
  // the records the metric left out (flags) are not behind its number either
  if (hasColumn(m.table, "flags")) conds.push(`NOT (${flaggedCond(d, p, qualityFlags(m))})`);
  const where = and(...conds);
  const whereParams = p.count;
  const cols = [...m.drill.columns];
  if (m.agg.kind === "rate") cols.push(`CASE WHEN ${and(bindSettings(m.agg.num, settings, p))} THEN 1 ELSE 0 END AS in_numerator`);
  if (m.agg.kind === "nps") cols.push(`CASE WHEN ${m.agg.promoter} THEN 'promoter' WHEN ${m.agg.detractor} THEN 'detractor' ELSE 'passive' END AS nps_group`);
  const total = await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${m.table} WHERE ${where}`, p.values.slice(0, whereParams));
  const limit = p.add(pageSize);
  const offset = p.add(page * pageSize);
  const items = await store.query<Row>(
    `SELECT ${cols.join(", ")} FROM ${m.table} WHERE ${where} ORDER BY ${time} DESC, ${m.drill.id} LIMIT ${limit} OFFSET ${offset}`,
    p.values,
  );
  return {
    total: Number(total[0]?.n ?? 0),
    items,
    columns: [...m.drill.columns, ...(m.agg.kind === "rate" ? ["in_numerator"] : []), ...(m.agg.kind === "nps" ? ["nps_group"] : [])],
  };
}
