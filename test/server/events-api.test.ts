import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { api, startTestServer, type TestServer } from "../helpers/server.js";

const T0 = "2026-03-02T09:00:00Z";
const ticket = (id: string, extra: Record<string, unknown> = {}) => ({
  id: `${id}-created`,
  type: "ticket.created",
  ts: T0,
  ticket_id: id,
  channel: "email",
  priority: "normal",
  created_by: "customer",
  ...extra,
});

describe("POST /api/v1/events", () => {
  let s: TestServer & { outputs: string[] };
  let acmeKey = "";
  let readKey = "";
  before(async () => {
    s = await startTestServer({
      env: { DESKPULSE_MAX_BODY: "20000" },
      before: [
        ["keys", "create", "--workspace", "acme", "--scopes", "admin"],
        ["keys", "create", "--scopes", "read"],
      ],
    });
    acmeKey = s.outputs[0].trim();
    readKey = s.outputs[1].trim();
  });
  after(() => s.stop());

  it("stores the valid records and names index, field and reason of each rejected one", async () => {
    const batch = [
      ticket("T1"),
      { id: "bad-1", type: "ticket.created", ticket_id: "T9" }, // no ts
      { id: "m1", type: "message.created", ts: "2026-03-02T09:30:00Z", ticket_id: "T1", author_type: "agent", agent_id: "a1" },
      { id: "bad-2", type: "ticket.exploded", ts: T0, ticket_id: "T1" },
      { id: "s1", type: "ticket.status_changed", ts: "2026-03-02T10:00:00Z", ticket_id: "T1", status: "solved" },
    ];
    const r = await api(s, s.adminKey, "/api/v1/events?wait=projected", { method: "POST", body: JSON.stringify(batch) });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { stored: number; duplicates: number; rejected: { index: number; field: string; reason: string }[] };
    assert.equal(body.stored, 3);
    assert.equal(body.duplicates, 0);
    assert.deepEqual(
      body.rejected.map((x) => [x.index, x.field]),
      [
        [1, "ts"],
        [3, "type"],
      ],
    );
    assert.match(body.rejected[1].reason, /unknown event type "ticket.exploded"/);

    // the same batch again: nothing new is stored, the three are duplicates
    const again = (await (await api(s, s.adminKey, "/api/v1/events", { method: "POST", body: JSON.stringify(batch) })).json()) as {
      stored: number;
      duplicates: number;
    };
    assert.equal(again.stored, 0);
    assert.equal(again.duplicates, 3);

    const rej = (await (await api(s, s.adminKey, "/api/v1/rejected")).json()) as { total: number; items: { field: string; record: string }[] };
    assert.equal(rej.total, 4); // two rejections per attempt, kept verbatim
    assert.ok(rej.items.some((i) => i.field === "ts" && JSON.parse(i.record).id === "bad-1"));
  });

  it("takes NDJSON (gzip too) and reports a bad line by its line index", async () => {
    const nd = [JSON.stringify(ticket("T2")), "{not json", JSON.stringify(ticket("T3"))].join("\n");
    const r = await api(s, s.adminKey, "/api/v1/events", {
      method: "POST",
      body: gzipSync(nd),
      headers: { "content-type": "application/x-ndjson", "content-encoding": "gzip" },
    });
    const body = (await r.json()) as { stored: number; rejected: { index: number; reason: string }[] };
    assert.equal(body.stored, 2);
    assert.equal(body.rejected.length, 1);
    assert.equal(body.rejected[0].index, 1);
    assert.match(body.rejected[0].reason, /line 2 is not valid JSON/);
  });

  it("answers errors in one JSON shape: missing key 401, wrong scope 403, too large 413", async () => {
    const noKey = await fetch(`${s.url}/api/v1/events`, { method: "POST", body: "[]" });
    assert.equal(noKey.status, 401);
    assert.equal(((await noKey.json()) as { error: { code: string } }).error.code, "unauthorized");
    const ro = await api(s, readKey, "/api/v1/events", { method: "POST", body: JSON.stringify([ticket("T4")]) });
    assert.equal(ro.status, 403);
    assert.equal(((await ro.json()) as { error: { code: string } }).error.code, "forbidden");
    const big = await api(s, s.adminKey, "/api/v1/events", { method: "POST", body: JSON.stringify([ticket("T5", { subject: "x".repeat(30_000) })]) });
    assert.equal(big.status, 413);
    assert.equal(((await big.json()) as { error: { code: string } }).error.code, "payload_too_large");
  });

  it("never shows one workspace another's data", async () => {
    await api(s, acmeKey, "/api/v1/events?wait=projected", { method: "POST", body: JSON.stringify([ticket("A1"), { id: "x", type: "nope", ts: T0 }]) });
    const liveDefault = (await (await api(s, s.adminKey, "/api/v1/live")).json()) as { open: number };
    const liveAcme = (await (await api(s, acmeKey, "/api/v1/live")).json()) as { open: number };
    // default: T2, T3 open (T1 solved); acme: A1
    assert.equal(liveDefault.open, 2);
    assert.equal(liveAcme.open, 1);
    const rejAcme = (await (await api(s, acmeKey, "/api/v1/rejected")).json()) as { total: number };
    assert.equal(rejAcme.total, 1);
    // the same event id in two workspaces is two events, not a duplicate
    const same = (await (await api(s, acmeKey, "/api/v1/events", { method: "POST", body: JSON.stringify([ticket("T1")]) })).json()) as {
      stored: number;
    };
    assert.equal(same.stored, 1);
    const me = (await (await api(s, acmeKey, "/api/v1/me")).json()) as { workspace: string };
    assert.equal(me.workspace, "acme");
  });
});
