import { Cron } from "croner";

/**
 * Time as the alert engine, the outbox and the report scheduler see it. Production uses the
 * system clock; tests pass a `ManualClock` and move time by hand, so "fires at due − N minutes
 * and not before" is proved without sleeping.
 */
export interface Clock {
  now(): number;
  /** runs `fn` once at `at` (epoch ms) or as soon as possible after; returns a cancel function */
  at(at: number, fn: () => void): () => void;
}

/** Node timers are capped near 24.8 days; longer waits re-arm. */
const MAX_TIMER = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  at(at, fn) {
    let timer: NodeJS.Timeout;
    const arm = () => {
      const wait = at - Date.now();
      timer = setTimeout(wait > MAX_TIMER ? arm : fn, Math.max(0, Math.min(wait, MAX_TIMER)));
      timer.unref?.();
    };
    arm();
    return () => clearTimeout(timer);
  },
};

/** A clock that only moves when told to; `advance` runs every timer that falls due, in time order. */
export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void; seq: number }[] = [];
  private seq = 0;

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  at(at: number, fn: () => void): () => void {
    const timer = { at, fn, seq: this.seq++ };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  /** Moves to `to` (epoch ms), stopping at each timer on the way; awaits `settle` after each so async work finishes. */
  async advanceTo(to: number, settle: () => Promise<void> = () => new Promise((r) => setImmediate(r))): Promise<void> {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > to) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
      await settle();
    }
    this.t = Math.max(this.t, to);
    await settle();
  }

  advance(ms: number, settle?: () => Promise<void>): Promise<void> {
    return this.advanceTo(this.t + ms, settle);
  }

  pending(): number {
    return this.timers.length;
  }
}

/**
 * Runs `fn` on a cron pattern (croner computes the times, in `timezone`) driven by `clock`, so
 * scheduled metric rules and reports follow the injected clock too. Returns a stop function.
 */
export function schedule(clock: Clock, pattern: string, timezone: string, fn: (at: number) => void | Promise<void>): () => void {
  const cron = new Cron(pattern, { timezone, paused: true });
  let cancel: (() => void) | null = null;
  let stopped = false;
  const arm = (from: number) => {
    const next = cron.nextRun(new Date(from))?.getTime();
    if (next === undefined || stopped) return;
    cancel = clock.at(next, () => {
      Promise.resolve()
        .then(() => fn(next))
        .catch((err) => console.error(`scheduled job (${pattern}) failed:`, err))
        .finally(() => arm(Math.max(next, clock.now())));
    });
  };
  arm(clock.now());
  return () => {
    stopped = true;
    cancel?.();
    cron.stop();
  };
}
