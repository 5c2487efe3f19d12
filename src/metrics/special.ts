import type { WorkspaceSettings } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";
import type { Row } from "../store/schema.js";
import type { Store } from "../store/store.js";
import { bucketLabelSql } from "./boundaries.js";
import { bucketList, labelToInstant } from "./buckets.js";
import type { MetricDef } from "./catalog.js";
import type { MetricResult, MetricRow } from "./compiler.js";
import type { SqlDialect } from "./dialect.js";
import type { Resolved } from "./request.js";
import { and, dimExpr, filterConds, Params } from "./sql-builder.js";

const HOUR = 3_600_000;
const DAY = 86_400_000;

interface Ctx {
  store: Store;
  d: SqlDialect;
  ws: string;
  settings: WorkspaceSettings;
  r: Resolved;
  m: MetricDef;
  from: number;
  to: number;
  log: MetricResult["queries"];
}

async function q(c: Ctx, sql: string, p: Params): Promise<Row[]> {
  c.log?.push({ sql, params: p.values });
  return c.store.query<Row>(sql, p.values);
}

function noTagGrouping(c: Ctx): void {
  if (c.r.groupBy.includes("tag")) throw new UserError("unsupported_dimension", `${c.m.id} cannot be grouped by tag`);
}

/** group-by select list and columns for a table */
function dims(c: Ctx, tableName: string, p: Params) {
  noTagGrouping(c);
  const exprs = c.r.groupBy.map((g) => dimExpr(c.d, tableName, g, p, c.m.id));
  return { select: exprs.map((e, i) => `${e} AS g${i}`), cols: exprs.map((_, i) => `g${i}`) };
}

function groupOf(c: Ctx, row: Row): Record<string, string | null> | undefined {
  if (!c.r.groupBy.length) return undefined;
  return Object.fromEntries(c.r.groupBy.map((g, i) => [g, row[`g${i}`] === null ? null : String(row[`g${i}`])]));
}

const n = (v: unknown) => Number(v ?? 0);
const iso = (ms: number) => new Date(ms).toISOString();

function rate(metric: string, num: number, den: number, extra: Record<string, unknown> = {}): MetricRow {
  return { metric, value: den > 0 ? (num / den) * 100 : null, numerator: num, denominator: den, count: den, ...extra };
}

/** Unresolved tickets at each bucket's end instant, from status history. */
async function backlog(c: Ctx): Promise<MetricRow[]> {
  const p = new Params(c.d);
  const buckets = bucketList(c.r.grain, c.from, c.to, c.settings.timezone, c.settings.week_start);
  const instants = buckets.map((b) => p.add(b.end - 1));
  const g = dims(c, "status_intervals", p);
  const threshold = p.add(c.settings.backlog_threshold_hours * HOUR);
  const where = and(
    `f.workspace = ${p.add(c.ws)}`,
    "f.status NOT IN ('solved', 'closed')",
    "f.start_at <= i.t",
    "(f.end_at IS NULL OR f.end_at > i.t)",
    ...filterConds(c.d, "status_intervals", c.r.filters, p, c.m.id),
  );
  const sql = `SELECT i.t AS t, ${[...g.select, "count(*) AS n", `${c.d.countIf(`f.ticket_created_at <= i.t - ${threshold}`)} AS aged`].join(", ")}
    FROM status_intervals AS f CROSS JOIN ${c.d.valuesTable("t", instants)} AS i WHERE ${where} GROUP BY ${["i.t", ...g.cols].join(", ")} ORDER BY ${["t", ...g.cols].join(", ")}`;
  const rows = await q(c, sql, p);
  const keyOf = new Map(buckets.map((b) => [b.end - 1, b]));
  const out: MetricRow[] = rows.map((row) => {
    const b = keyOf.get(n(row.t))!;
    return {
      metric: c.m.id,
      ...(c.r.grain ? { bucket: iso(b.key) } : {}),
      ...(groupOf(c, row) ? { group: groupOf(c, row) } : {}),
      value: n(row.n),
      count: n(row.n),
      aged: n(row.aged),
      at: iso(b.end),
    };
  });
  if (out.length === 0 && !c.r.grain && !c.r.groupBy.length) out.push({ metric: c.m.id, value: 0, count: 0, aged: 0, at: iso(c.to) });
  return out;
}

/** Retention, churn and repeat purchases: counts of customers as of instants, per bucket. */
async function customerRates(c: Ctx): Promise<MetricRow[]> {
  const out: MetricRow[] = [];
  for (const b of bucketList(c.r.grain, c.from, c.to, c.settings.timezone, c.settings.week_start)) {
    const p = new Params(c.d);
    const g = dims(c, "customer_facts", p);
    const at = (ms: number) => p.add(ms);
    let aggs: string[];
    if (c.m.special === "repeat_purchase") aggs = [`${c.d.countIf(`second_purchase_at < ${at(b.end)}`)} AS num`, `${c.d.countIf(`first_purchase_at < ${at(b.end)}`)} AS den`];
    else
      aggs = [
        `${c.d.countIf(`created_at < ${at(b.start)} AND (churned_at IS NULL OR churned_at >= ${at(b.start)})`)} AS at_start`,
        `${c.d.countIf(`created_at < ${at(b.end)} AND (churned_at IS NULL OR churned_at >= ${at(b.end)})`)} AS at_end`,
        `${c.d.countIf(`created_at >= ${at(b.start)} AND created_at < ${at(b.end)}`)} AS new_`,
        `${c.d.countIf(`created_at < ${at(b.start)} AND churned_at >= ${at(b.start)} AND churned_at < ${at(b.end)}`)} AS churned`,
      ];
    const where = and(`workspace = ${p.add(c.ws)}`, "created_at IS NOT NULL", ...filterConds(c.d, "customer_facts", c.r.filters, p, c.m.id));
    const rows = await q(c, `SELECT ${[...g.select, ...aggs].join(", ")} FROM customer_facts WHERE ${where}${g.cols.length ? ` GROUP BY ${g.cols.join(", ")} ORDER BY ${g.cols.join(", ")}` : ""}`, p);
    for (const row of rows) {
      let v: MetricRow;
      if (c.m.special === "repeat_purchase") v = rate(c.m.id, n(row.num), n(row.den));
      else if (c.m.special === "retention")
        v = rate(c.m.id, n(row.at_end) - n(row.new_), n(row.at_start), { at_start: n(row.at_start), at_end: n(row.at_end), new: n(row.new_) });
      else
        v = rate(c.m.id, n(row.churned), n(row.at_start), {
          at_start: n(row.at_start),
          at_end: n(row.at_end),
          net_change: n(row.at_start) > 0 ? ((n(row.at_start) - n(row.at_end)) / n(row.at_start)) * 100 : null,
        });
      if (v.denominator === 0 && (c.r.grain || c.r.groupBy.length)) continue;
      out.push({ ...v, ...(c.r.grain ? { bucket: iso(b.key) } : {}), ...(groupOf(c, row) ? { group: groupOf(c, row) } : {}) });
    }
  }
  return out;
}

/** Share of records with no follow-up (a repeat ticket, a ticket after a help-center visit) within a window. */
async function withoutFollowUp(c: Ctx): Promise<MetricRow[]> {
  const p = new Params(c.d);
  const nia = c.m.special === "next_issue_avoidance";
  const tableName = nia ? "ticket_facts" : "session_facts";
  const time = nia ? "first_solved_at" : "started_at";
  const idCol = nia ? "ticket_id" : "session_id";
  const window = nia ? c.settings.repeat_contact_days * DAY : c.settings.deflection_hours * HOUR;
  const g = dims(c, tableName, p);
  const ws = p.add(c.ws);
  const from = p.add(c.from);
  const to = p.add(c.to);
  // records followed by another ticket of the same customer within the window: an equi-join on the customer, then the time filter
  const followed = `SELECT x.${idCol} FROM (SELECT ${idCol}, customer_id, ${time} AS at_${nia ? ", topic" : ""} FROM ${tableName}
      WHERE workspace = ${p.add(c.ws)} AND ${time} >= ${p.add(c.from)} AND ${time} < ${p.add(c.to)} AND customer_id IS NOT NULL) x
    ${c.d.innerJoin} (SELECT customer_id, ticket_id AS next_id, created_at AS next_at${nia ? ", topic AS next_topic" : ""} FROM ticket_facts WHERE workspace = ${p.add(c.ws)}) y USING (customer_id)
    WHERE ${and("y.next_at > x.at_", `y.next_at <= x.at_ + ${p.add(window)}`, nia ? `y.next_id <> x.${idCol}` : undefined, nia && c.settings.repeat_same_topic ? "y.next_topic = x.topic" : undefined)}`;
  const select = [...(c.r.grain ? [`${bucketLabelSql(c.d, c.r.grain, time, c.settings.timezone, c.settings.week_start, c.from, c.to)} AS b`] : []), ...g.select, "count(*) AS den", `${c.d.countIf(`${idCol} ${c.d.notIn} (${followed})`)} AS num`];
  const groupCols = [...(c.r.grain ? ["b"] : []), ...g.cols];
  const where = and(`workspace = ${ws}`, `${time} >= ${from}`, `${time} < ${to}`, nia ? "customer_id IS NOT NULL" : undefined, ...filterConds(c.d, tableName, c.r.filters, p, c.m.id));
  const rows = await q(c, `SELECT ${select.join(", ")} FROM ${tableName} WHERE ${where}${groupCols.length ? ` GROUP BY ${groupCols.join(", ")} ORDER BY ${groupCols.join(", ")}` : ""}`, p);
  const out = rows.map((row) => ({
    ...rate(c.m.id, n(row.num), n(row.den), nia ? { repeat_rate: n(row.den) ? ((n(row.den) - n(row.num)) / n(row.den)) * 100 : null } : {}),
    ...(c.r.grain ? { bucket: iso(labelToInstant(n(row.b), c.settings.timezone)) } : {}),
    ...(groupOf(c, row) ? { group: groupOf(c, row) } : {}),
  }));
  if (out.length === 0 && !c.r.grain && !c.r.groupBy.length) out.push({ metric: c.m.id, value: null, count: 0 });
  return out;
}

/** Per-bucket counts of one table (sessions; attributed purchases and solved tickets). */
async function bucketCounts(c: Ctx, tableName: string, time: string, aggs: string[], extraWhere?: string): Promise<Row[]> {
  const p = new Params(c.d);
  if (c.r.groupBy.length) throw new UserError("unsupported_dimension", `${c.m.id} cannot be grouped`);
  const select = [...(c.r.grain ? [`${bucketLabelSql(c.d, c.r.grain, time, c.settings.timezone, c.settings.week_start, c.from, c.to)} AS b`] : []), ...aggs];
  const where = and(`workspace = ${p.add(c.ws)}`, `${time} >= ${p.add(c.from)}`, `${time} < ${p.add(c.to)}`, extraWhere);
  return q(c, `SELECT ${select.join(", ")} FROM ${tableName} WHERE ${where}${c.r.grain ? " GROUP BY b ORDER BY b" : ""}`, p);
}

export async function runSpecial(store: Store, d: SqlDialect, ws: string, settings: WorkspaceSettings, r: Resolved, m: MetricDef, from: number, to: number, log: MetricResult["queries"]): Promise<MetricRow[]> {
  const c: Ctx = { store, d, ws, settings, r, m, from, to, log };
  switch (m.special) {
    case "backlog":
      return backlog(c);
    case "retention":
    case "churn":
    case "repeat_purchase":
      return customerRates(c);
    case "next_issue_avoidance":
    case "case_deflection":
      return withoutFollowUp(c);
    case "self_service": {
      const rows = await bucketCounts(c, "session_facts", "started_at", ["count(*) AS n", "sum(searches) AS searches", "sum(views) AS views", "count(DISTINCT customer_id) AS visitors"]);
      return rows
        .filter((row) => n(row.n) > 0 || !c.r.grain)
        .map((row) => ({ metric: m.id, ...(c.r.grain ? { bucket: iso(labelToInstant(n(row.b), c.settings.timezone)) } : {}), value: n(row.n), count: n(row.n), searches: n(row.searches), views: n(row.views), unique_visitors: n(row.visitors) }));
    }
    case "upsell": {
      const sales = await bucketCounts(c, "purchase_facts", "ts", ["count(*) AS n"], "ticket_id IS NOT NULL");
      const solved = await bucketCounts(c, "ticket_facts", "first_solved_at", ["count(*) AS n"]);
      const key = (row: Row) => (c.r.grain ? String(n(row.b)) : "");
      const salesBy = new Map(sales.map((row) => [key(row), n(row.n)]));
      return solved
        .filter((row) => n(row.n) > 0 || !c.r.grain)
        .map((row) => ({ ...rate(m.id, salesBy.get(key(row)) ?? 0, n(row.n)), ...(c.r.grain ? { bucket: iso(labelToInstant(n(row.b), c.settings.timezone)) } : {}) }));
    }
    default:
      throw new Error(`no builder for ${m.special}`);
  }
}
