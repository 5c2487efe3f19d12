// Oversized bodies against a real server (`deskpulse serve`, default DESKPULSE_MAX_BODY 64 MiB):
// a chunked 1 GiB body to a route with and without a key, and an announced 4 GiB one. Prints
// what was sent before the 413, the time to it and the server's peak RSS, which stays near its
// idle figure because no route buffers past its limit.
// Usage: node dist/bench/body-limit.js [--gib 1]
import { request } from "node:http";
import { startTestServer } from "../test/helpers/server.js";
import { fmt, numberFlag, peakRssOfPid } from "./util.js";

const gib = numberFlag("gib", 1);
const s = await startTestServer();

function push(path: string, total: number, announce?: number): Promise<{ status: number | string; sent: number; ms: number }> {
  const url = new URL(path, s.url);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = false;
    const headers: Record<string, string> = { authorization: `Bearer ${s.adminKey}`, "content-type": "application/json" };
    if (announce !== undefined) headers["content-length"] = String(announce);
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers }, (res) => {
      done = true;
      res.resume();
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, sent, ms: performance.now() - t0 });
      });
    });
    // The server closes the connection after its 413; a client still writing may see that first.
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (done) return;
      if (e.code === "EPIPE" || e.code === "ECONNRESET") resolve({ status: `closed (${e.code})`, sent, ms: performance.now() - t0 });
      else reject(e);
    });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}

try {
  const idle = peakRssOfPid(s.proc.pid!);
  for (const path of ["/api/v1/webhooks/zendesk", "/api/v1/events", "/api/v1/metrics", "/api/v1/session"]) {
    const r = await push(path, gib * 1024 ** 3);
    console.log(`chunked ${gib} GiB to ${path}: ${r.status} after ${fmt(r.sent / 1024 / 1024)} MiB sent, ${fmt(r.ms)} ms`);
  }
  const a = await push("/api/v1/session", 0, 4 * 1024 ** 3);
  console.log(`announced 4 GiB to /api/v1/session: ${a.status} after ${a.sent} bytes, ${fmt(a.ms)} ms`);
  console.log(
    `server peak RSS: ${idle} MB idle → ${peakRssOfPid(s.proc.pid!)} MB after all of the above; health ${(await fetch(`${s.url}/api/v1/health`)).status}`,
  );
} finally {
  await s.stop();
}
