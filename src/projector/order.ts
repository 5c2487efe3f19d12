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

/** The canonical order: time, then causal rank, then id. */
function before(a: DeskEvent, b: DeskEvent): number {
  return a.ts - b.ts || (RANK[a.type] ?? 3) - (RANK[b.type] ?? 3) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Up to this many events (nearly every ticket, contact, survey), an entity is deduplicated by
 * comparing ids and sorted by insertion: a Set and Array#sort allocate per call (~300 bytes per
 * replayed event, most of a replay's garbage) and cost more than the few comparisons they save.
 */
const SMALL = 32;

/**
 * Sorts an entity's events into one canonical order (time, causal rank, id) and drops repeated
 * ids (the first one given stays), so the facts do not depend on the order events arrived in.
 * With repeats gone no two events compare equal, so every sort gives the same order.
 */
export function canonical(events: DeskEvent[]): DeskEvent[] {
  const n = events.length;
  if (n > SMALL) return canonicalLarge(events);
  const out: DeskEvent[] = [];
  next: for (let i = 0; i < n; i++) {
    const e = events[i];
    const id = e.id;
    for (let j = 0; j < out.length; j++) if (out[j].id === id) continue next;
    let k = out.length;
    out.push(e);
    while (k > 0 && before(e, out[k - 1]) < 0) {
      out[k] = out[k - 1];
      k--;
    }
    out[k] = e;
  }
  return out;
}

function canonicalLarge(events: DeskEvent[]): DeskEvent[] {
  const seen = new Set<string>();
  const out: DeskEvent[] = [];
  let sorted = true;
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    if (sorted && out.length > 0 && before(out[out.length - 1], e) > 0) sorted = false;
    out.push(e);
  }
  // a rebuild reads long histories (an agent's statuses) already in order
  return sorted ? out : out.sort(before);
}

export const MIN_VALID_TS = Date.UTC(2000, 0, 1);
