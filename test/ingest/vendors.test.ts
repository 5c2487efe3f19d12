import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { defaultSettings } from "../../src/config/settings.js";
import type { DeskEvent } from "../../src/events/types.js";
import { validateEvent } from "../../src/events/validate.js";
import { type ImportItem, type ImportOptions, openImport } from "../../src/ingest/source.js";
import { zendeskMetrics } from "../../src/ingest/vendors/zendesk.js";
import { project } from "../../src/projector/index.js";
import type { Row } from "../../src/store/schema.js";
import { api, ROOT, startTestServer, type TestServer } from "../helpers/server.js";

const FIX = join(ROOT, "test", "fixtures", "ingest");
const ctx = { workspace: "w", settings: defaultSettings(), segmentOf: () => undefined, ticketOf: () => undefined, maxValidTs: Date.parse("2027-01-01") };

async function facts(file: string, opts: ImportOptions) {
  const events: DeskEvent[] = [];
  for await (const it of (await openImport(join(FIX, file), opts)).items as AsyncIterable<ImportItem>) {
    assert.equal(it.kind, "record", JSON.stringify(it));
    if (it.kind !== "record") continue;
    const v = validateEvent(it.record, it.position);
    assert.ok(v.ok, JSON.stringify(v));
    if (v.ok) events.push(v.event);
  }
  return project(events, ctx);
}
const byId = (rows: Row[], id: string) => rows.find((r) => r.ticket_id === id)!;

describe("vendor exports", () => {
  it("Zendesk: our first reply and full resolution equal its ticket_metrics", async () => {
    const f = await facts("zendesk-export.json", { format: "zendesk" });
    const zd = zendeskMetrics(JSON.parse(readFileSync(join(FIX, "zendesk-export.json"), "utf8")));
    for (const [id, m] of zd) {
      const t = byId(f.ticket_facts, id);
      assert.equal((t.frt_s as number) / 60, m.reply_min, `ticket ${id} reply time`);
      assert.equal((t.res_full_s as number) / 60, m.full_resolution_min, `ticket ${id} full resolution`);
      assert.equal(t.reopens, m.reopens);
    }
    const t102 = byId(f.ticket_facts, "102");
    // pending → open is not a reopen; the group change 22 → 23 is one transfer; internal notes are not replies
    assert.deepEqual([t102.transfers, t102.agent_replies, byId(f.ticket_facts, "101").internal_notes], [1, 2, 1]);
  });

  it("Freshdesk: conversations (private notes excluded), numeric codes mapped", async () => {
    const t = (await facts("freshdesk-tickets.json", { format: "freshdesk" })).ticket_facts[0];
    // first public agent reply 09:05 (the 09:02 private note does not count); resolved 11:00
    assert.deepEqual([t.channel, t.priority, t.frt_s, t.res_first_s, t.agent_replies, t.internal_notes], ["chat", "high", 300, 7200, 2, 1]);
  });

  it("Intercom: parts become bot, note, assignment, reply and close", async () => {
    const t = (await facts("intercom-conversations.json", { format: "intercom" })).ticket_facts[0];
    // created 09:00:00, bot at +10 s, admin comment at +300 s; closed at +3600 s
    assert.deepEqual([t.frt_s, t.bot_messages, t.internal_notes, t.agent_id, t.res_first_s], [300, 1, 1, "a7", 3600]);
  });

  it("HubSpot: pipeline stages, owner, first agent reply, closed date", async () => {
    const f = await facts("hubspot-tickets.json", { format: "hubspot" });
    const t = byId(f.ticket_facts, "hs-900");
    assert.deepEqual([t.frt_s, t.res_first_s, t.priority, t.status], [2700, 21600, "normal", "closed"]);
    assert.equal(byId(f.ticket_facts, "hs-901").status, "pending");
  });

  it("Chatwoot: incoming/outgoing/template messages, activity skipped, private notes", async () => {
    const t = (await facts("chatwoot-conversations.json", { format: "chatwoot" })).ticket_facts[0];
    // reply by agent 12 at +600 s (the template is the bot, the private message a note)
    assert.deepEqual([t.frt_s, t.bot_messages, t.internal_notes, t.agent_replies, t.status, t.channel], [600, 1, 1, 1, "solved", "webwidget"]);
  });

  it("threaded social replies are rebuilt into conversations from the reply chain", async () => {
    const f = await facts("twitter-threads.csv", { format: "threads" });
    assert.equal(f.ticket_facts.length, 2);
    const t = byId(f.ticket_facts, "thread-1");
    // 22:10:47 → first outbound reply 22:40:47; two customer runs answered
    assert.deepEqual([t.frt_s, t.agent_replies, t.customer_messages], [1800, 2, 2]);
    assert.equal(byId(f.ticket_facts, "thread-5").first_reply_at, null);
  });

  it("a mailbox is threaded by Message-ID, In-Reply-To and References; agents by domain", async () => {
    const f = await facts("support.mbox", { format: "mbox", agents: ["@acme.test"] });
    assert.equal(f.ticket_facts.length, 1);
    const t = f.ticket_facts[0];
    assert.deepEqual([t.ticket_id, t.frt_s, t.agent_replies, t.customer_messages], ["mbox-m1@example.com", 1200, 1, 2]);
  });
});

describe("webhooks", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
    await api(s, s.adminKey, "/api/v1/settings", { method: "PATCH", body: JSON.stringify({ webhook_secrets: { zendesk: "s3cret-s3cret" } }) });
  });
  after(() => s.stop());

  it("verifies the Zendesk signature and stores the ticket", async () => {
    const body = JSON.stringify({
      id: "evt-1",
      type: "zen:event-type:ticket.created",
      time: "2026-03-02T09:00:00Z",
      detail: { id: "555", created_at: "2026-03-02T09:00:00Z", via: { channel: "email" }, priority: "high", requester_id: "1" },
    });
    const ts = new Date().toISOString(); // signed timestamps must be fresh (settings.webhook_tolerance_s)
    const good = createHmac("sha256", "s3cret-s3cret")
      .update(ts + body)
      .digest("base64");
    const ok = await api(s, s.adminKey, "/api/v1/webhooks/zendesk", {
      method: "POST",
      body,
      headers: { "x-zendesk-webhook-signature": good, "x-zendesk-webhook-signature-timestamp": ts },
    });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { stored: number }).stored, 1);
    const bad = await api(s, s.adminKey, "/api/v1/webhooks/zendesk", {
      method: "POST",
      body,
      headers: { "x-zendesk-webhook-signature": "AAAA", "x-zendesk-webhook-signature-timestamp": ts },
    });
    assert.equal(bad.status, 401);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, "bad_signature");
    const t = (await (await api(s, s.adminKey, "/api/v1/tickets/555")).json()) as { ticket: { priority: string; channel: string } };
    assert.deepEqual([t.ticket.priority, t.ticket.channel], ["high", "email"]);
  });

  it("maps Chatwoot message events; unknown vendors are a clear 404", async () => {
    const created = { event: "conversation_created", id: 9, created_at: 1772442000, meta: { sender: { id: 1 } } };
    const msg = {
      event: "message_created",
      id: 77,
      message_type: "outgoing",
      created_at: 1772442300,
      private: false,
      conversation: { id: 9 },
      sender: { id: 4, type: "user" },
    };
    for (const b of [created, msg])
      assert.equal((await api(s, s.adminKey, "/api/v1/webhooks/chatwoot", { method: "POST", body: JSON.stringify(b) })).status, 200);
    const t = (await (await api(s, s.adminKey, "/api/v1/tickets/cw-9")).json()) as { ticket: { frt_s: number; first_reply_agent_id: string } };
    assert.deepEqual([t.ticket.frt_s, t.ticket.first_reply_agent_id], [300, "4"]);
    const nope = await api(s, s.adminKey, "/api/v1/webhooks/acme", { method: "POST", body: "{}" });
    assert.equal(nope.status, 404);
  });
});
