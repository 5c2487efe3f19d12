import { loadSettings } from "../config/settings-store.js";
import type { Row } from "../store/schema.js";
import type { FactPart, FactsHook, FactsTx, Store } from "../store/store.js";
import { contributionStatements, dueStatement, spanOf, spanStatement } from "./ticket-rollup.js";
import { getOrInit } from "../util/maps.js";

const ROLLUP_TABLES = ["ticket_rollup", "ticket_rollup_hist", "ticket_rollup_due", "rollup_state"];

async function run(tx: FactsTx, stmts: { sql: string; params: Row[keyof Row][] }[]): Promise<void> {
  for (const s of stmts) await tx.run(s.sql, s.params);
}

/** Adds (sign 1) or takes away (−1) the contributions of some tickets' current facts, or of all of them. */
async function contribute(store: Store, tx: FactsTx, workspace: string, zone: string, sign: 1 | -1, tickets?: string[]): Promise<void> {
  const d = store.dialect;
  const span = spanStatement(d, workspace, tickets);
  const range = spanOf((await tx.query(span.sql, span.params))[0]);
  if (!range) return;
  const scope = { workspace, tickets, zone, sign, ...range };
  const due = dueStatement(d, scope);
  await run(tx, [...contributionStatements(d, scope), ...(due ? [due] : [])]);
}

/** Rebuilds a workspace's rollup from its facts, in the zone its settings name now. */
/** Removes a workspace's rollup: it then has none (`rollupZone` is null) and the planner reads its facts. */
async function drop(store: Store, tx: FactsTx, workspace: string): Promise<void> {
  for (const t of ROLLUP_TABLES) await tx.run(`DELETE FROM ${t} WHERE workspace = ${store.dialect.param(1, workspace)}`, [workspace]);
}

async function rebuild(store: Store, tx: FactsTx, workspace: string): Promise<void> {
  const p = store.dialect.param.bind(store.dialect);
  await drop(store, tx, workspace);
  // the settings as this transaction sees them: a rebuild for a new zone has just stored it
  const zone = (await loadSettings({ kind: store.kind, dialect: store.dialect, query: tx.query } as unknown as Store, workspace)).timezone;
  await contribute(store, tx, workspace, zone, 1);
  await tx.run(`INSERT INTO rollup_state (workspace, zone, built_at) VALUES (${p(1, workspace)}, ${p(2, zone)}, ${p(3, Date.now())})`, [
    workspace,
    zone,
    Date.now(),
  ]);
}

/**
 * Workspaces of a store read to have no rollup: their commits skip the read of rollup_state (most
 * workspaces are below the size that gets one). Whatever builds or drops a rollup forgets the entry.
 */
const knownWithout = new WeakMap<Store, Set<string>>();
const withoutRollup = (store: Store) => getOrInit(knownWithout, store, () => new Set<string>());

/** The zone a workspace's rollup is labelled in (null: not built yet). */
export async function rollupZone(q: Pick<FactsTx, "query">, store: Store, workspace: string): Promise<string | null> {
  const rows = await q.query(`SELECT zone FROM rollup_state WHERE workspace = ${store.dialect.param(1, workspace)}`, [workspace]);
  return rows.length ? String(rows[0].zone) : null;
}

/**
 * The projector's hook that keeps ticket_rollup and ticket_rollup_hist equal to the facts: inside
 * the transaction that replaces some tickets' fact rows, their old rows' contributions are taken
 * away before the replacement and the new rows' added after it; a rebuild builds them anew. A
 * workspace's first commit builds its rollup from whatever facts it already has.
 */
export function ticketRollups(store: Store, opts: { minTickets?: number } = {}): FactsHook {
  // Below `minTickets` a workspace has no rollup (the planner reads its facts anyway), so its
  // commits pay nothing for one: keeping it costs a few statements per commit, which took the
  // projection lag's p99 from 1.3 s to 4.6 s at 10,000 events/s (BENCHMARKS.md, Pipeline).
  const min = opts.minTickets ?? 0;
  const p = store.dialect.param.bind(store.dialect);
  const sizeOf = async (tx: FactsTx, workspace: string) =>
    Number((await tx.query(`SELECT count(*) AS n FROM ticket_facts WHERE workspace = ${p(1, workspace)}`, [workspace]))[0]?.n ?? 0);
  const lastLook = new Map<string, number>();
  /** whether a workspace without a rollup has grown big enough for one (looked at once a minute at most) */
  const grown = async (tx: FactsTx, workspace: string) => {
    if (min <= 0) return true;
    const now = Date.now();
    if (now - (lastLook.get(workspace) ?? 0) < 60_000) return false;
    lastLook.set(workspace, now);
    return (await sizeOf(tx, workspace)) >= min;
  };
  // keys name the tickets whose old rows go; rows, the new ones (a brand-new ticket has no key)
  const tickets = (parts: FactPart[]) => [
    ...new Set(parts.filter((x) => x.table.name === "ticket_facts").flatMap((x) => [...x.keys, ...x.rows.map((r) => String(r.ticket_id))])),
  ];
  // what beforeReplace found, for the afterReplace of the same commit (the store runs a
  // workspace's commits one at a time): the tickets and the rollup's zone (null: no rollup)
  const pending = new Map<string, { ids: string[]; zone: string | null }>();
  return {
    async beforeReplace(tx, workspace, parts) {
      const ids = tickets(parts);
      const without = withoutRollup(store);
      let zone = ids.length && !without.has(workspace) ? await rollupZone(tx, store, workspace) : null;
      if (ids.length && zone === null && (await grown(tx, workspace))) {
        without.delete(workspace);
        await rebuild(store, tx, workspace);
        zone = await rollupZone(tx, store, workspace);
      } else if (ids.length && zone === null) without.add(workspace);
      pending.set(workspace, { ids, zone });
      if (zone !== null) await contribute(store, tx, workspace, zone, -1, ids);
    },
    async afterReplace(tx, workspace, parts) {
      const found = pending.get(workspace);
      pending.delete(workspace);
      const ids = found?.ids ?? tickets(parts);
      const zone = found ? found.zone : ids.length ? await rollupZone(tx, store, workspace) : null;
      if (zone !== null) await contribute(store, tx, workspace, zone, 1, ids);
    },
    async rebuilt(tx, workspace) {
      withoutRollup(store).delete(workspace);
      if (min <= 0 || (await sizeOf(tx, workspace)) >= min) return rebuild(store, tx, workspace);
      await drop(store, tx, workspace);
    },
  };
}

/** Builds a workspace's rollup anew from the facts already stored (facts loaded in bulk, a first start with rollups). */
export async function rebuildRollups(store: Store, workspace: string): Promise<void> {
  withoutRollup(store).delete(workspace);
  const s = store as Store & { exec(sql: string, params: Row[keyof Row][]): Promise<void> };
  await rebuild(store, { query: (sql, params) => store.query(sql, params), run: (sql, params) => s.exec(sql, params) }, workspace);
}
