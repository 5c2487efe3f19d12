// Hosted surveys over loopback: invitations created (signed link + survey.sent stored and
// projected), pages rendered, answers posted (survey.responded stored and projected), with a
// demo workspace behind them. Usage: node dist/bench/surveys.js [--surveys 500] [--demo 2000]
import { startTestServer } from "../test/helpers/server.js";
import { fmt, numberFlag } from "./util.js";

const n = numberFlag("surveys", 500);
const demo = numberFlag("demo", 2000);
const s = await startTestServer({ demoTickets: demo });
const headers = { authorization: `Bearer ${s.adminKey}`, "content-type": "application/json" };
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
try {
  const urls: string[] = [];
  const timed = async (f: () => Promise<void>, into: number[]) => {
    const t = performance.now();
    await f();
    into.push(performance.now() - t);
  };
  const inv: number[] = [];
  const get: number[] = [];
  const post: number[] = [];
  for (let i = 0; i < n; i++)
    await timed(async () => {
      const r = await fetch(`${s.url}/api/v1/surveys/invitations`, {
        method: "POST",
        headers,
        body: JSON.stringify({ survey: "csat", ticket_id: `B${i}`, customer_id: `BC${i}`, lang: "fa" }),
      });
      urls.push(((await r.json()) as { url: string }).url);
    }, inv);
  for (const u of urls) await timed(async () => void (await (await fetch(u)).text()), get);
  for (const [i, u] of urls.entries())
    await timed(async () => {
      const r = await fetch(u, { method: "POST", body: new URLSearchParams({ score: String((i % 5) + 1) }), redirect: "manual" });
      if (r.status !== 303) throw new Error(`answer ${i}: ${r.status}`);
    }, post);
  const line = (name: string, xs: number[]) =>
    `${name}: p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms (${fmt(1000 / (xs.reduce((a, b) => a + b, 0) / xs.length))}/s one at a time)`;
  console.log(`hosted surveys, ${fmt(n)} each, one connection, demo workspace of ${fmt(demo)} tickets:`);
  console.log(`  ${line("POST /surveys/invitations", inv)}`);
  console.log(`  ${line("GET /s/<link> (page)", get)}`);
  console.log(`  ${line("POST /s/<link> (answer stored + projected)", post)}`);
} finally {
  await s.stop();
}
