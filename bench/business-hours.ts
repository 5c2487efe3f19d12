// Calls per second of businessMs / addBusinessMs on random spans (`npm run bench -- business-hours
// [--calls N]`). The projector calls businessMs for every ticket and every response.
import { addBusinessMs, businessMs, compileCalendar } from "../src/calendar/index.js";
import type { CalendarDef } from "../src/config/settings.js";
import { rng } from "../src/demo/generate.js";
import { fmt, numberFlag } from "./util.js";

const calls = numberFlag("calls", 2_000_000);
const weekdays = { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]], fri: [["09:00", "17:00"]] };
const calendars: [string, CalendarDef][] = [
  ["Europe/London Mon–Fri 09–17, 2 holidays", { timezone: "Europe/London", hours: weekdays as CalendarDef["hours"], holidays: ["2026-04-03", "2026-12-25"] }],
  [
    "Asia/Tehran Sat–Wed split shift",
    {
      timezone: "Asia/Tehran",
      hours: Object.fromEntries(
        ["sat", "sun", "mon", "tue", "wed"].map((d) => [
          d,
          [
            ["08:00", "12:00"],
            ["13:00", "17:00"],
          ],
        ]),
      ),
    },
  ],
];

const YEAR = 365 * 86_400_000;
const from = Date.parse("2025-07-01T00:00:00Z");
const r = rng(42);
// Spans as the projector sees them: a minute to a few weeks, starting anywhere in a year.
const starts = new Float64Array(1 << 16);
const ends = new Float64Array(1 << 16);
for (let i = 0; i < starts.length; i++) {
  starts[i] = from + Math.floor(r() * YEAR);
  ends[i] = starts[i] + Math.floor(-Math.log(1 - r() * 0.9999) * 20 * 3_600_000);
}

for (const [name, def] of calendars) {
  let t0 = performance.now();
  const cal = compileCalendar(def);
  businessMs(cal, from, from + YEAR); // compiles the years the spans touch
  const compileMs = performance.now() - t0;
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += businessMs(cal, starts[i & 0xffff], ends[i & 0xffff]); // warm-up
  t0 = performance.now();
  for (let i = 0; i < calls; i++) sink += businessMs(cal, starts[i & 0xffff], ends[i & 0xffff]);
  const bms = performance.now() - t0;
  t0 = performance.now();
  const addCalls = Math.floor(calls / 4);
  for (let i = 0; i < addCalls; i++) sink += addBusinessMs(cal, starts[i & 0xffff], (ends[i & 0xffff] - starts[i & 0xffff]) / 3);
  const ams = performance.now() - t0;
  console.log(
    `${name}: compile + first query ${compileMs.toFixed(1)} ms; ${cal.starts.length} intervals; ` +
      `businessMs ${fmt((calls / bms) * 1000)} calls/s (${((bms * 1e6) / calls).toFixed(0)} ns/call); ` +
      `addBusinessMs ${fmt((addCalls / ams) * 1000)} calls/s (${((ams * 1e6) / addCalls).toFixed(0)} ns/call)` +
      (sink === -1 ? "" : ""),
  );
}
