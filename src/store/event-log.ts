import { type DeskEvent, entityOf } from "../events/types.js";
import { IdFilter } from "./id-filter.js";
import { Mutex } from "./mutex.js";
import type { Row } from "./schema.js";
import type { Appended } from "./store.js";

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

/** Events per slice of a whole-log read: each slice is held in memory at once, whatever the log's size. */
const SLICE_EVENTS = 2_000_000;

/**
 * The event-log bookkeeping both stores share: idempotent appends (an id filter per workspace,
 * loaded once from the log), positions handed out after the log's end, and whole-log reads in
 * entity slices. A store supplies the few reads below in its own SQL and writes the rows.
 */
export abstract class EventLogStore {
  /** one writer at a time: positions are handed out under it (one writing process per store) */
  protected readonly lock = new Mutex();
  private readonly filters = new Map<string, IdFilter>();
  /** where each workspace's log ends */
  private readonly ends = new Map<string, number>();

  /** every event id of the workspace's log */
  protected abstract storedIds(workspace: string): Promise<string[]>;
  /** the stored bodies of those of `ids` already in the workspace's log */
  protected abstract storedBodies(workspace: string, ids: string[]): Promise<Map<string, string>>;
  /** the last position of the workspace's log as the database holds it (0 when empty) */
  protected abstract storedEnd(workspace: string): Promise<number>;
  /** the number of events in the workspace's log */
  protected abstract countEvents(workspace: string): Promise<number>;
  /** the events of `kinds` up to position `through` whose entity hashes to `slice` of `slices` */
  protected abstract readSlice(workspace: string, kinds: string[], slices: number, slice: number, through: number): Promise<DeskEvent[]>;

  abstract append(workspace: string, events: DeskEvent[], receivedAt: number, onConflict?: (e: DeskEvent) => void): Promise<Appended>;

  async appendEvents(workspace: string, events: DeskEvent[], receivedAt: number, onConflict?: (e: DeskEvent) => void): Promise<DeskEvent[]> {
    return (await this.append(workspace, events, receivedAt, onConflict)).events;
  }

  logEnd(workspace: string): Promise<number> {
    return this.lock.run(() => this.end(workspace));
  }

  private async end(workspace: string): Promise<number> {
    let n = this.ends.get(workspace);
    if (n === undefined) {
      n = await this.storedEnd(workspace);
      this.ends.set(workspace, n);
    }
    return n;
  }

  /**
   * Under the lock: the `events` rows of a batch's events not yet in the log, numbered after its
   * end, and what the append will answer. The bookkeeping counts them at once (later batches of
   * a group commit see them); if writing the rows then fails, `unstage` the workspace.
   */
  protected async stage(
    workspace: string,
    events: DeskEvent[],
    receivedAt: number,
    onConflict?: (e: DeskEvent) => void,
  ): Promise<{ rows: Row[]; appended: Appended }> {
    let filter = this.filters.get(workspace);
    if (!filter) {
      filter = new IdFilter();
      for (const id of await this.storedIds(workspace)) filter.add(id);
      this.filters.set(workspace, filter);
    }
    const fresh = await newEvents(filter, events, (ids) => this.storedBodies(workspace, ids), onConflict);
    const end = await this.end(workspace);
    const rows = fresh.map((e, i) => eventRow(workspace, e, receivedAt, end + i + 1));
    // a false "maybe" left by a failed write is harmless: it is checked in the log
    for (const e of fresh) filter.add(e.id);
    this.ends.set(workspace, end + fresh.length);
    return { rows, appended: { events: fresh, last: end + fresh.length } };
  }

  /** After a failed write: the log's end is read from the database again next time. */
  protected unstage(workspace: string): void {
    this.ends.delete(workspace);
  }

  /** Every event of a workspace (up to `through`), sliced by a hash of the entity so that all events of one entity arrive in the same chunk. */
  async *streamEventsByEntity(workspace: string, kinds: string[], through = Number.MAX_SAFE_INTEGER): AsyncIterable<DeskEvent[] | string> {
    const slices = Math.max(1, Math.ceil((await this.countEvents(workspace)) / SLICE_EVENTS));
    for (let s = 0; s < slices; s++) {
      const chunk = await this.readSlice(workspace, kinds, slices, s, through);
      if (chunk.length > 0) yield chunk;
    }
  }
}
