// A longer fuzz run than `npm test`'s: `npm run bench -- fuzz --requests 20000 --seed 1`.
// Throws generated and mutated requests at every route of an in-process server and prints how
// many it sent, the answers by status, the rate, and every 5xx (the test suite fails on any).
import fc from "fast-check";
import { fuzzTarget, requestArb, send } from "../test/server/fuzz-requests.js";
import { fmt, numberFlag, peakRssMb } from "./util.js";

const requests = numberFlag("requests", 20_000);
const seed = numberFlag("seed", 1);
const t = await fuzzTarget();
const samples = fc.sample(requestArb(t), { seed, numRuns: requests });
const statuses = new Map<number, number>();
const failures: string[] = [];
let crashes = 0;
process.on("unhandledRejection", () => crashes++);
const t0 = performance.now();
for (const r of samples) {
  try {
    const res = await send(t, r);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) failures.push(`${r.method} ${r.path} → ${res.status}: ${res.body.slice(0, 200)}`);
  } catch (e) {
    crashes++;
    failures.push(`${r.method} ${r.path} → threw ${(e as Error).message}`);
  }
}
const s = (performance.now() - t0) / 1000;
await t.close();
console.log(
  `routes fuzzed: ${t.routes.length}; requests: ${fmt(requests)} (seed ${seed}) in ${s.toFixed(1)} s, ${fmt(requests / s)} requests/s; peak RSS ${peakRssMb()} MB`,
);
console.log(
  `answers: ${[...statuses]
    .sort((a, b) => a[0] - b[0])
    .map(([k, n]) => `${k}×${fmt(n)}`)
    .join("  ")}`,
);
console.log(`5xx: ${failures.length}; crashes: ${crashes}`);
for (const f of failures.slice(0, 20)) console.log(`  ${f}`);
if (failures.length || crashes) process.exitCode = 1;
