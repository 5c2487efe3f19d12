import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { DeskEvent } from "../../src/events/types.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { IdleCheckpoint, QUIET_MS } from "../../src/store/duckdb/idle-checkpoint.js";

describe("idle checkpoint: the log is checkpointed once writes pause, not inside an acknowledgement", () => {
  it("checkpoints once after a burst of writes, only when they pause", async () => {
    const calls: number[] = [];
    const idle = new IdleCheckpoint(async () => {
      calls.push(Date.now());
    }, 40);
    for (let i = 0; i < 5; i++) {
      idle.wrote();
      await sleep(15);
    }
    assert.equal(calls.length, 0, "writes 15 ms apart never leave 40 ms of quiet");
    await sleep(80);
    assert.equal(calls.length, 1);
    await sleep(80);
    assert.equal(calls.length, 1, "nothing written since: no second checkpoint");
    await idle.close();
  });

  it("a checkpoint held off (another transaction) is tried again after the next write", async () => {
    let tries = 0;
    const idle = new IdleCheckpoint(async () => {
      tries++;
      if (tries === 1) throw new Error("Cannot CHECKPOINT: there are other write transactions active");
    }, 20);
    idle.wrote();
    await sleep(60);
    assert.equal(tries, 1);
    idle.wrote();
    await sleep(60);
    assert.equal(tries, 2);
    await idle.close();
  });

  it("the store's write-ahead log is moved into the file once appends pause", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dp-idle-"));
    const path = join(dir, "s.duckdb");
    try {
      const s = await openDuckDbStore({ path });
      const events: DeskEvent[] = Array.from({ length: 2_000 }, (_, i) => ({ id: `e${i}`, type: "ticket.created", ts: 1_000 + i, ticket_id: `T${i}` }));
      await s.appendEvents("w", events, 5);
      const wal = `${path}.wal`;
      assert.ok(existsSync(wal) && statSync(wal).size > 0, "the append is in the write-ahead log");
      await sleep(QUIET_MS + 700);
      assert.ok(!existsSync(wal) || statSync(wal).size === 0, "checkpointed after the pause");
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
