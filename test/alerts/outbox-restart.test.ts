import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ManualClock } from "../../src/alerts/clock.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { startReceiver } from "./receivers.js";

const T0 = Date.UTC(2026, 2, 2, 9, 0);
const SECRET = "a-long-shared-secret";

/** A runtime on the store file at `path` whose alerts (and so the outbox's retries) have started, as the server starts them. */
async function start(path: string, clock: ManualClock): Promise<Runtime> {
  const rt = new Runtime(await openDuckDbStore({ path }), { clock });
  await rt.startAlerts();
  return rt;
}

const waiting = async (rt: Runtime) =>
  (await rt.store.query<{ id: string; attempts: number; next_at: number }>("SELECT id, attempts, next_at FROM outbox")).map((r) => ({ ...r }));

describe("webhook retries survive a restart", () => {
  const dir = mkdtempSync(join(tmpdir(), "dp-outbox-"));
  const closers: (() => unknown)[] = [];
  after(async () => {
    for (const c of closers) await c();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a restarted runtime retries with the attempts left and dead-letters after the sixth", async () => {
    const rx = await startReceiver(SECRET, () => 503);
    closers.push(rx.close);
    const path = join(dir, "dead.duckdb");
    const clock = new ManualClock(T0);
    let rt = await start(path, clock);
    const id = rt.outbox.enqueueWebhook("w", rx.url, { rule_id: "r1", state: "firing" }, { secret: SECRET, origin: "alert:r1" });
    await rt.outbox.idle();
    // attempt 1 at T0 failed; attempt 2 after the first back-off of 1 s failed too
    await clock.advance(1000, () => rt.outbox.idle());
    assert.equal(rx.got.length, 2);
    // waiting in the store for attempt 3, due 2 s after attempt 2
    assert.deepEqual(await waiting(rt), [{ id, attempts: 2, next_at: T0 + 3000 }]);
    await rt.close();

    // the restart: nothing in memory survives, the store file does
    await clock.advance(500);
    rt = await start(path, clock);
    closers.push(() => rt.close());
    assert.equal(rt.outbox.pending(), 1);
    // attempts 3…6 at T0 + 3 s, + 4 s more (7 s), + 8 s (15 s), + 16 s (31 s); none before its time
    await clock.advanceTo(T0 + 2999, () => rt.outbox.idle());
    assert.equal(rx.got.length, 2, "no retry before its due time");
    await clock.advanceTo(T0 + 60_000, () => rt.outbox.idle());
    assert.equal(rx.got.length, 6, "six attempts in all: two before the restart, four after");
    const ids = rx.got.map((r) => r.headers["x-deskpulse-delivery"]);
    assert.deepEqual(new Set(ids), new Set([id]), "one delivery id on every attempt, across the restart");
    for (const r of rx.got) {
      assert.ok(r.signed, "signed after the restart too (the secret was kept)");
      assert.deepEqual(r.json, { rule_id: "r1", state: "firing" });
    }
    const dead = await rt.outbox.deadLetters("w");
    assert.deepEqual(
      dead.map((d) => [d.id, d.origin, d.attempts, d.last_error?.slice(0, 8), d.failed_at]),
      [[id, "alert:r1", 6, "HTTP 503", T0 + 31_000]],
    );
    assert.equal(JSON.stringify(dead).includes(SECRET), false, "dead letters never show the secret");
    assert.deepEqual(await waiting(rt), [], "the dead delivery left the queue");
    assert.equal(rt.outbox.pending(), 0);
  });

  it("a retry that succeeds after the restart leaves nothing behind; a CLI one-shot does not send", async () => {
    // fails twice, then accepts
    const rx = await startReceiver(SECRET, (n) => (n <= 2 ? 503 : 204));
    closers.push(rx.close);
    const path = join(dir, "sent.duckdb");
    const clock = new ManualClock(T0);
    let rt = await start(path, clock);
    const id = rt.outbox.enqueueWebhook("w", rx.url, { n: 1 }, { secret: SECRET, origin: "report:weekly" });
    await rt.outbox.idle();
    await clock.advance(1000, () => rt.outbox.idle());
    assert.equal(rx.got.length, 2);
    await rt.close();

    // a runtime that never starts sending (the CLI's) leaves the queue alone
    const cli = new Runtime(await openDuckDbStore({ path }), { clock });
    await clock.advance(10_000, () => cli.outbox.idle());
    assert.equal(rx.got.length, 2);
    assert.deepEqual(await waiting(cli), [{ id, attempts: 2, next_at: T0 + 3000 }]);
    await cli.close();

    rt = await start(path, clock);
    closers.push(() => rt.close());
    // overdue by now: sent at once
    await clock.advance(0, () => rt.outbox.idle());
    assert.equal(rx.got.length, 3);
    assert.equal(rx.got[2].headers["x-deskpulse-delivery"], id);
    assert.deepEqual(await waiting(rt), []);
    assert.deepEqual(await rt.outbox.deadLetters("w"), []);
    assert.equal(rt.outbox.pending(), 0);
  });
});
