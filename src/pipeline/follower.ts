import type { DeskEvent } from "../events/types.js";
import type { Store } from "../store/store.js";
import type { Projection, RebuildOptions } from "./projection.js";

/** Events per commit of the projector: big enough to amortize a commit, small enough to bound lag. */
const BATCH = 20_000;
/** Longest a projection step waits for appends to finish: under sustained ingest it still moves. */
const MAX_YIELD_MS = 100;
/** Appends this recent mean more are coming (a client's next batch is on its way): ingest is busy. */
const BUSY_FOR_MS = 200;
/** A workspace further behind than this (and than half its log) is rebuilt rather than replayed. */
const REBUILD_BEHIND = 200_000;

/** How far a workspace's facts are behind its log, and what went wrong last. */
export interface PipelineStatus {
  log_end: number;
  projected_through: number;
  lag_events: number;
  /** "idle", "projecting", "rebuilding" or "retrying" (after an error) */
  state: string;
  last_error: { at: string; message: string } | null;
  last_rebuild: { at: string; ok: boolean; events: number; quarantined: number; message?: string } | null;
}

interface Lane {
  checkpoint: number;
  logEnd: number;
  /** appended stretches not yet projected, in log order; each ends at `last` */
  queue: { events: DeskEvent[]; last: number }[];
  /** the position the queue continues from (the queue is trusted only if it starts right after the checkpoint) */
  queuedThrough: number;
  running: boolean;
  /** runs that must happen alone in this workspace (rebuilds), after the current batch */
  exclusive: (() => Promise<void>)[];
  waiters: { pos: number; resolve: () => void }[];
  state: string;
  lastError: PipelineStatus["last_error"];
  lastRebuild: PipelineStatus["last_rebuild"];
  ready: Promise<void>;
}

/**
 * Projection runs behind the log, one lane per workspace: appends are acknowledged once durable,
 * and the lane folds what was appended since its checkpoint — from memory when it saw the append,
 * from the log otherwise (after a restart, or another process's appends) — committing facts and
 * checkpoint together. Rebuilds run in the same lane, so they never interleave with a batch.
 */
export class Follower {
  private readonly lanes = new Map<string, Lane>();
  private closed = false;
  /** batches of any workspace being appended to the log now (`appending`) */
  private inFlight = 0;
  /** when the last batch in flight was appended (Date.now()) */
  private lastAppendDone = 0;
  private readonly quiet: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly projection: Projection,
  ) {
    projection.pause = () => this.yieldToAppends();
  }

  private lane(workspace: string): Lane {
    const l = this.lanes.get(workspace);
    if (!l) {
      const lane: Lane = {
        checkpoint: 0,
        logEnd: 0,
        queue: [],
        queuedThrough: -1,
        running: false,
        exclusive: [],
        waiters: [],
        state: "idle",
        lastError: null,
        lastRebuild: null,
        ready: Promise.resolve(),
      };
      lane.ready = (async () => {
        lane.checkpoint = await this.store.checkpoint(workspace);
        lane.logEnd = Math.max(lane.logEnd, await this.store.logEnd(workspace));
      })();
      this.lanes.set(workspace, lane);
      return lane;
    }
    return l;
  }

  /**
   * Announces an append to the log; call the function returned once it is done (or failed).
   * Acknowledgements come first: the next projection step waits for appends under way.
   */
  appending(): () => void {
    this.inFlight++;
    let once = false;
    return () => {
      if (once) return;
      once = true;
      this.lastAppendDone = Date.now();
      if (--this.inFlight === 0) for (const wake of this.quiet.splice(0)) wake();
    };
  }

  /** Whether batches are being appended now or were a moment ago (sustained ingest). */
  private ingestBusy(): boolean {
    return this.inFlight > 0 || Date.now() - this.lastAppendDone < BUSY_FOR_MS;
  }

  /** Resolves once no batch is in flight, or after MAX_YIELD_MS (projection never starves). */
  private async yieldToAppends(): Promise<void> {
    // a turn of the event loop first: requests that have arrived get to start their appends
    await new Promise((r) => setImmediate(r));
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, MAX_YIELD_MS);
      this.quiet.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Called right after an append: the events at positions `last - events.length + 1 … last`. */
  appended(workspace: string, events: DeskEvent[], last: number): void {
    const l = this.lane(workspace);
    if (events.length === 0) return;
    const first = last - events.length + 1;
    if (l.queuedThrough === first - 1 || (l.queue.length === 0 && l.checkpoint === first - 1)) l.queue.push({ events, last });
    else l.queue = []; // a gap: read this stretch from the log instead
    l.queuedThrough = last;
    l.logEnd = Math.max(l.logEnd, last);
    this.kick(workspace);
  }

  /** Starts following every workspace whose facts are behind its log (at start-up). */
  async resumeAll(): Promise<void> {
    const rows = await this.store.query<{ workspace: string }>("SELECT DISTINCT workspace FROM events");
    for (const r of rows) this.kick(r.workspace);
  }

  /** Resolves once the workspace's facts include log position `pos` (or after `timeoutMs`); says whether they do. */
  async waitFor(workspace: string, pos: number, timeoutMs = 30_000): Promise<boolean> {
    const l = this.lane(workspace);
    await l.ready;
    if (l.checkpoint >= pos) return true;
    this.kick(workspace);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(l.checkpoint >= pos), timeoutMs);
      l.waiters.push({
        pos,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      });
    });
  }

  /** Waits until the facts include everything in the log now. */
  async caughtUp(workspace: string): Promise<void> {
    const end = await this.store.logEnd(workspace);
    const l = this.lane(workspace);
    await l.ready;
    l.logEnd = Math.max(l.logEnd, end);
    await this.waitFor(workspace, end, 24 * 3600_000);
  }

  projectedThrough(workspace: string): number {
    return this.lanes.get(workspace)?.checkpoint ?? 0;
  }

  async status(workspace: string): Promise<PipelineStatus> {
    const l = this.lane(workspace);
    await l.ready;
    const end = this.appendsAllTold() ? l.logEnd : Math.max(l.logEnd, await this.store.logEnd(workspace));
    return {
      log_end: end,
      projected_through: l.checkpoint,
      lag_events: end - l.checkpoint,
      state: l.state,
      last_error: l.lastError,
      last_rebuild: l.lastRebuild,
    };
  }

  /** Every lane's status (health). */
  states(): { workspace: string; lag: number; state: string; rebuildFailed: boolean }[] {
    return [...this.lanes].map(([workspace, l]) => ({
      workspace,
      lag: l.logEnd - l.checkpoint,
      state: l.state,
      rebuildFailed: l.lastRebuild?.ok === false,
    }));
  }

  /** Whether every append to the store goes through this process (and is told to the lanes, which read the log's end once). */
  private appendsAllTold(): boolean {
    return this.store.soleWriter;
  }

  /** Runs `fn` alone in the workspace's lane: after the batch in progress, before the next. */
  hold<T>(workspace: string, fn: () => Promise<T>): Promise<T> {
    const l = this.lane(workspace);
    return new Promise<T>((resolve, reject) => {
      l.exclusive.push(() => fn().then(resolve, reject));
      this.kick(workspace);
    });
  }

  /** Rebuilds the workspace's facts in its lane and records the outcome in its status. */
  rebuild(workspace: string, opts: RebuildOptions = {}): Promise<{ events: number; quarantined: number }> {
    const l = this.lane(workspace);
    return this.hold(workspace, async () => {
      l.state = "rebuilding";
      const at = new Date().toISOString();
      try {
        const r = await this.projection.rebuild(workspace, opts);
        l.lastRebuild = { at, ok: true, events: r.events, quarantined: r.quarantined };
        this.rebuilt(l, r.pos);
        return r;
      } catch (e) {
        l.lastRebuild = { at, ok: false, events: 0, quarantined: 0, message: String((e as Error)?.message ?? e) };
        throw e;
      }
    });
  }

  private rebuilt(l: Lane, pos: number): void {
    this.advance(l, pos);
    // what the queue held up to the rebuild's position is in the facts now
    l.queue = l.queue.filter((b) => b.last > pos);
    if (l.queue.length && l.queue[0].last - l.queue[0].events.length !== pos) l.queue = [];
  }

  private advance(l: Lane, pos: number): void {
    if (pos <= l.checkpoint) return;
    l.checkpoint = pos;
    l.logEnd = Math.max(l.logEnd, pos);
    const still: Lane["waiters"] = [];
    for (const w of l.waiters) w.pos <= pos ? w.resolve() : still.push(w);
    l.waiters = still;
  }

  private kick(workspace: string): void {
    const l = this.lane(workspace);
    if (l.running || this.closed) return;
    l.running = true;
    void this.run(workspace, l)
      .catch((e) => console.error(`projection of workspace "${workspace}" stopped:`, e))
      .finally(() => {
        l.running = false;
        l.state = "idle";
        if (!this.closed && (l.exclusive.length || l.checkpoint < l.logEnd)) this.kick(workspace);
      });
  }

  private async run(workspace: string, l: Lane): Promise<void> {
    await l.ready;
    let failures = 0;
    while (!this.closed) {
      const job = l.exclusive.shift();
      if (job) {
        await job();
        continue;
      }
      if (l.checkpoint >= l.logEnd) {
        // The log may have grown in another process. Not so in a DuckDB file, which one process
        // opens: its appends are all told (`appended`, `caughtUp`), and asking the store would
        // queue this lane behind every append waiting for the write lock.
        if (this.appendsAllTold()) return;
        const end = await this.store.logEnd(workspace);
        if (end <= l.checkpoint) return;
        l.logEnd = end;
      }
      try {
        await this.yieldToAppends();
        if (this.closed) return;
        const behind = l.logEnd - l.checkpoint;
        // A rebuild holds the thread for long stretches: not while acknowledgements are waiting
        // (projecting batch by batch meanwhile is slower, and as exact).
        if (behind > REBUILD_BEHIND && behind > l.checkpoint && !this.ingestBusy()) {
          l.state = "rebuilding";
          const r = await this.projection.rebuild(workspace);
          l.lastRebuild = { at: new Date().toISOString(), ok: true, events: r.events, quarantined: r.quarantined };
          this.rebuilt(l, r.pos);
        } else {
          l.state = "projecting";
          // Not smaller slices while ingest is busy: a commit's fixed cost (~100 CPU-ms: one appender
          // and one DELETE per fact table, COMMIT) would then outgrow what the slice saves the acks.
          const batch = this.take(l) ?? (await this.store.readLog(workspace, l.checkpoint, BATCH));
          if (batch.events.length === 0 && batch.last <= l.checkpoint) {
            // positions not visible yet (another process is mid-append): look again shortly
            await new Promise((r) => setTimeout(r, 50));
            continue;
          }
          await this.projection.projectBatch(workspace, batch.events, batch.last);
          this.advance(l, batch.last);
        }
        failures = 0;
        l.lastError = null;
      } catch (e) {
        // Not a fold failure (those are quarantined): the store refused a write. Keep the
        // checkpoint, say so in the status, and try again from it with growing pauses.
        failures++;
        l.lastError = { at: new Date().toISOString(), message: String((e as Error)?.message ?? e) };
        l.queue = [];
        l.queuedThrough = -1;
        console.error(`projection of workspace "${workspace}" failed (attempt ${failures}); retrying from position ${l.checkpoint}:`, e);
        this.projection.forget(workspace);
        l.state = "retrying";
        await new Promise((r) => setTimeout(r, Math.min(30_000, 100 * 2 ** failures)));
        l.state = "projecting";
      }
    }
  }

  /** The queued stretch that starts right after the checkpoint, merged up to BATCH events. */
  private take(l: Lane): { events: DeskEvent[]; last: number } | null {
    const head = l.queue[0];
    if (!head || head.last - head.events.length !== l.checkpoint) {
      l.queue = [];
      return null;
    }
    const events: DeskEvent[] = [];
    let last = l.checkpoint;
    while (l.queue.length && (events.length === 0 || events.length + l.queue[0].events.length <= BATCH)) {
      const b = l.queue.shift()!;
      for (const e of b.events) events.push(e);
      last = b.last;
    }
    return { events, last };
  }

  /** Stops after the batch in progress (its commit finishes; nothing is left half-written). */
  async close(): Promise<void> {
    this.closed = true;
    for (;;) {
      const busy = [...this.lanes.values()].filter((l) => l.running);
      if (busy.length === 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
