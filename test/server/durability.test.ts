import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { killRound } from "../helpers/kill-rounds.js";

it("kill -9 during sustained ingest, ten times: every acknowledged event is in the log and every acknowledged ticket in the facts after restart, once", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "deskpulse-kill-"));
  const events = new Set<string>();
  const tickets = new Set<string>();
  try {
    for (let round = 0; round < 10; round++) {
      const r = await killRound(dataDir, round, events, tickets);
      assert.ok(r.acked > 0, `round ${round}: some batches were acknowledged before the kill`);
      assert.equal(r.stored, r.acked, `round ${round}: acknowledged events missing from the log`);
      assert.equal(r.projected, r.ackedTickets, `round ${round}: acknowledged tickets missing from the facts`);
      assert.equal(r.duplicateEvents, 0, `round ${round}: an event id stored twice`);
      assert.equal(r.duplicateFacts, 0, `round ${round}: a ticket with two fact rows`);
      assert.ok(r.logEnd > 0, `round ${round}: log positions are not 1…n`);
      assert.equal(r.checkpoint, r.logEnd, `round ${round}: the facts do not include the whole log`);
      assert.equal(r.rebuilt, false, `round ${round}: the restart needed a rebuild`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
