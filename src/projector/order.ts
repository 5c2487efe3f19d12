import type { DeskEvent } from "../events/types.js";

/** Same-instant events fold in a fixed causal order: the ticket exists before it is assigned, replied to, solved. */
const RANK: Record<string, number> = {
  "ticket.created": 0,
  "customer.created": 0,
  "contact.offered": 0,
  "survey.sent": 0,
  "ticket.updated": 1,
  "ticket.assigned": 2,
  "contact.answered": 2,
  "message.created": 3,
  "bot.handoff": 4,
  "bot.resolved": 4,
  "ticket.status_changed": 5,
  "contact.ended": 5,
  "ticket.merged": 6,
  "ticket.deleted": 6,
};

/**
 * Sorts an entity's events into one canonical order (time, causal rank, id) and drops repeated
 * ids, so the facts do not depend on the order events arrived in.
 */
export function canonical(events: DeskEvent[]): DeskEvent[] {
  const seen = new Set<string>();
  const out: DeskEvent[] = [];
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    out.push(e);
  }
  return out.sort((a, b) => a.ts - b.ts || (RANK[a.type] ?? 3) - (RANK[b.type] ?? 3) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export const MIN_VALID_TS = Date.UTC(2000, 0, 1);
