/**
 * DuckDB moves its write-ahead log into the database file at a checkpoint, and the commit that
 * crosses `wal_autocheckpoint` does it while every other commit waits: at the default 16 MB that
 * was 3–5 stalls of 250–650 ms per 237,000 acknowledged events, which set the acknowledgements'
 * p99 (BENCHMARKS.md, Pipeline). So the automatic threshold is raised (WAL_AUTOCHECKPOINT) and the
 * store checkpoints on its own once appends pause: under bursty ingest no acknowledgement waits for
 * a checkpoint, under sustained ingest one commit per WAL_AUTOCHECKPOINT of log still does.
 */
export const WAL_AUTOCHECKPOINT = "256MB";
/** appends paused this long: the log is quiet enough to checkpoint */
export const QUIET_MS = 1_000;

export class IdleCheckpoint {
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly checkpoint: () => Promise<void>,
    private readonly quietMs = QUIET_MS,
  ) {}

  /** Something was written: checkpoint once nothing more is for `quietMs`. */
  wrote(): void {
    this.dirty = true;
    if (this.timer) this.timer.refresh();
    else {
      this.timer = setTimeout(() => this.fire(), this.quietMs);
      // a quiet process may exit: close() checkpoints anyway
      this.timer.unref();
    }
  }

  private fire(): void {
    this.timer = null;
    if (!this.dirty) return;
    this.dirty = false;
    this.running = this.checkpoint().catch(() => {
      // another transaction held it off (or the store is closing): try again after the next write
      this.dirty = true;
    });
  }

  /** Stops the timer and waits for a checkpoint under way. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
