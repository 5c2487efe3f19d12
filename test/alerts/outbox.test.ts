import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ManualClock } from "../../src/alerts/clock.js";
import { createMailer } from "../../src/notify/mailer.js";
import { Outbox } from "../../src/notify/outbox.js";
import { sign, verify } from "../../src/notify/signature.js";
import { startReceiver, startSmtp } from "./receivers.js";

describe("outbox", () => {
  const closers: (() => unknown)[] = [];
  after(async () => {
    for (const c of closers) await c();
  });

  it("signs the body with HMAC-SHA256 and retries with back-off until the receiver accepts", async () => {
    // The receiver fails twice (503) and then accepts: three attempts, at t, t+1 s, t+1 s+2 s.
    const rx = await startReceiver("s3cret-value", (n) => (n <= 2 ? 503 : 204));
    closers.push(rx.close);
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
    const outbox = new Outbox({ clock });
    closers.push(() => outbox.close());
    const attempts: number[] = [];
    outbox.onAttempt((d) => attempts.push(clock.now() - d.created_at));
    const id = outbox.enqueueWebhook("w", rx.url, { rule_id: "r1", state: "firing" }, { secret: "s3cret-value", origin: "test" });
    await outbox.idle();
    assert.equal(rx.got.length, 1);
    assert.equal(outbox.pending(), 1);
    await clock.advance(999, () => outbox.idle());
    assert.equal(rx.got.length, 1, "no retry before the first back-off of 1 s");
    await clock.advance(1, () => outbox.idle());
    assert.equal(rx.got.length, 2);
    await clock.advance(2000, () => outbox.idle());
    assert.equal(rx.got.length, 3);
    assert.deepEqual(attempts, [0, 1000, 3000]);
    assert.equal(outbox.pending(), 0);
    for (const r of rx.got) {
      assert.ok(r.signed, "every attempt carries a valid signature");
      assert.equal(r.headers["x-deskpulse-delivery"], id, "the same delivery id on every retry");
      assert.deepEqual(r.json, { rule_id: "r1", state: "firing" });
    }
    assert.deepEqual(await outbox.deadLetters("w"), []);
  });

  it("dead-letters after the last attempt, and at once on a 4xx that retrying cannot fix", async () => {
    const down = await startReceiver(null, () => 500);
    const refuses = await startReceiver(null, () => 410);
    closers.push(down.close, refuses.close);
    const clock = new ManualClock(0);
    const outbox = new Outbox({ clock, maxAttempts: 3 });
    closers.push(() => outbox.close());
    outbox.enqueueWebhook("w", down.url, { a: 1 }, { origin: "alert:r1" });
    outbox.enqueueWebhook("w", refuses.url, { b: 2 }, { origin: "alert:r2" });
    await outbox.idle();
    await clock.advance(60_000, () => outbox.idle());
    assert.equal(down.got.length, 3);
    assert.equal(refuses.got.length, 1);
    const dead = await outbox.deadLetters("w");
    assert.deepEqual(dead.map((d) => [d.origin, d.attempts, d.last_error?.slice(0, 8)]).sort(), [
      ["alert:r1", 3, "HTTP 500"],
      ["alert:r2", 1, "HTTP 410"],
    ]);
    assert.deepEqual(await outbox.deadLetters("other"), [], "dead letters are per workspace");
  });

  it("sends mail through the SMTP mailer to a real SMTP server", async () => {
    const smtp = await startSmtp();
    closers.push(smtp.close);
    const outbox = new Outbox({ mailer: createMailer(smtp.url) });
    closers.push(() => outbox.close());
    outbox.enqueueMail("w", { to: "lead@example.com", subject: "Hello", text: "Body text", attachments: [{ filename: "a.csv", content: "x,y\n1,2\n" }] });
    await smtp.waitFor(1);
    assert.deepEqual(smtp.mails[0].to, ["lead@example.com"]);
    assert.equal(smtp.mails[0].from, "kpi@deskpulse.test");
    assert.match(smtp.mails[0].raw, /Subject: Hello/);
    assert.match(smtp.mails[0].raw, /filename=a\.csv/);
  });

  it("verify() accepts exactly the signature sign() made", () => {
    const s = sign("k", "{}");
    assert.equal(s, "sha256=add853b103fbcc936a194f9eb15e29c4ff08af6e47d5d1bca4f20218e31e4fff");
    assert.ok(verify("k", "{}", s));
    assert.ok(!verify("k", "{ }", s));
    assert.ok(!verify("other", "{}", s));
    assert.ok(!verify("k", "{}", undefined));
  });
});
