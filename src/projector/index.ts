import { type DeskEvent, type EntityKind, entityKeyOf, entityKindOf } from "../events/types.js";
import type { Row } from "../store/schema.js";
import { projectAgent } from "./agent.js";
import { projectContact } from "./contact.js";
import { projectCustomer } from "./customer.js";
import { projectSession } from "./helpcenter-session.js";
import { projectSurvey } from "./survey.js";
import { projectTicket } from "./ticket.js";
import { emptyFacts, type Facts, type ProjectorContext, type TicketDims } from "./types.js";

export type { Facts, ProjectorContext, TicketDims } from "./types.js";

const ORDER: EntityKind[] = ["customer", "ticket", "contact", "survey", "session", "agent"];

/**
 * Appends one entity's derived rows to `out`. Pure: the same events (in any order) and the same
 * context give the same rows.
 */
export function projectEntity(kind: EntityKind, key: string, events: DeskEvent[], ctx: ProjectorContext, out: Facts): void {
  if (events.length === 0) return;
  switch (kind) {
    case "ticket":
      projectTicket(key, events, ctx, out);
      return;
    case "contact":
      projectContact(key, events, ctx, out, ctx.ticketOf);
      return;
    case "survey":
      projectSurvey(key, events, ctx, out, ctx.ticketOf);
      return;
    case "customer":
      projectCustomer(key, events, ctx, out);
      return;
    case "session":
      projectSession(key, events, ctx, out);
      return;
    case "agent":
      projectAgent(key, events, ctx, out);
      return;
  }
}

/**
 * Projects a set of events: customers first (tickets take their segment), then tickets (surveys
 * and contacts take their dimensions), then the rest. What this call projects is visible to the
 * entities after it, on top of the context's lookups.
 */
export function project(events: DeskEvent[], ctx: ProjectorContext): Facts {
  const groups = groupByEntity(events);
  const out = emptyFacts();
  const batch = new BatchContext(ctx);
  const local = batch.ctx;
  for (const kind of ORDER) {
    const g = groups.get(kind);
    if (!g) continue;
    if (kind === "ticket")
      g.forEach((list, key) => {
        batch.ticketDims(key, projectTicket(key, list, local, out));
      });
    else if (kind === "customer")
      g.forEach((list, key) => {
        projectCustomer(key, list, local, out);
        const seg = out.customer_facts[out.customer_facts.length - 1]?.segment;
        if (seg) batch.segment(key, seg as string);
      });
    else
      g.forEach((list, key) => {
        projectEntity(kind, key, list, local, out);
      });
  }
  return out;
}

/** Events by entity kind, then entity id (each in order of first appearance), each list in arrival order. */
function groupByEntity(events: DeskEvent[]): Map<EntityKind, Map<string, DeskEvent[]>> {
  const groups = new Map<EntityKind, Map<string, DeskEvent[]>>();
  // A rebuild reads each entity's events together: a run of one entity's events is copied into
  // its list in one slice (no literal, whose allocation site V8 could pretenure: rows.ts says why).
  let runKind: EntityKind | null = null;
  let runKey = "";
  let runStart = 0;
  const endRun = (end: number) => {
    if (runKind === null) return;
    let g = groups.get(runKind);
    if (!g) {
      g = new Map();
      groups.set(runKind, g);
    }
    const list = g.get(runKey);
    if (!list) g.set(runKey, events.slice(runStart, end));
    else for (let i = runStart; i < end; i++) list.push(events[i]);
  };
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const kind = entityKindOf(e.type);
    const key = entityKeyOf(kind, e);
    if (kind === runKind && key === runKey) continue;
    endRun(i);
    runKind = kind;
    runKey = key;
    runStart = i;
  }
  endRun(events.length);
  return groups;
}

/**
 * A projection context that also sees what earlier entities of the same batch produced (customers'
 * segments, tickets' dimensions), so the surveys and contacts about them group alike. `project`
 * and the quarantining fold (src/pipeline/fold.ts) both use it.
 */
export class BatchContext {
  private readonly segments = new Map<string, string>();
  private readonly tickets = new Map<string, TicketDims>();
  readonly ctx: ProjectorContext;
  constructor(outer: ProjectorContext) {
    this.ctx = {
      ...outer,
      segmentOf: (id) => this.segments.get(id) ?? outer.segmentOf(id),
      ticketOf: (id) => this.tickets.get(id) ?? outer.ticketOf(id),
    };
  }
  ticket(ticketId: string, row: Row): void {
    this.tickets.set(ticketId, ticketDimsOf(row));
  }
  ticketDims(ticketId: string, dims: TicketDims): void {
    this.tickets.set(ticketId, dims);
  }
  segment(customerId: string, segment: string): void {
    this.segments.set(customerId, segment);
  }
}

export function ticketDimsOf(r: Row): TicketDims {
  const s = (k: string) => (r[k] === undefined || r[k] === null ? null : String(r[k]));
  return {
    channel: s("channel"),
    priority: s("priority"),
    team_id: s("team_id"),
    agent_id: s("agent_id"),
    topic: s("topic"),
    customer_id: s("customer_id"),
    segment: s("segment"),
    tags: s("tags"),
    fields: s("fields"),
  };
}
