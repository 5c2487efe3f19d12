import type { WorkspaceSettings } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";
import { type DeskEvent, type EntityKind, entityOf } from "../events/types.js";
import { ticketDimsOf } from "../projector/index.js";
import { emptyFacts, FACT_TABLES, type Facts, type ProjectorContext, type TicketDims } from "../projector/types.js";
import { type Row, type TableDef, table } from "../store/schema.js";
import type { FactPart, Store } from "../store/store.js";
import { getOrInit } from "../util/maps.js";
import { ENTITY_ORDER, ENTITY_TABLES, splitEntity } from "./entities.js";
import { CopiedAttributes } from "./copied.js";
import { EventCache } from "./event-cache.js";
import { foldInSlices, type Quarantined } from "./fold.js";
import { type ChunkFolder, type FoldedChunk, openFolder } from "./fold-worker.js";
import { rejectionRow } from "./ingest.js";
import { rejectedRecords } from "./rejected.js";

/** Told after derived facts of a workspace changed (live state and SSE listen). */
export type FactsListener = (workspace: string, facts: Facts, entities: string[]) => void;

const DAY = 86_400_000;
/** Events a rebuild folds between two turns of the event loop. */
const REBUILD_CHUNK = 20_000;
/**
 * Where a rebuild folds unless told: on this thread. In the fold worker (fold-worker.ts) a rebuild
 * took more CPU (all threads) and more wall time than here in every paired run on the loaded
 * 2-core machine (BENCHMARKS.md, Pipeline, 2026-11-26): the Node thread's own CPU hardly fell, as
 * reading the log and appending rows, not the fold, is what it spends. An idle machine's re-run
 * (`bench/rebuild.ts --fold worker` against `--fold thread`) decides whether large rebuilds move there.
 */
const DEFAULT_FOLD: ChunkFolder["where"] = "thread";
/** Chunks a rebuild has handed to its folder and not yet appended. */
const FOLDS_IN_FLIGHT = 3;
/** Every derived table, in the order a rebuild fills them. */
const FACT_DEFS: TableDef[] = ENTITY_ORDER.flatMap((k) => ENTITY_TABLES[k].map((t) => t.table));

export interface RebuildOptions {
  /** project with these settings instead of the saved ones (a settings change being tried) */
  settings?: WorkspaceSettings;
  /** refuse (throw, keeping the old facts) if any event would be newly quarantined */
  strict?: boolean;
  /** more rows to replace in the same swap (the settings document that caused the rebuild) */
  alsoCommit?: FactPart[];
  progress?: (done: number) => void;
  /** called right after the swap committed, before anything else projects in the workspace */
  onSwapped?: () => void;
  /** where to fold (the facts are the same): in a worker thread, or on this one (the default) */
  foldIn?: ChunkFolder["where"];
}

/**
 * Runs the pure projector against the store. Incrementally (`projectBatch`): every event of the
 * entities a stretch of the log touched, folded, and their derived rows replaced together with
 * the checkpoint. Or whole (`rebuild`): new facts built beside the old ones and swapped in.
 */
export class Projection {
  private readonly listeners: FactsListener[] = [];
  private readonly resetListeners: ((workspace: string) => void)[] = [];
  private readonly cache: EventCache;
  /** ids of events already quarantined (listed with the rejected records), per workspace */
  private readonly quarantinedIds = new Map<string, Promise<Set<string>>>();
  /** what the stored facts say of the attributes other entities copy, per workspace (see copied.ts) */
  private readonly copied = new Map<string, CopiedAttributes>();

  constructor(
    private readonly store: Store,
    private readonly settingsOf: (workspace: string) => Promise<WorkspaceSettings>,
  ) {
    this.cache = new EventCache(store);
  }

  /**
   * Awaited between the phases of an incremental commit (the follower's: appends under way go
   * first), so acknowledgements wait for one phase of a commit, not for the whole of it.
   */
  pause: () => Promise<void> = () => Promise.resolve();

  /** Bulk loads bypass the cache: forget what it knows of the workspace. */
  forget(workspace: string): void {
    this.cache.forget(workspace);
    this.copied.delete(workspace);
  }

  private copiedOf(workspace: string): CopiedAttributes {
    return getOrInit(this.copied, workspace, () => new CopiedAttributes(this.store, workspace));
  }

  onFacts(l: FactsListener): void {
    this.listeners.push(l);
  }

  /** Told after a rebuild swapped in a workspace's facts. */
  onReset(l: (workspace: string) => void): void {
    this.resetListeners.push(l);
  }

  /**
   * Projects the entities of a stretch of the log that ends at position `pos` and commits their
   * facts with the checkpoint `pos` (reads the log only for entities the cache does not hold).
   * Facts that copy another entity's attributes follow it — a ticket's, survey's or contact's
   * segment comes from its customer, a survey's or contact's channel and team from its ticket — so
   * when those attributes change (copied.ts), the dependents are re-projected in the same commit,
   * and the result equals a rebuild whatever the arrival order.
   */
  async projectBatch(workspace: string, fresh: DeskEvent[], pos: number): Promise<{ quarantined: number }> {
    const settings = await this.settingsOf(workspace);
    const parts: FactPart[] = [];
    const all = emptyFacts();
    const touched: string[] = [];
    const quarantined: Quarantined[] = [];
    const copied = this.copiedOf(workspace);
    // what this commit has projected so far, seen by the dependents before it is stored
    const segments = new Map<string, string | undefined>();
    const tickets = new Map<string, TicketDims | undefined>();
    if (fresh.length > 0) {
      const through = this.knownThrough(pos, fresh.length);
      const { entities, events, brandNew } = await this.cache.eventsFor(workspace, fresh, through);
      let round = { entities, events, brandNew };
      for (let depth = 0; depth < 3 && round.entities.length > 0; depth++) {
        // the entities folded now have, after this commit, the rows this fold gives them (inside
        // the fold, those it has given so far), none else: as in a rebuild, never their old rows
        for (const e of round.entities) {
          const { kind, key } = splitEntity(e);
          if (kind === "customer") segments.set(key, undefined);
          else if (kind === "ticket") tickets.set(key, undefined);
        }
        await this.pause();
        await copied.load(round.events, segments, tickets, (e) => this.cache.mayBeKnown(workspace, e));
        await this.pause();
        const ctx = context(
          workspace,
          settings,
          (id) => (segments.has(id) ? segments.get(id) : copied.segment(id)),
          (id) => (tickets.has(id) ? tickets.get(id) : copied.ticket(id)),
        );
        const folded = await foldInSlices(round.events, ctx, this.pause);
        quarantined.push(...folded.quarantined);
        parts.push(...partsOf(round.entities, folded.facts, round.brandNew));
        for (const name of FACT_TABLES) for (const r of folded.facts[name]) all[name].push(r);
        touched.push(...round.entities);
        for (const r of folded.facts.customer_facts) segments.set(r.customer_id as string, (r.segment as string | null) ?? undefined);
        for (const r of folded.facts.ticket_facts) tickets.set(r.ticket_id as string, ticketDimsOf(r));
        await this.pause();
        const deps = await copied.dependents(through, new Set(touched), round.entities, round.brandNew, segments, tickets);
        round = { entities: deps, events: deps.length ? await this.cache.eventsOf(workspace, deps) : [], brandNew: new Set() };
      }
    }
    const q = await this.quarantineRows(workspace, quarantined);
    if (q.rows.length) parts.push({ table: table("rejected"), keyColumn: "seq", keys: [], rows: q.rows });
    await this.pause();
    await this.store.commitFacts(workspace, mergeParts(parts), pos);
    q.remember();
    copied.committed(segments, tickets);
    await copied.namedBy(fresh);
    if (touched.length) {
      await this.pause();
      for (const l of this.listeners) l(workspace, all, touched);
    }
    return { quarantined: q.rows.length };
  }

  /**
   * The log position up to which the event cache (and copied.ts) take the log's entities as
   * already projected (having rows): the one before this stretch on DuckDB, where facts and checkpoint
   * commit together. On ClickHouse a stretch's rows go in before its checkpoint, so after a crash
   * an entity past the checkpoint may have rows: there every entity of the log counts.
   */
  private knownThrough(pos: number, fresh: number): number | undefined {
    return this.store.soleWriter ? pos - fresh : undefined;
  }

  /**
   * Recomputes every derived row of a workspace from its log (up to where the log ends now) and
   * swaps them in with the checkpoint. Until the swap, readers see the old facts; if anything
   * fails, the old facts and checkpoint stay and the error is thrown.
   */
  async rebuild(workspace: string, opts: RebuildOptions = {}): Promise<{ events: number; quarantined: number; pos: number; foldedIn: ChunkFolder["where"] }> {
    const settings = opts.settings ?? (await this.settingsOf(workspace));
    const pos = await this.store.logEnd(workspace);
    const known = await this.knownQuarantine(workspace);
    const folder = await openFolder({ workspace, settings, maxValidTs: Date.now() + DAY }, opts.foldIn ?? DEFAULT_FOLD);
    let done = 0;
    const quarantined: Quarantined[] = [];
    let fresh: Row[] = [];
    try {
      await this.store.swapFacts(workspace, FACT_DEFS, async (insert) => {
        // A pipeline: this thread reads the log and appends chunk N's rows while the folder works
        // on the chunks after it; at most FOLDS_IN_FLIGHT chunks wait, so memory stays flat.
        const inFlight: Promise<FoldedChunk>[] = [];
        const appendNext = async () => {
          const folded = await inFlight.shift()!;
          if (opts.strict) {
            const bad = folded.quarantined.find((x) => !known.has(x.event.id));
            if (bad)
              throw new UserError(
                "settings_refused",
                `these settings were not applied: with them the facts of ${bad.entity} cannot be computed (${bad.reason}); the previous settings and facts are kept`,
                422,
              );
          }
          for (const q of folded.quarantined) quarantined.push(q);
          for (const t of folded.tables) await insert(table(t.name), t.columns);
          done += folded.events;
          opts.progress?.(done);
        };
        const streams = ENTITY_ORDER.map((kind) => this.store.streamEventsByEntity(workspace, [kind], pos)[Symbol.asyncIterator]());
        for await (const slice of readingAhead(streams))
          for (const chunk of typeof slice === "string" ? [slice] : byEntityChunks(slice)) {
            const folding = folder.fold(chunk);
            // awaited in order by appendNext, which throws its failure; not unhandled meanwhile
            folding.catch(() => undefined);
            inFlight.push(folding);
            if (inFlight.length >= FOLDS_IN_FLIGHT) await appendNext();
          }
        while (inFlight.length) await appendNext();
        const q = await this.quarantineRows(workspace, quarantined);
        fresh = q.rows;
        const parts = [...(opts.alsoCommit ?? [])];
        if (q.rows.length) parts.push({ table: table("rejected"), keyColumn: "seq", keys: [], rows: q.rows });
        return { pos, parts };
      });
    } finally {
      await folder.close();
    }
    opts.onSwapped?.();
    for (const r of fresh) known.add(JSON.parse(r.record as string).id);
    this.forget(workspace);
    for (const l of this.resetListeners) l(workspace);
    return { events: done, quarantined: quarantined.length, pos, foldedIn: folder.where };
  }

  private knownQuarantine(workspace: string): Promise<Set<string>> {
    let p = this.quarantinedIds.get(workspace);
    if (!p) {
      p = rejectedRecords(this.store, workspace, { origin: "projector" }).then((rows) => new Set(rows.map((r) => (JSON.parse(r.record) as DeskEvent).id)));
      this.quarantinedIds.set(workspace, p);
      p.catch(() => this.quarantinedIds.delete(workspace));
    }
    return p;
  }

  /** Rejected-record rows for events quarantined for the first time, and a way to remember them once stored. */
  private async quarantineRows(workspace: string, list: Quarantined[]): Promise<{ rows: Row[]; remember: () => void }> {
    if (list.length === 0) return { rows: [], remember: () => undefined };
    const known = await this.knownQuarantine(workspace);
    const now = Date.now();
    const seen = new Set<string>();
    const rows: Row[] = [];
    for (const q of list) {
      if (known.has(q.event.id) || seen.has(q.event.id)) continue;
      seen.add(q.event.id);
      rows.push(
        rejectionRow(workspace, now, "projector", { index: 0, field: "", reason: `${q.entity} cannot be folded with this event: ${q.reason}` }, q.event),
      );
    }
    return {
      rows,
      remember: () => {
        for (const id of seen) known.add(id);
      },
    };
  }
}

/**
 * The chunks of each stream in turn (each kind of entity in projection order), the first read of
 * a stream started as soon as the one before it has answered: the store reads the next kind (on
 * its own threads) while this thread appends the current one. At most one read is ahead.
 */
async function* readingAhead<T>(streams: AsyncIterator<T>[]): AsyncGenerator<T> {
  let first = streams[0]?.next();
  for (let k = 0; k < streams.length; k++) {
    let r = await first!;
    first = streams[k + 1]?.next();
    // awaited on the next turn of the loop; not unhandled if this rebuild stops first
    first?.catch(() => undefined);
    while (!r.done) {
      yield r.value;
      r = await streams[k].next();
    }
  }
}

/** Events split into chunks of about REBUILD_CHUNK, every entity's events in one chunk. */
function byEntityChunks(events: DeskEvent[]): DeskEvent[][] {
  if (events.length <= REBUILD_CHUNK) return [events];
  const groups = new Map<string, DeskEvent[]>();
  for (const e of events) {
    const { kind, key } = entityOf(e);
    getOrInit(groups, `${kind}:${key}`, () => []).push(e);
  }
  const out: DeskEvent[][] = [];
  let cur: DeskEvent[] = [];
  for (const list of groups.values()) {
    for (const e of list) cur.push(e);
    if (cur.length >= REBUILD_CHUNK) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/** The replacement of the given entities' rows by `facts` (a brand-new entity has no old rows to delete). */
function partsOf(entities: string[], facts: Facts, brandNew: Set<string>): FactPart[] {
  const byKind = new Map<EntityKind, string[]>();
  for (const e of entities) {
    const { kind, key } = splitEntity(e);
    const keys = getOrInit(byKind, kind, () => []);
    if (!brandNew.has(e)) keys.push(key);
  }
  const parts: FactPart[] = [];
  for (const [kind, keys] of byKind)
    for (const t of ENTITY_TABLES[kind]) {
      // rows of this kind only: a survey round must not re-insert the ticket rows of another round
      parts.push({ table: t.table, keyColumn: t.keyColumn, keys, rows: facts[t.facts] });
    }
  return parts;
}

/**
 * The parts of one commit, one per table: its keys deleted once and its rows appended once (each
 * round of dependents covers other entities, so keys and rows of two rounds never overlap).
 */
function mergeParts(parts: FactPart[]): FactPart[] {
  const byTable = new Map<string, FactPart>();
  for (const p of parts) {
    const m = byTable.get(p.table.name);
    if (!m) byTable.set(p.table.name, { ...p, keys: p.keys.slice(), rows: p.rows.slice() });
    else {
      for (const k of p.keys) m.keys.push(k);
      for (const r of p.rows) m.rows.push(r);
    }
  }
  return [...byTable.values()];
}

function context(
  workspace: string,
  settings: WorkspaceSettings,
  segmentOf: ProjectorContext["segmentOf"],
  ticketOf: ProjectorContext["ticketOf"],
): ProjectorContext {
  return { workspace, settings, segmentOf, ticketOf, maxValidTs: Date.now() + DAY };
}
