import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { api, startTestServer, type TestServer } from "../helpers/server.js";

/** Reads server-sent events from a streaming response, one `data:` payload at a time. */
async function* sseEvents(res: Response): AsyncGenerator<{ event: string; data: string }> {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += dec.decode(value, { stream: true });
    let i = buf.indexOf("\n\n");
    while (i >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? "message";
      const data = block
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart())
        .join("\n");
      if (data) yield { event, data };
      i = buf.indexOf("\n\n");
    }
  }
}

describe("live snapshot and settings", () => {
  let s: TestServer & { outputs: string[] };
  let readKey = "";
  before(async () => {
    s = await startTestServer({ before: [["keys", "create", "--scopes", "read"]] });
    readKey = s.outputs[0].trim();
  });
  after(() => s.stop());

  it("pushes a new snapshot over SSE after an ingested batch", async () => {
    const ac = new AbortController();
    const res = await api(s, s.adminKey, "/api/v1/live/stream", { signal: ac.signal });
    assert.equal(res.headers.get("content-type")?.split(";")[0], "text/event-stream");
    const events = sseEvents(res);
    const first = JSON.parse((await events.next()).value!.data) as { open: number; unassigned: number; waiting: number };
    assert.equal(first.open, 0);
    await api(s, s.adminKey, "/api/v1/events", {
      method: "POST",
      body: JSON.stringify([
        { id: "c1", type: "ticket.created", ts: new Date(Date.now() - 60_000).toISOString(), ticket_id: "L1", channel: "chat", created_by: "customer" },
        { id: "c2", type: "ticket.created", ts: new Date(Date.now() - 30_000).toISOString(), ticket_id: "L2", channel: "chat", created_by: "customer" },
        { id: "a2", type: "ticket.assigned", ts: new Date(Date.now() - 20_000).toISOString(), ticket_id: "L2", agent_id: "ana" },
      ]),
    });
    const next = JSON.parse((await events.next()).value!.data) as {
      open: number;
      unassigned: number;
      waiting: number;
      longest_wait_s: number;
      agents: { agent_id: string; open_tickets: number }[];
    };
    ac.abort();
    // two open tickets, both waiting for a first reply; L1 is unassigned and has waited ~60 s
    assert.equal(next.open, 2);
    assert.equal(next.unassigned, 1);
    assert.equal(next.waiting, 2);
    assert.ok(next.longest_wait_s >= 59 && next.longest_wait_s < 120, `longest wait ${next.longest_wait_s}`);
    assert.deepEqual(
      next.agents.map((a) => [a.agent_id, a.open_tickets]),
      [["ana", 1]],
    );
  });

  it("lets an admin change targets and refuses a read-only key", async () => {
    const denied = await api(s, readKey, "/api/v1/settings", { method: "PATCH", body: JSON.stringify({ targets: { csat: 90 } }) });
    assert.equal(denied.status, 403);
    const ok = await api(s, s.adminKey, "/api/v1/settings", { method: "PATCH", body: JSON.stringify({ targets: { csat: 90 } }) });
    assert.equal(ok.status, 200);
    await api(s, s.adminKey, "/api/v1/settings", { method: "PATCH", body: JSON.stringify({ targets: { nps: 40 } }) });
    const got = (await (await api(s, readKey, "/api/v1/settings")).json()) as { targets: Record<string, number> };
    assert.deepEqual(got.targets, { csat: 90, nps: 40 });
    const bad = await api(s, s.adminKey, "/api/v1/settings", { method: "PATCH", body: JSON.stringify({ colour: "blue" }) });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, "invalid_settings");
  });
});
