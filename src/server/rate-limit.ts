import { UserError } from "../errors/user-error.js";

/**
 * A token bucket per key (or per address for sign-in attempts): `perMinute` requests a minute
 * on average, up to `perMinute` in a burst. Past it a request is answered 429 with Retry-After.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(readonly perMinute: number) {}

  /** Takes one request's token for `who`, or throws 429 saying when to try again. */
  take(who: string, now = Date.now()): void {
    if (!(this.perMinute > 0)) return;
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(who) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(who, b);
      const retry = Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
      throw new UserError(
        "rate_limited",
        `too many requests with this key: the limit is ${this.perMinute} a minute (DESKPULSE_RATE_LIMIT); try again in ${retry} s`,
        429,
        {
          retry_after_s: retry,
        },
      );
    }
    b.tokens -= 1;
    if (this.buckets.size > 50_000) this.prune(now);
    this.buckets.set(who, b);
  }

  /** Drops buckets that have refilled: they hold nothing a new bucket would not. */
  private prune(now: number): void {
    const rate = this.perMinute / 60_000;
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= this.perMinute) this.buckets.delete(k);
  }
}
