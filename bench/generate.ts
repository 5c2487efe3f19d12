// Events per second of the demo generator, nothing stored (`npm run bench -- generate [--tickets N]`).
import { generateDemo } from "../src/demo/generate.js";
import { fmt, numberFlag, peakRssMb } from "./util.js";

const tickets = numberFlag("tickets", 200_000);
const t0 = performance.now();
let events = 0;
let bytes = 0;
for (const r of generateDemo({ tickets, seed: 1 })) {
  events++;
  if ((events & 1023) === 0) bytes += JSON.stringify(r).length; // a sample, to size an NDJSON dump
}
const s = (performance.now() - t0) / 1000;
console.log(
  `generate: ${fmt(tickets)} tickets → ${fmt(events)} events (${(events / tickets).toFixed(2)} per ticket) in ${s.toFixed(2)} s: ` +
    `${fmt(events / s)} events/s; ~${fmt((bytes * 1024) / 1e6)} MB as NDJSON; peak RSS ${peakRssMb()} MB`,
);
