// kill -9 during sustained HTTP ingest, 20 rounds (the durability test's rounds, more of them):
// after each restart, acknowledged events found in the log and acknowledged tickets found in the
// facts, without rebuild or client retry. Usage: node dist/bench/kill-rounds.js [--rounds 20]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killRound } from "../test/helpers/kill-rounds.js";
import { fmt, numberFlag } from "./util.js";

const rounds = numberFlag("rounds", 20);
const dataDir = mkdtempSync(join(tmpdir(), "dp-bench-kill-"));
const events = new Set<string>();
const tickets = new Set<string>();
let bad = 0;
try {
  for (let round = 0; round < rounds; round++) {
    const r = await killRound(dataDir, round, events, tickets, { clients: 8, batch: 1000, ingestMs: 1500 });
    const ok =
      r.stored === r.acked && r.projected === r.ackedTickets && r.duplicateEvents === 0 && r.duplicateFacts === 0 && r.checkpoint === r.logEnd && !r.rebuilt;
    if (!ok) bad++;
    console.log(
      `round ${String(round + 1).padStart(2)}: acked ${fmt(r.acked)} events / ${fmt(r.ackedTickets)} tickets; stored ${fmt(r.stored)}; projected ${fmt(r.projected)} tickets; ` +
        `log ${fmt(r.logEnd)}, checkpoint ${fmt(r.checkpoint)}; duplicates ${r.duplicateEvents + r.duplicateFacts}; rebuild ${r.rebuilt ? "yes" : "no"} ${ok ? "ok" : "MISSING"}`,
    );
  }
  console.log(`${rounds} kill -9 rounds: ${bad === 0 ? "every acknowledged event stored and projected, once" : `${bad} rounds lost something`}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
