import type { MetricResult, MetricRow } from "../api/types.js";
import type { WorkspaceSettings } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";
import type { Row } from "../store/schema.js";
import type { Store } from "../store/store.js";
import { bucketLabelSql, positionSql, positions } from "./boundaries.js";
import { labelToInstant } from "./buckets.js";
import type { MetricDef } from "./catalog.js";
import type { SqlDialect } from "../store/dialect.js";
import type { Resolved } from "./request.js";
import { and, dimExpr, filterConds, Params, UNSOLVED } from "./sql-builder.js";
import { getOrInit } from "../util/maps.js";

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

/** Rows of a grouped query by group (g0, g1, …), in the order the groups first appear. */
function byGroup(c: Ctx, rows: Row[]): Row[][] {
  const out = new Map<string, Row[]>();
  for (const row of rows) getOrInit(out, JSON.stringify(c.r.groupBy.map((_, i) => row[`g${i}`] ?? null)), () => []).push(row);
  return [...out.values()];
}

/** Running totals of a difference array: out[j] = Σ diff[0..j]. */
function runningSum(diff: number[]): number[] {
  let t = 0;
  return diff.map((x) => {
    t += x;
    return t;
  });
}

/**
 * Unresolved tickets at each bucket's end instant, from status history. One grouped scan says
 * where each interval starts and ends among the buckets; an interval counts at the instants of
 * the buckets from its start's up to (not incl.) its end's — summed in TypeScript, so an hourly
 * year costs one scan, not one join per instant.
 */
async function backlog(c: Ctx): Promise<MetricRow[]> {
  const p = new Params(c.d);
  const { buckets, n: nb, index } = positions(c.r.grain, c.settings.timezone, c.settings.week_start, c.from, c.to);
  const g = dims(c, "status_intervals", p);
  const threshold = p.add(c.settings.backlog_threshold_hours * HOUR);
  const pos = (e: string) => positionSql(c.d, c.r.grain, e, c.settings.timezone, c.settings.week_start, c.from, c.to);
  const where = and(
    `workspace = ${p.add(c.ws)}`,
    UNSOLVED,
    `start_at < ${p.add(c.to)}`,
    `(end_at IS NULL OR end_at >= ${p.add(c.from)})`,
    ...filterConds(c.d, "status_intervals", c.r.filters, p, c.m.id),
  );
  // aged from the later of its start and its ticket's creation + threshold
  const agedFrom = `CASE WHEN ticket_created_at IS NULL THEN NULL WHEN ticket_created_at + ${threshold} > start_at THEN ticket_created_at + ${threshold} ELSE start_at END`;
  const sql = `SELECT ${[...g.select, `${pos("start_at")} AS ps`, `${pos("end_at")} AS pe`, `${pos(agedFrom)} AS pa`, "count(*) AS n"].join(", ")}
    FROM status_intervals AS f WHERE ${where} GROUP BY ${[...g.cols, "ps", "pe", "pa"].join(", ")} ORDER BY ${[...g.cols, "ps", "pe", "pa"].join(", ")}`;
  const rows = await q(c, sql, p);
  // bucket j's instant (its last millisecond) lies after boundary i (i ≤ j) and before boundary j + 1
  const bucketOf = (v: unknown) => Math.min(Math.max(index(v) - 1, 0), nb);
  const perGroup = byGroup(c, rows).map((list) => {
    const count = new Array<number>(nb + 1).fill(0);
    const aged = new Array<number>(nb + 1).fill(0);
    for (const row of list) {
      const [s, e, a] = [bucketOf(row.ps), bucketOf(row.pe), bucketOf(row.pa)];
      if (e > s) {
        count[s] += n(row.n);
        count[e] -= n(row.n);
      }
      if (e > Math.max(s, a)) {
        aged[Math.max(s, a)] += n(row.n);
        aged[e] -= n(row.n);
      }
    }
    return { row: list[0], count: runningSum(count), aged: runningSum(aged) };
  });
  const out: MetricRow[] = [];
  buckets.forEach((b, j) => {
    for (const x of perGroup) {
      if (x.count[j] <= 0) continue;
      out.push({
        metric: c.m.id,
        ...(c.r.grain ? { bucket: iso(b.key) } : {}),
        ...(groupOf(c, x.row) ? { group: groupOf(c, x.row) } : {}),
        value: x.count[j],
        count: x.count[j],
        aged: x.aged[j],
        at: iso(b.end),
      });
    }
  });
  if (out.length === 0 && !c.r.grain && !c.r.groupBy.length) out.push({ metric: c.m.id, value: 0, count: 0, aged: 0, at: iso(c.to) });
  return out;
}

/**
 * Retention, churn and repeat purchases: counts of customers as of instants, per bucket. One
 * grouped scan says where each customer's two instants (created/churned, first/second purchase)
 * fall among the buckets; the counts as of each boundary are running sums of that.
 */
async function customerRates(c: Ctx): Promise<MetricRow[]> {
  const p = new Params(c.d);
  const g = dims(c, "customer_facts", p);
  const { buckets, n: nb, index } = positions(c.r.grain, c.settings.timezone, c.settings.week_start, c.from, c.to);
  const pos = (e: string) => positionSql(c.d, c.r.grain, e, c.settings.timezone, c.settings.week_start, c.from, c.to);
  const repeat = c.m.multiQuery === "repeat_purchase";
  const [first, second] = repeat ? ["first_purchase_at", "second_purchase_at"] : ["created_at", "churned_at"];
  const where = and(`workspace = ${p.add(c.ws)}`, "created_at IS NOT NULL", ...filterConds(c.d, "customer_facts", c.r.filters, p, c.m.id));
  const cols = [...g.cols, "pa", "pb"].join(", ");
  const rows = await q(
    c,
    `SELECT ${[...g.select, `${pos(first)} AS pa`, `${pos(second)} AS pb`, "count(*) AS n"].join(", ")} FROM customer_facts WHERE ${where} GROUP BY ${cols} ORDER BY ${cols}`,
    p,
  );
  const groups = byGroup(c, rows);
  // no grain, no group: one answer even when there is no customer
  if (groups.length === 0 && !c.r.groupBy.length) groups.push([{}]);
  const out: MetricRow[] = [];
  const sums = groups.map((list) => {
    // boundary j (0 = from, nb = to): "instant < boundary j" is "index ≤ j"
    const alive = new Array<number>(nb + 3).fill(0);
    const newAt = new Array<number>(nb + 3).fill(0);
    const firstAt = new Array<number>(nb + 3).fill(0);
    const secondAt = new Array<number>(nb + 3).fill(0);
    const churnedIn = new Array<number>(nb + 3).fill(0);
    for (const row of list) {
      if (row.pa === undefined) continue;
      const [ia, ib, k] = [index(row.pa), index(row.pb), n(row.n)];
      firstAt[ia] += k;
      secondAt[ib] += k;
      newAt[ia] += k;
      // alive at boundary j: created before it (ia ≤ j), not churned before it (ib > j)
      if (ib > ia) {
        alive[ia] += k;
        alive[ib] -= k;
        churnedIn[ib] += k; // churned in the bucket ending at boundary ib, created before its start
      }
    }
    return { row: list[0], alive: runningSum(alive), first: runningSum(firstAt), second: runningSum(secondAt), newAt, churnedIn };
  });
  buckets.forEach((b, j) => {
    for (const s of sums) {
      let v: MetricRow;
      if (repeat) v = rate(c.m.id, s.second[j + 1], s.first[j + 1]);
      else {
        const [atStart, atEnd] = [s.alive[j], s.alive[j + 1]];
        if (c.m.multiQuery === "retention") v = rate(c.m.id, atEnd - s.newAt[j + 1], atStart, { at_start: atStart, at_end: atEnd, new: s.newAt[j + 1] });
        else
          v = rate(c.m.id, s.churnedIn[j + 1], atStart, {
            at_start: atStart,
            at_end: atEnd,
            net_change: atStart > 0 ? ((atStart - atEnd) / atStart) * 100 : null,
          });
      }
      if (v.denominator === 0 && (c.r.grain || c.r.groupBy.length)) continue;
      out.push({ ...v, ...(c.r.grain ? { bucket: iso(b.key) } : {}), ...(groupOf(c, s.row) ? { group: groupOf(c, s.row) } : {}) });
    }
  });
  return out;
}

/** Share of records with no follow-up (a repeat ticket, a ticket after a help-center visit) within a window. */
async function withoutFollowUp(c: Ctx): Promise<MetricRow[]> {
  const p = new Params(c.d);
  const nia = c.m.multiQuery === "next_issue_avoidance";
  const tableName = nia ? "ticket_facts" : "session_facts";
  const time = nia ? "first_solved_at" : "started_at";
  const idCol = nia ? "ticket_id" : "session_id";
  const window = nia ? c.settings.repeat_contact_days * DAY : c.settings.deflection_hours * HOUR;
  const g = dims(c, tableName, p);
  const ws = p.add(c.ws);
  const from = p.add(c.from);
  const to = p.add(c.to);
  // records followed by another ticket of the same customer within the window: an equi-join on the customer, then the time filter.
  // A follow-up is created after a record of the range and within the window of it, so only tickets created in
  // (from, to + window) with a customer can be one: the join reads those, not the workspace's whole history.
  const followed = `SELECT x.${idCol} FROM (SELECT ${idCol}, customer_id, ${time} AS at_${nia ? ", topic" : ""} FROM ${tableName}
      WHERE workspace = ${p.add(c.ws)} AND ${time} >= ${p.add(c.from)} AND ${time} < ${p.add(c.to)} AND customer_id IS NOT NULL) x
    ${c.d.innerJoin} (SELECT customer_id, ticket_id AS next_id, created_at AS next_at${nia ? ", topic AS next_topic" : ""} FROM ticket_facts
      WHERE workspace = ${p.add(c.ws)} AND created_at > ${p.add(c.from)} AND created_at < ${p.add(c.to + window)} AND customer_id IS NOT NULL) y USING (customer_id)
    WHERE ${and("y.next_at > x.at_", `y.next_at <= x.at_ + ${p.add(window)}`, nia ? `y.next_id <> x.${idCol}` : undefined, nia && c.settings.repeat_same_topic ? "y.next_topic = x.topic" : undefined)}`;
  const select = [
    ...(c.r.grain ? [`${bucketLabelSql(c.d, c.r.grain, time, c.settings.timezone, c.settings.week_start, c.from, c.to)} AS b`] : []),
    ...g.select,
    "count(*) AS den",
    `${c.d.countIf(`${idCol} ${c.d.notIn} (${followed})`)} AS num`,
  ];
  const groupCols = [...(c.r.grain ? ["b"] : []), ...g.cols];
  const where = and(
    `workspace = ${ws}`,
    `${time} >= ${from}`,
    `${time} < ${to}`,
    nia ? "customer_id IS NOT NULL" : undefined,
    ...filterConds(c.d, tableName, c.r.filters, p, c.m.id),
  );
  const rows = await q(
    c,
    `SELECT ${select.join(", ")} FROM ${tableName} WHERE ${where}${groupCols.length ? ` GROUP BY ${groupCols.join(", ")} ORDER BY ${groupCols.join(", ")}` : ""}`,
    p,
  );
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

export async function runMultiQuery(
  store: Store,
  d: SqlDialect,
  ws: string,
  settings: WorkspaceSettings,
  r: Resolved,
  m: MetricDef,
  from: number,
  to: number,
  log: MetricResult["queries"],
): Promise<MetricRow[]> {
  const c: Ctx = { store, d, ws, settings, r, m, from, to, log };
  switch (m.multiQuery) {
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
      const rows = await bucketCounts(c, "session_facts", "started_at", [
        "count(*) AS n",
        "sum(searches) AS searches",
        "sum(views) AS views",
        "count(DISTINCT customer_id) AS visitors",
      ]);
      return rows
        .filter((row) => n(row.n) > 0 || !c.r.grain)
        .map((row) => ({
          metric: m.id,
          ...(c.r.grain ? { bucket: iso(labelToInstant(n(row.b), c.settings.timezone)) } : {}),
          value: n(row.n),
          count: n(row.n),
          searches: n(row.searches),
          views: n(row.views),
          unique_visitors: n(row.visitors),
        }));
    }
    case "upsell": {
      const sales = await bucketCounts(c, "purchase_facts", "ts", ["count(*) AS n"], "ticket_id IS NOT NULL");
      const solved = await bucketCounts(c, "ticket_facts", "first_solved_at", ["count(*) AS n"]);
      const key = (row: Row) => (c.r.grain ? String(n(row.b)) : "");
      const salesBy = new Map(sales.map((row) => [key(row), n(row.n)]));
      return solved
        .filter((row) => n(row.n) > 0 || !c.r.grain)
        .map((row) => ({
          ...rate(m.id, salesBy.get(key(row)) ?? 0, n(row.n)),
          ...(c.r.grain ? { bucket: iso(labelToInstant(n(row.b), c.settings.timezone)) } : {}),
        }));
    }
    default:
      throw new Error(`no builder for ${m.multiQuery}`);
  }
}
