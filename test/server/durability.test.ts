import assert from "node:assert/strict";
import { it } from "node:test";
import { api, startTestServer } from "../helpers/server.js";

it("an acknowledged event survives kill -9 of the server", async () => {
  const s = await startTestServer();
  const events = Array.from({ length: 200 }, (_, i) => ({
    id: `k${i}`,
    type: "ticket.created",
    ts: "2026-03-02T09:00:00Z",
    ticket_id: `K${i}`,
    channel: "chat",
  }));
  const r = await api(s, s.adminKey, "/api/v1/events", { method: "POST", body: JSON.stringify(events) });
  assert.equal(((await r.json()) as { stored: number }).stored, 200);
  const exited = new Promise((res) => s.proc.once("exit", res));
  s.proc.kill("SIGKILL");
  await exited;
  const s2 = await startTestServer({ dataDir: s.dataDir });
  try {
    const again = (await (await api(s2, s2.adminKey, "/api/v1/events", { method: "POST", body: JSON.stringify(events) })).json()) as {
      stored: number;
      duplicates: number;
    };
    assert.equal(again.duplicates, 200, "all 200 events were still in the log after kill -9");
    const live = (await (await api(s2, s2.adminKey, "/api/v1/live")).json()) as { open: number };
    assert.equal(live.open, 200);
  } finally {
    await s2.stop();
    await s.stop();
  }
});
