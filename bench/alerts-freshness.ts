// Freshness of alerts: from POSTing the event that makes a rule true to the signed webhook
// arriving at a local receiver (HTTP ingest → projection → rule evaluation on the live state →
// outbox → POST). Usage: node dist/bench/alerts-freshness.js [--tickets 20000] [--events 200]
import { createServer } from "node:http";
import { verify } from "../src/notify/signature.js";
import { startTestServer } from "../test/helpers/server.js";
import { fmt, numberFlag } from "./util.js";

const tickets = numberFlag("tickets", 20_000);
const events = numberFlag("events", 200);
const secret = "bench-secret-123";
const arrived = new Map<string, number>();
let badSignatures = 0;
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    if (!verify(secret, body, req.headers["x-deskpulse-signature"] as string)) badSignatures++;
    const j = JSON.parse(body) as { ticket_id: string; state: string };
    if (j.state === "firing") arrived.set(j.ticket_id, performance.now());
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
const s = await startTestServer({ demoTickets: tickets });
const post = (path: string, body: unknown) =>
  fetch(`${s.url}${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { authorization: `Bearer ${s.adminKey}`, "content-type": "application/json" },
  });
try {
  // The demo's own open tickets are evaluated too (the rule watches only its channel), so every batch pays for the whole live state.
  await post("/api/v1/alert-rules", {
    name: "bench",
    condition: { kind: "unassigned", longer_than_minutes: 10 },
    filters: { channel: ["bench"] },
    destinations: [{ type: "webhook", url, secret }],
  });
  const lat: number[] = [];
  for (let i = 0; i < events; i++) {
    const id = `FRESH-${i}`;
    const t0 = performance.now();
    await post("/api/v1/events", [
      { id: `fresh-${i}`, type: "ticket.created", ts: new Date(Date.now() - 15 * 60_000).toISOString(), ticket_id: id, channel: "bench" },
    ]);
    while (!arrived.has(id)) {
      if (performance.now() - t0 > 30_000) throw new Error(`no webhook for ${id} within 30 s`);
      await new Promise((r) => setTimeout(r, 1));
    }
    lat.push(arrived.get(id)! - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  const first = lat[0];
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.ceil(p * lat.length) - 1)];
  console.log(
    `alert freshness, event POSTed → signed webhook received (${fmt(events)} events, ${fmt(tickets)} demo tickets in the store): p50 ${q(0.5).toFixed(0)} ms, p99 ${q(0.99).toFixed(0)} ms, max ${lat.at(-1)!.toFixed(0)} ms (first event ${first.toFixed(0)} ms: it loads the open tickets); bad signatures ${badSignatures}`,
  );
} finally {
  await s.stop();
  receiver.close();
}
