import { type DeskEvent, entityOf } from "../events/types.js";
import type { IdFilter } from "./id-filter.js";
import type { Row } from "./schema.js";

/** An event as canonical JSON (keys sorted at every level), so two sendings of one event compare equal. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** True when a stored event (its body) and a new one say the same thing. */
export function sameEvent(a: DeskEvent | string, b: DeskEvent | string): boolean {
  const parse = (x: DeskEvent | string) => (typeof x === "string" ? JSON.parse(x) : x);
  return canonicalJson(parse(a)) === canonicalJson(parse(b));
}

/**
 * The events of a batch not yet in the log, each once: the id filter settles most ids in
 * memory; the few it only "may" contain are confirmed by `stored` (a look-up in the log that
 * returns their bodies). An id already stored (or earlier in the batch) with a different payload
 * is a conflict, not a duplicate: the first version stays, and `onConflict` hears of the other.
 */
export async function newEvents(
  filter: IdFilter,
  events: DeskEvent[],
  stored: (ids: string[]) => Promise<Map<string, string>>,
  onConflict?: (e: DeskEvent) => void,
): Promise<DeskEvent[]> {
  const fresh: DeskEvent[] = [];
  const maybe: DeskEvent[] = [];
  const seen = new Map<string, DeskEvent>();
  for (const e of events) {
    const first = seen.get(e.id);
    if (first) {
      if (onConflict && !sameEvent(first, e)) onConflict(e);
      continue;
    }
    seen.set(e.id, e);
    (filter.mayContain(e.id) ? maybe : fresh).push(e);
  }
  if (maybe.length > 0) {
    const existing = await stored(maybe.map((e) => e.id));
    for (const e of maybe) {
      const body = existing.get(e.id);
      if (body === undefined) fresh.push(e);
      else if (onConflict && !sameEvent(body, e)) onConflict(e);
    }
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
