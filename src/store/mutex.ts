/** Runs async sections one at a time, in call order (a failed section does not block the next). */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** One mutex per key (workspace): batches of one workspace project in order, others in parallel. */
export class KeyedMutex {
  private readonly locks = new Map<string, Mutex>();
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let m = this.locks.get(key);
    if (!m) this.locks.set(key, (m = new Mutex()));
    return m.run(fn);
  }
}
