import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { contentId, parseWebhook, verifySignature } from "../../src/ingest/webhooks.js";
import { api, startTestServer, type TestServer } from "../helpers/server.js";

const SECRET = "zd-shared-secret-123";
const zdSign = (ts: string, body: string) =>
  createHmac("sha256", SECRET)
    .update(ts + body)
    .digest("base64");
type Counts = { stored: number; duplicates: number; rejected: { reason: string }[]; error?: { code: string; message: string } };
/** A replay is never stored again: a duplicate, or — when the payload carries no time, so the copy got a later one — a conflict kept beside the rejected records. */
const notStoredAgain = (c: Counts) =>
  c.stored === 0 && (c.duplicates === 1 || (c.rejected.length === 1 && /^conflict: an event with id "[^"]*-h-[0-9a-f]{32}"/.test(c.rejected[0].reason)));

describe("webhooks: fresh, signed, and idempotent", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
    const r = await api(s, s.adminKey, "/api/v1/settings", {
      method: "PATCH",
      body: JSON.stringify({ webhook_secrets: { zendesk: SECRET, chatwoot: SECRET } }),
    });
    assert.equal(r.status, 200);
  });
  after(() => s.stop());

  const zendesk = (body: string, ts: string | null, sig = ts === null ? "x" : zdSign(ts, body)) =>
    api(s, s.adminKey, "/api/v1/webhooks/zendesk", {
      method: "POST",
      body,
      headers: { "x-zendesk-webhook-signature": sig, ...(ts === null ? {} : { "x-zendesk-webhook-signature-timestamp": ts }) },
    });
  const statusChange = (ticket: string, status: string) =>
    JSON.stringify({ type: "zen:event-type:ticket.status_changed", detail: { id: ticket }, event: { current: status } });

  it("refuses a correctly signed Zendesk request signed in 2019, or without its timestamp", async () => {
    const body = statusChange("1", "SOLVED");
    const stale = await zendesk(body, "2019-06-01T10:00:00Z");
    assert.equal(stale.status, 401);
    const j = (await stale.json()) as Counts;
    assert.equal(j.error!.code, "stale_webhook");
    assert.match(j.error!.message, /2019-06-01T10:00:00.000Z, more than 300 s from now/);
    const future = await zendesk(body, new Date(Date.now() + 10 * 60_000).toISOString());
    assert.equal(future.status, 401);
    const none = await zendesk(body, null);
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as Counts).error!.code, "bad_signature");
    // a fresh one a minute old is taken
    assert.equal((await zendesk(statusChange("1", "OPEN"), new Date(Date.now() - 60_000).toISOString())).status, 200);
  });

  it("honours a configured window (webhook_tolerance_s)", async () => {
    await api(s, s.adminKey, "/api/v1/settings", { method: "PATCH", body: JSON.stringify({ webhook_tolerance_s: 30 }) });
    const r = await zendesk(statusChange("2", "OPEN"), new Date(Date.now() - 60_000).toISOString());
    assert.equal(r.status, 401);
    assert.match(((await r.json()) as Counts).error!.message, /more than 30 s/);
    await api(s, s.adminKey, "/api/v1/settings", { method: "PATCH", body: JSON.stringify({ webhook_tolerance_s: 300 }) });
  });

  it("a replayed payload without id or time is the same event, not a new one", async () => {
    const body = statusChange("3", "PENDING");
    const first = (await (await zendesk(body, new Date().toISOString())).json()) as Counts;
    assert.deepEqual([first.stored, first.duplicates], [1, 0]);
    // replayed later (re-signed inside the window, as a captured-and-resent delivery would be): a duplicate
    await new Promise((r) => setTimeout(r, 20));
    const again = (await (await zendesk(body, new Date().toISOString())).json()) as Counts;
    assert.ok(notStoredAgain(again), JSON.stringify(again));
    // with the payload's own id and time, a replay is a plain duplicate
    const own = JSON.stringify({
      id: "zd-evt-9",
      time: "2026-03-02T10:00:00Z",
      type: "zen:event-type:ticket.status_changed",
      detail: { id: "3" },
      event: { current: "OPEN" },
    });
    assert.equal(((await (await zendesk(own, new Date().toISOString())).json()) as Counts).stored, 1);
    assert.deepEqual((await (await zendesk(own, new Date().toISOString())).json()) as Counts, { stored: 0, duplicates: 1, rejected: [] });
    // a different change of the same ticket is a different event
    const other = (await (await zendesk(statusChange("3", "SOLVED"), new Date().toISOString())).json()) as Counts;
    assert.equal(other.stored, 1);

    // Chatwoot status change without updated_at: replays collapse, different changes do not
    const cw = (b: unknown) => {
      const body = JSON.stringify(b);
      const sig = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
      return api(s, s.adminKey, "/api/v1/webhooks/chatwoot", { method: "POST", body, headers: { "x-deskpulse-signature": sig } });
    };
    await cw({ event: "conversation_created", id: 70, created_at: 1772442000, meta: { sender: { id: 1 } } });
    const st = { event: "conversation_status_changed", id: 70, status: "resolved" };
    assert.equal(((await (await cw(st)).json()) as Counts).stored, 1);
    const cwAgain = (await (await cw(st)).json()) as Counts;
    assert.ok(notStoredAgain(cwAgain), JSON.stringify(cwAgain));
  });

  it("the generic signature with X-Deskpulse-Timestamp is refused when stale", async () => {
    const body = JSON.stringify({ event: "conversation_status_changed", id: 71, status: "open" });
    const send = (ts: number) =>
      api(s, s.adminKey, "/api/v1/webhooks/chatwoot", {
        method: "POST",
        body,
        headers: {
          "x-deskpulse-timestamp": String(ts),
          "x-deskpulse-signature": `sha256=${createHmac("sha256", SECRET).update(`${ts}.${body}`).digest("hex")}`,
        },
      });
    assert.equal((await send(Math.floor(Date.now() / 1000) - 3600)).status, 401);
    assert.equal((await send(Math.floor(Date.now() / 1000))).status, 200);
  });

  it("HubSpot events without eventId are kept apart", async () => {
    const batch = [
      { subscriptionType: "ticket.creation", objectId: 501, occurredAt: 1772442000000 },
      { subscriptionType: "ticket.creation", objectId: 502, occurredAt: 1772442000000 },
      { subscriptionType: "ticket.propertyChange", objectId: 501, propertyName: "hs_pipeline_stage", propertyValue: "4", occurredAt: 1772445600000 },
    ];
    const r = (await (await api(s, s.adminKey, "/api/v1/webhooks/hubspot", { method: "POST", body: JSON.stringify(batch) })).json()) as Counts;
    assert.deepEqual([r.stored, r.duplicates], [3, 0]);
    const replay = (await (await api(s, s.adminKey, "/api/v1/webhooks/hubspot", { method: "POST", body: JSON.stringify(batch) })).json()) as Counts;
    assert.deepEqual([replay.stored, replay.duplicates], [0, 3]);
    const t = (await (await api(s, s.adminKey, "/api/v1/tickets/hs-501")).json()) as { ticket: { status: string } };
    assert.equal(t.ticket.status, "closed");
    assert.equal((await api(s, s.adminKey, "/api/v1/tickets/hs-502")).status, 200);
  });

  it("a payload of an unexpected shape is a 4xx", async () => {
    for (const [vendor, body] of [
      ["zendesk", "[]"],
      ["hubspot", '"x"'],
      ["intercom", "null"],
      ["freshdesk", "[1,2]"],
    ] as const) {
      const r = await api(s, s.adminKey, `/api/v1/webhooks/${vendor}`, { method: "POST", body });
      assert.ok(r.status >= 200 && r.status < 500, `${vendor}: ${r.status}`);
    }
  });
});

describe("webhook ids and signatures (unit)", () => {
  it("derives ids from the payload's own ids, else from its content — never from the clock", () => {
    const h = new Headers();
    const check = { secret: undefined, toleranceS: 300 };
    const a = parseWebhook("hubspot", h, JSON.stringify([{ subscriptionType: "ticket.creation", objectId: 1, occurredAt: 1 }]), check);
    const b = parseWebhook("hubspot", h, JSON.stringify([{ subscriptionType: "ticket.creation", objectId: 1, occurredAt: 1 }]), check);
    const c = parseWebhook("hubspot", h, JSON.stringify([{ subscriptionType: "ticket.creation", objectId: 2, occurredAt: 1 }]), check);
    assert.equal(a[0].id, b[0].id);
    assert.notEqual(a[0].id, c[0].id);
    assert.equal(parseWebhook("hubspot", h, JSON.stringify([{ eventId: 77, subscriptionType: "ticket.creation", objectId: 1 }]), check)[0].id, "hs-wh-77");
    assert.equal(contentId("x-", { a: 1 }), `x-h-${"015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862".slice(0, 32)}`);
  });

  it("checks HubSpot v3 signatures over method, URL, body and a fresh timestamp", () => {
    const secret = "hubspot-secret-1";
    const body = "[]";
    const url = "https://desk.example/api/v1/webhooks/hubspot";
    const now = 1_780_000_000_000;
    const sign = (ts: number) => createHmac("sha256", secret).update(`POST${url}${body}${ts}`).digest("base64");
    const headers = (ts: number, sig = sign(ts)) => new Headers({ "x-hubspot-signature-v3": sig, "x-hubspot-request-timestamp": String(ts) });
    verifySignature("hubspot", headers(now - 1000), body, { secret, toleranceS: 300, method: "POST", url, now });
    assert.throws(
      () => verifySignature("hubspot", headers(now - 301_000), body, { secret, toleranceS: 300, method: "POST", url, now }),
      /stale|more than 300 s/,
    );
    assert.throws(() => verifySignature("hubspot", headers(now, "AAAA"), body, { secret, toleranceS: 300, method: "POST", url, now }), /does not match/);
  });
});
