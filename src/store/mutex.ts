import { getOrInit } from "../util/maps.js";

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
    return getOrInit(this.locks, key, () => new Mutex()).run(fn);
  }
}
