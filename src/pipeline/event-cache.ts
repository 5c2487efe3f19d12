import { type DeskEvent, entityOf } from "../events/types.js";
import { IdFilter } from "../store/id-filter.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { getOrInit } from "../util/maps.js";

/**
 * The events of recently active entities, in memory, so that projecting an API batch rarely
 * needs to read the log: an entity seen for the first time has all its events in the batch,
 * and an active one (an open ticket) is usually still cached. Only a cold entity costs a read.
 */
export class EventCache {
  private readonly known = new Map<string, Promise<IdFilter>>();
  /** the same filters once loaded */
  private readonly loaded = new Map<string, IdFilter>();
  private readonly lru = new Map<string, DeskEvent[]>();
  private size = 0;

  constructor(
    private readonly store: Store,
    private readonly maxEvents = 2_000_000,
  ) {}

  /** The entities of the log up to position `through` (all of it when undefined): those that may have rows to replace. */
  private knownEntities(workspace: string, through: number | undefined): Promise<IdFilter> {
    let p = this.known.get(workspace);
    if (!p) {
      p = (async () => {
        const f = new IdFilter();
        // after a burst the log runs far past the facts: entities that first appear beyond
        // `through` are new to them, and their events all come through here, none read back
        const upTo = through === undefined ? "" : ` AND pos <= ${ph(this.store, 2, through)}`;
        const rows = await this.store.query<{ entity: string }>(
          `SELECT DISTINCT entity FROM events WHERE workspace = ${ph(this.store, 1)}${upTo}`,
          through === undefined ? [workspace] : [workspace, through],
        );
        for (const r of rows) f.add(r.entity);
        this.loaded.set(workspace, f);
        return f;
      })();
      this.known.set(workspace, p);
    }
    return p;
  }

  /**
   * Every event of each entity the freshly stored events touch: from the cache, from the batch
   * alone for entities never seen before, or from the log for cold ones. `through`: the log
   * position the facts include before `fresh` (undefined: take every entity in the log as known).
   */
  async eventsFor(workspace: string, fresh: DeskEvent[], through?: number): Promise<{ entities: string[]; events: DeskEvent[]; brandNew: Set<string> }> {
    const known = await this.knownEntities(workspace, through);
    const byEntity = new Map<string, DeskEvent[]>();
    for (const e of fresh) {
      const { kind, key } = entityOf(e);
      const k = `${workspace}\u0000${kind}:${key}`;
      getOrInit(byEntity, k, () => []).push(e);
    }
    const cold: string[] = [];
    // entities never seen before have no derived rows yet: nothing to delete for them
    const brandNew = new Set<string>();
    for (const [k, list] of byEntity) {
      const entity = k.slice(workspace.length + 1);
      const cached = this.lru.get(k);
      if (cached) {
        this.lru.delete(k);
        cached.push(...list);
        this.lru.set(k, cached);
        this.size += list.length;
      } else if (!known.mayContain(entity)) {
        brandNew.add(entity);
        this.lru.set(k, list.slice());
        this.size += list.length;
      } else cold.push(entity);
      known.add(entity);
    }
    if (cold.length > 0) {
      const loaded = await this.store.loadEntityEvents(workspace, cold);
      const groups = new Map<string, DeskEvent[]>(cold.map((c) => [c, []]));
      for (const e of loaded) {
        const { kind, key } = entityOf(e);
        groups.get(`${kind}:${key}`)?.push(e);
      }
      for (const [entity, list] of groups) {
        this.lru.set(`${workspace}\u0000${entity}`, list);
        this.size += list.length;
      }
    }
    this.evict();
    const entities: string[] = [];
    const events: DeskEvent[] = [];
    for (const k of byEntity.keys()) {
      entities.push(k.slice(workspace.length + 1));
      for (const e of this.lru.get(k) ?? []) events.push(e);
    }
    return { entities, events, brandNew };
  }

  /**
   * False when the entity certainly has no facts yet: not in the log up to the position the cache
   * was loaded through, nor projected since (only for a workspace `eventsFor` has seen).
   */
  mayBeKnown(workspace: string, entity: string): boolean {
    return this.loaded.get(workspace)?.mayContain(entity) ?? true;
  }

  /** Every event of the given entities, from the cache where it has them, else from the log. */
  async eventsOf(workspace: string, entities: string[]): Promise<DeskEvent[]> {
    const out: DeskEvent[] = [];
    const cold: string[] = [];
    for (const entity of entities) {
      const cached = this.lru.get(`${workspace}\u0000${entity}`);
      if (cached) out.push(...cached);
      else cold.push(entity);
    }
    if (cold.length > 0) out.push(...(await this.store.loadEntityEvents(workspace, cold)));
    return out;
  }

  private evict(): void {
    for (const [k, list] of this.lru) {
      if (this.size <= this.maxEvents) break;
      this.lru.delete(k);
      this.size -= list.length;
    }
  }

  /** After a rebuild or bulk load the cache may be stale: forget the workspace. */
  forget(workspace: string): void {
    this.known.delete(workspace);
    this.loaded.delete(workspace);
    for (const [k, list] of this.lru)
      if (k.startsWith(`${workspace}\u0000`)) {
        this.lru.delete(k);
        this.size -= list.length;
      }
  }
}
