import { type DeskEvent, entityOf } from "../events/types.js";
import { BatchContext, project } from "../projector/index.js";
import { emptyFacts, FACT_TABLES, type Facts, type ProjectorContext } from "../projector/types.js";
import { table } from "../store/schema.js";
import { getOrInit } from "../util/maps.js";
import { ENTITY_ORDER } from "./entities.js";

/** An event the projector could not fold, and why. */
export interface Quarantined {
  event: DeskEvent;
  entity: string;
  reason: string;
}

/** Past this many events an entity that fails is quarantined whole, not searched for its culprit. */
const SEARCH_LIMIT = 200;

/** Numeric columns per fact table: a fold must not emit NaN or ±Infinity, which no database stores. */
const NUMERIC = Object.fromEntries(
  FACT_TABLES.map((name) => [
    name,
    table(name)
      .columns.filter((c) => c.type === "int" || c.type === "ms" || c.type === "float")
      .map((c) => c.name),
  ]),
) as Record<keyof Facts, string[]>;

/** Throws when a fact row holds a number no store can keep (an endless SLA deadline, say). */
export function checkStorable(facts: Facts): void {
  for (const name of FACT_TABLES) {
    const cols = NUMERIC[name];
    for (const r of facts[name])
      for (const c of cols) {
        const v = r[c];
        if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`${name}.${c} came out as ${v}`);
      }
  }
}

function foldChecked(events: DeskEvent[], ctx: ProjectorContext): Facts {
  const f = project(events, ctx);
  checkStorable(f);
  return f;
}

/**
 * `project`, but an entity whose fold throws (or emits what cannot be stored) does not take the
 * others down: its culprit event is found and left out (quarantined) and the entity folded
 * without it, or, when no single event is to blame, the entity is quarantined whole. Deterministic:
 * the same events and settings quarantine the same events, so a rebuild agrees with the
 * incremental path.
 */
export function foldSafely(events: DeskEvent[], ctx: ProjectorContext): { facts: Facts; quarantined: Quarantined[] } {
  try {
    return { facts: foldChecked(events, ctx), quarantined: [] };
  } catch {
    // fall through to entity by entity
  }
  // Entity by entity in projection order; what each one produced is visible to the later ones,
  // as inside one `project` call.
  const out = emptyFacts();
  const quarantined: Quarantined[] = [];
  const batch = new BatchContext(ctx);
  const local = batch.ctx;
  for (const [entity, list] of byEntityInOrder(events)) {
    let facts: Facts | null = null;
    try {
      facts = foldChecked(list, local);
    } catch (err) {
      const reason = String((err as Error)?.message ?? err);
      const ordered = [...list].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      if (ordered.length <= SEARCH_LIMIT)
        for (const culprit of ordered) {
          try {
            facts = foldChecked(
              list.filter((e) => e.id !== culprit.id),
              local,
            );
            quarantined.push({ event: culprit, entity, reason });
            break;
          } catch {
            // not this one alone
          }
        }
      if (!facts) for (const e of list) quarantined.push({ event: e, entity, reason });
    }
    if (facts) keep(facts, out, batch);
  }
  return { facts: out, quarantined };
}

/** Adds an entity's (or a slice's) rows to `out`, and what later entities read of them to `batch`. */
function keep(facts: Facts, out: Facts, batch: BatchContext): void {
  for (const name of FACT_TABLES) for (const r of facts[name]) out[name].push(r);
  for (const r of facts.customer_facts) if (r.segment) batch.segment(r.customer_id as string, r.segment as string);
  for (const r of facts.ticket_facts) batch.ticket(r.ticket_id as string, r);
}

/** Events grouped by entity, the entities in projection order (customers, tickets, then what refers to them). */
function byEntityInOrder(events: DeskEvent[]): [string, DeskEvent[]][] {
  const byEntity = new Map<string, DeskEvent[]>();
  for (const e of events) {
    const { kind, key } = entityOf(e);
    getOrInit(byEntity, `${kind}:${key}`, () => []).push(e);
  }
  const rank = (e: string) => ENTITY_ORDER.indexOf(e.slice(0, e.indexOf(":")) as (typeof ENTITY_ORDER)[number]);
  return [...byEntity].sort((a, b) => rank(a[0]) - rank(b[0]));
}

/** Events an incremental commit folds between two pauses: ~20 ms of the thread that answers requests. */
const FOLD_SLICE = 2_000;

/**
 * `foldSafely` in slices of whole entities, in projection order, awaiting `pause` between slices
 * (an incremental commit lets acknowledgements in). What earlier slices produced (customers'
 * segments, tickets' dimensions) is visible to the later ones, as inside one call: same facts,
 * same quarantine.
 */
export async function foldInSlices(
  events: DeskEvent[],
  ctx: ProjectorContext,
  pause: () => Promise<void>,
  sliceEvents = FOLD_SLICE,
): Promise<{ facts: Facts; quarantined: Quarantined[] }> {
  if (events.length <= sliceEvents) return foldSafely(events, ctx);
  const out = emptyFacts();
  const quarantined: Quarantined[] = [];
  const batch = new BatchContext(ctx);
  let slice: DeskEvent[] = [];
  const fold = () => {
    const folded = foldSafely(slice, batch.ctx);
    keep(folded.facts, out, batch);
    for (const q of folded.quarantined) quarantined.push(q);
    slice = [];
  };
  for (const [, list] of byEntityInOrder(events)) {
    for (const e of list) slice.push(e);
    if (slice.length >= sliceEvents) {
      fold();
      await pause();
    }
  }
  if (slice.length) fold();
  return { facts: out, quarantined };
}
