/**
 * V8 flags every Deskpulse process starts with (bin/deskpulse.js's first line, `npm start`, the
 * test and bench launchers). A rebuild folds millions of events into short-lived objects; with
 * V8's default 16 MB young generation most of them survive a scavenge or two and are copied,
 * which was ~60 % of replay's time. A 64 MB one lets them die young: replay of 1.1 M events went
 * from 471,000 to 1,456,000 events/s on this machine with less peak RSS (BENCHMARKS.md, Pipeline).
 * V8 reads it only at start-up (v8.setFlagsFromString is too late), hence a flag, not code.
 */
export const NODE_FLAGS = ["--max-semi-space-size=64"];
