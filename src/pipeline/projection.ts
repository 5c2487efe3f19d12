import type { WorkspaceSettings } from "../config/settings.js";
import type { DeskEvent, EntityKind } from "../events/types.js";
import { project, ticketDimsOf } from "../projector/index.js";
import { emptyFacts, type Facts, type ProjectorContext, type TicketDims } from "../projector/types.js";
import type { Row, TableDef } from "../store/schema.js";
import { inList, ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { ENTITY_ORDER, ENTITY_TABLES, splitEntity } from "./entities.js";
import { EventCache } from "./event-cache.js";
import { getOrInit } from "../util/maps.js";

/** Told after derived facts of a workspace changed (live state and SSE listen). */
export type FactsListener = (workspace: string, facts: Facts, entities: string[]) => void;

const DAY = 86_400_000;

/**
 * Runs the pure projector against the store: reloads every event of the touched entities,
 * projects them and swaps their derived rows in one transaction.
 */
export class Projection {
  private readonly listeners: FactsListener[] = [];
  private readonly cache: EventCache;

  constructor(
    private readonly store: Store,
    private readonly settingsOf: (workspace: string) => Promise<WorkspaceSettings>,
  ) {
    this.cache = new EventCache(store);
  }

  /** Bulk loads bypass the cache: forget what it knows of the workspace. */
  forget(workspace: string): void {
    this.cache.forget(workspace);
  }

  onFacts(l: FactsListener): void {
    this.listeners.push(l);
  }

  /** Projects the entities of freshly stored events (the API path; reads the log only for cold entities). */
  async projectFresh(workspace: string, fresh: DeskEvent[]): Promise<Facts> {
    if (fresh.length === 0) return emptyFacts();
    const { entities, events, brandNew } = await this.cache.eventsFor(workspace, fresh);
    const facts = await this.projectLoaded(workspace, entities, events, brandNew);
    // Facts that copy another entity's attributes follow it: a ticket's segment comes from its
    // customer, a survey's or contact's channel/team from its ticket. Re-project those dependents
    // so the result equals a rebuild whatever the arrival order.
    let deps = await this.dependents(workspace, entities, facts);
    for (let round = 0; round < 2 && deps.length > 0; round++) {
      const more = await this.projectLoaded(workspace, deps, await this.cache.eventsOf(workspace, deps));
      deps = await this.dependents(workspace, deps, more);
    }
    return facts;
  }

  private async dependents(workspace: string, entities: string[], facts: Facts): Promise<string[]> {
    const done = new Set(entities);
    const tickets = facts.ticket_facts.map((r) => r.ticket_id as string);
    const customers = facts.customer_facts.map((r) => r.customer_id as string);
    const out: string[] = [];
    const add = (kind: string, rows: Row[], col: string) => {
      for (const r of rows) {
        const e = `${kind}:${r[col]}`;
        if (!done.has(e)) {
          done.add(e);
          out.push(e);
        }
      }
    };
    if (customers.length > 0) add("ticket", await this.selectIn("ticket_facts", "customer_id", workspace, customers, "ticket_id"), "ticket_id");
    if (tickets.length > 0) {
      add("survey", await this.selectIn("survey_facts", "ticket_id", workspace, tickets, "DISTINCT survey_id"), "survey_id");
      add("contact", await this.selectIn("contact_facts", "ticket_id", workspace, tickets, "contact_id"), "contact_id");
    }
    return out;
  }

  /** Projects entities by reading all their events from the log (bulk imports). */
  async projectEntities(workspace: string, entities: string[]): Promise<Facts> {
    if (entities.length === 0) return emptyFacts();
    return this.projectLoaded(workspace, entities, await this.store.loadEntityEvents(workspace, entities));
  }

  private async projectLoaded(workspace: string, entities: string[], events: DeskEvent[], brandNew?: Set<string>): Promise<Facts> {
    const settings = await this.settingsOf(workspace);
    const segments = await this.lookupSegments(workspace, events);
    const tickets = await this.lookupTickets(workspace, events);
    const ctx = context(workspace, settings, segments, tickets);
    const facts = project(events, ctx);
    // keys whose old rows must go; a brand-new entity has none yet
    const byKind = new Map<EntityKind, string[]>();
    for (const e of entities) {
      const { kind, key } = splitEntity(e);
      const keys = getOrInit(byKind, kind, () => []);
      if (!brandNew?.has(e)) keys.push(key);
    }
    const parts: { table: TableDef; keyColumn: string; keys: string[]; rows: Row[] }[] = [];
    for (const [kind, keys] of byKind)
      for (const t of ENTITY_TABLES[kind]) parts.push({ table: t.table, keyColumn: t.keyColumn, keys, rows: facts[t.facts] });
    await this.replace(workspace, parts);
    for (const l of this.listeners) l(workspace, facts, entities);
    return facts;
  }

  /** Drops and recomputes every derived row of a workspace from its event log. */
  async rebuild(workspace: string, progress?: (done: number) => void): Promise<{ events: number }> {
    const settings = await this.settingsOf(workspace);
    this.cache.forget(workspace);
    for (const kind of ENTITY_ORDER) for (const t of ENTITY_TABLES[kind]) await this.store.deleteWorkspace(t.table, workspace);
    const segments = new Map<string, string>();
    const tickets = new Map<string, TicketDims>();
    const ctx = context(workspace, settings, segments, tickets);
    let done = 0;
    for (const kind of ENTITY_ORDER) {
      for await (const chunk of this.store.streamEventsByEntity(workspace, [kind])) {
        const facts = project(chunk, ctx);
        for (const r of facts.customer_facts) if (r.segment) segments.set(r.customer_id as string, r.segment as string);
        for (const r of facts.ticket_facts) tickets.set(r.ticket_id as string, ticketDimsOf(r));
        for (const t of ENTITY_TABLES[kind]) await this.store.insertRows(t.table, facts[t.facts]);
        done += chunk.length;
        progress?.(done);
      }
    }
    return { events: done };
  }

  private async replace(workspace: string, parts: { table: TableDef; keyColumn: string; keys: string[]; rows: Row[] }[]) {
    const s = this.store as Store & { replaceRows?: (ws: string, p: typeof parts) => Promise<void> };
    if (s.replaceRows) return s.replaceRows(workspace, parts);
    for (const p of parts) {
      await this.store.deleteWhereIn(p.table, workspace, p.keyColumn, p.keys);
      await this.store.insertRows(p.table, p.rows);
    }
  }

  private async lookupSegments(workspace: string, events: DeskEvent[]): Promise<Map<string, string>> {
    const ids = new Set<string>();
    for (const e of events) if (e.customer_id && !e.type.startsWith("customer.")) ids.add(e.customer_id);
    const out = new Map<string, string>();
    if (ids.size === 0) return out;
    const rows = await this.selectIn("customer_facts", "customer_id", workspace, [...ids], "customer_id, segment");
    for (const r of rows) if (r.segment) out.set(r.customer_id as string, r.segment as string);
    return out;
  }

  private async lookupTickets(workspace: string, events: DeskEvent[]): Promise<Map<string, TicketDims>> {
    const ids = new Set<string>();
    for (const e of events) if (e.ticket_id && (e.type.startsWith("survey.") || e.type.startsWith("contact."))) ids.add(e.ticket_id);
    const out = new Map<string, TicketDims>();
    if (ids.size === 0) return out;
    const rows = await this.selectIn("ticket_facts", "ticket_id", workspace, [...ids], "ticket_id, channel, priority, team_id, agent_id, topic, customer_id, segment, tags, fields");
    for (const r of rows) out.set(r.ticket_id as string, ticketDimsOf(r));
    return out;
  }

  private selectIn(tableName: string, column: string, workspace: string, values: string[], cols: string): Promise<Row[]> {
    return this.store.query<Row>(`SELECT ${cols} FROM ${tableName} WHERE workspace = ${ph(this.store, 1)} AND ${column} IN (${inList(this.store, 2, values)})`, [
      workspace,
      ...values,
    ]);
  }
}

function context(workspace: string, settings: WorkspaceSettings, segments: Map<string, string>, tickets: Map<string, TicketDims>): ProjectorContext {
  return {
    workspace,
    settings,
    segmentOf: (id) => segments.get(id),
    ticketOf: (id) => tickets.get(id),
    maxValidTs: Date.now() + DAY,
  };
}
