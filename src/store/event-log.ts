import { type DeskEvent, entityOf } from "../events/types.js";
import type { IdFilter } from "./id-filter.js";
import type { Row } from "./schema.js";

/**
 * The events of a batch not yet in the log, each once: the id filter settles most ids in
 * memory; the few it only "may" contain are confirmed by `stored` (a look-up in the log).
 */
export async function newEvents(filter: IdFilter, events: DeskEvent[], stored: (ids: string[]) => Promise<Set<string>>): Promise<DeskEvent[]> {
  const fresh: DeskEvent[] = [];
  const maybe: DeskEvent[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    (filter.mayContain(e.id) ? maybe : fresh).push(e);
  }
  if (maybe.length > 0) {
    const existing = await stored(maybe.map((e) => e.id));
    for (const e of maybe) if (!existing.has(e.id)) fresh.push(e);
  }
  return fresh;
}

/** The `events` table row of an event. */
export function eventRow(workspace: string, e: DeskEvent, receivedAt: number, pos: number): Row {
  const ent = entityOf(e);
  return {
    workspace,
    id: e.id,
    type: e.type,
    ts: e.ts,
    received_at: receivedAt,
    entity: `${ent.kind}:${ent.key}`,
    ticket_id: e.ticket_id ?? null,
    customer_id: e.customer_id ?? null,
    agent_id: e.agent_id ?? null,
    body: JSON.stringify(e),
    pos,
  };
}
