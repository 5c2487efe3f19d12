import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { RateLimiter } from "../../src/server/rate-limit.js";
import { Sessions } from "../../src/server/sessions.js";

describe("rate limiter (token bucket per key)", () => {
  it("lets through at most the burst plus what refilled, for any arrival pattern (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 400 }), (perMinute, gaps) => {
        const rl = new RateLimiter(perMinute);
        let now = 1_000_000;
        let accepted = 0;
        for (const g of gaps) {
          now += g;
          try {
            rl.take("k", now);
            accepted++;
          } catch (e) {
            const err = e as { status: number; details: { retry_after_s: number } };
            assert.equal(err.status, 429);
            // never asks to wait longer than one token takes to come back
            assert.ok(err.details.retry_after_s >= 1 && err.details.retry_after_s <= Math.ceil(60 / perMinute) + 1);
          }
        }
        const elapsed = now - 1_000_000;
        assert.ok(accepted <= perMinute + Math.floor((elapsed * perMinute) / 60_000) + 1, `${accepted} accepted`);
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it("refills: 5 a minute is 5 at once, then one every 12 s; keys are separate", () => {
    const rl = new RateLimiter(5);
    for (let i = 0; i < 5; i++) rl.take("a", 0);
    assert.throws(() => rl.take("a", 0), /try again in 12 s/);
    rl.take("b", 0);
    assert.throws(() => rl.take("a", 11_999));
    rl.take("a", 12_000);
  });
});

describe("sessions", () => {
  const caller = { workspace: "w", scopes: ["read" as const], key_id: "0123456789abcdef" };
  it("expire, end on sign-out and when their key is revoked", async () => {
    const s = new Sessions(20);
    const a = s.open(caller);
    assert.match(a.id, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(s.get(a.id), caller);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(s.get(a.id), null);
    const long = new Sessions(60_000);
    const b = long.open(caller);
    const c = long.open({ ...caller, key_id: "ffffffffffffffff" });
    long.closeKey("w", "0123456789abcdef");
    assert.equal(long.get(b.id), null);
    assert.deepEqual(long.get(c.id)?.key_id, "ffffffffffffffff");
    long.close(c.id);
    assert.equal(long.get(c.id), null);
    assert.equal(long.get("made-up"), null);
  });

  it("hold at most their cap, dropping the oldest", () => {
    const s = new Sessions(60_000, 3);
    const ids = [1, 2, 3, 4].map(() => s.open(caller).id);
    assert.equal(s.get(ids[0]), null);
    for (const id of ids.slice(1)) assert.ok(s.get(id));
  });
});
