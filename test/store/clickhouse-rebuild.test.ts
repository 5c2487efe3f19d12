import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ClickHouseStore } from "../../src/store/clickhouse/clickhouse-store.js";
import { openChdbStore } from "../helpers/chdb-store.js";
import { rebuildUnderReaders } from "../helpers/rebuild-readers.js";

describe("ClickHouse 26 store (chdb, Atomic database): rebuilds", () => {
  let s: ClickHouseStore;
  let close: () => Promise<void>;
  before(async () => {
    ({ store: s, close } = await openChdbStore());
  });
  after(() => close?.());

  it("swaps the new facts in with EXCHANGE TABLES: readers in a loop never see the workspace missing or partial", async () => {
    assert.equal(s.swapsBy, "EXCHANGE TABLES");
    await rebuildUnderReaders(s, "swap", true);
  });
});
