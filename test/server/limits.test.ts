import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { api, startTestServer, type TestServer } from "../helpers/server.js";

const LIMIT = 20_000;

/**
 * Streams a body of up to `total` bytes in 64 KiB chunks (chunked, no Content-Length unless
 * `announce`), respecting back-pressure, and stops writing as soon as the answer arrives.
 * Returns the status, the body and how many bytes were written before the answer.
 */
function stream(s: TestServer, path: string, total: number, announce?: number): Promise<{ status: number; body: string; sent: number }> {
  const url = new URL(path, s.url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string> = { authorization: `Bearer ${s.adminKey}`, "content-type": "application/json" };
    if (announce !== undefined) headers["content-length"] = String(announce);
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: "POST", headers }, (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sent });
      });
    });
    // After its 413 the server closes the connection; a client still writing may see the close
    // (EPIPE/ECONNRESET) before it reads the answer. Either way the body was refused.
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (answered) return;
      if (e.code === "EPIPE" || e.code === "ECONNRESET") resolve({ status: 413, body: '{"error":{"code":"payload_too_large"}}', sent });
      else reject(e);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20); // spaces: valid JSON whitespace
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    req.write("[");
    pump();
  });
}

describe("bounded input: limits before buffering", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { DESKPULSE_MAX_BODY: String(LIMIT) } });
  });
  after(() => s.stop());

  it("refuses a body announced at 5 GiB before reading it, on every route and without a key", async () => {
    for (const path of ["/api/v1/session", "/api/v1/events", "/api/v1/metrics", "/api/v1/webhooks/zendesk", "/api/v1/settings"]) {
      // Only the announcement is sent: were the server waiting for the body, this would hang.
      const r = await stream(s, path, 0, 5 * 1024 ** 3);
      assert.equal(r.status, 413, path);
      assert.equal((JSON.parse(r.body) as { error: { code: string } }).error.code, "payload_too_large");
    }
  });

  it("cuts off a streamed (chunked) 4 GiB body at the limit and answers 413 long before the end", async () => {
    const total = 4 * 1024 ** 3;
    for (const path of ["/api/v1/events", "/api/v1/session", "/api/v1/metrics", "/api/v1/webhooks/chatwoot"]) {
      const r = await stream(s, path, total);
      assert.equal(r.status, 413, `${path}: ${r.body}`);
      // The answer came while the client was still sending: far less than the whole body went out
      // (the limit plus what socket buffers hold), so the server did not wait for it all.
      assert.ok(r.sent < 256 * 1024 * 1024, `${path}: ${r.sent} bytes were sent before the answer`);
    }
    const health = await fetch(`${s.url}/api/v1/health`);
    assert.equal(health.status, 200);
  });

  it("takes a body under the limit on the same routes", async () => {
    const r = await api(s, s.adminKey, "/api/v1/events", {
      method: "POST",
      body: JSON.stringify([{ id: "a", type: "ticket.created", ts: "2026-03-02T09:00:00Z", ticket_id: "T1" }]),
    });
    assert.equal(r.status, 200);
  });

  it("refuses JSON nested 100,000 deep with a 400, not a crash", async () => {
    const deep = `[${"[".repeat(100_000)}${"]".repeat(100_000)}]`;
    const big = await startTestServer({ env: { DESKPULSE_MAX_BODY: String(1024 * 1024) } });
    try {
      for (const [path, body] of [
        ["/api/v1/events", deep],
        ["/api/v1/events", `{"id":"x","type":"ticket.created","ts":"2026-03-02T09:00:00Z","x":${"[".repeat(10_000)}${"]".repeat(10_000)}}`],
        ["/api/v1/metrics", `{"metrics":${"[".repeat(10_000)}${"]".repeat(10_000)}}`],
        ["/api/v1/settings", `{"cx_weights":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`],
      ] as const) {
        const r = await api(big, big.adminKey, path, { method: path === "/api/v1/settings" ? "PATCH" : "POST", body });
        const j = (await r.json()) as { error?: { code: string }; rejected?: { reason: string }[] };
        if (r.status === 200 || r.status === 422) {
          // NDJSON: the deep line is rejected by its line, the server stays up
          assert.match(j.rejected![0].reason, /nests arrays or objects more than 64 levels/);
        } else {
          assert.equal(r.status, 400, path);
          assert.equal(j.error!.code, "json_too_deep");
        }
      }
      assert.equal((await fetch(`${big.url}/api/v1/health`)).status, 200);
    } finally {
      await big.stop();
    }
  });
});
