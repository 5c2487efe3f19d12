import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { withDeadline } from "../../src/store/deadline.js";
import { openClickHouseStore } from "../../src/store/clickhouse/index.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { clickhouseSkipReason, startCluster } from "../helpers/clickhouse-cluster.js";
import { api, startTestServer, type TestServer } from "../helpers/server.js";

describe("per-request deadline", () => {
  it("interrupts a DuckDB query still running at its deadline (503 query_timeout), and the store goes on", async () => {
    const store = await openDuckDbStore({ path: ":memory:", threads: 1 });
    try {
      // ~10¹¹ rows: minutes of work, so only the interrupt can end it within the test's time
      const endless = "SELECT count(*) AS n FROM range(100000000000) t(i) WHERE i % 7 = 3";
      await assert.rejects(
        withDeadline(300, () => store.query(endless)),
        (e: Error & { status?: number; code?: string }) => e.status === 503 && e.code === "query_timeout" && /shorter range|coarser grain/.test(e.message),
      );
      // a deadline already past refuses before starting
      await assert.rejects(
        withDeadline(1, async () => {
          await new Promise((r) => setTimeout(r, 5));
          return store.query("SELECT 1 AS x");
        }),
        /query_timeout|ran past/,
      );
      // outside a deadline, and within a generous one, queries answer
      assert.deepEqual(await store.query("SELECT 41 + 1 AS x"), [{ x: 42 }]);
      assert.deepEqual(await withDeadline(60_000, () => store.query("SELECT 7 AS x")), [{ x: 7 }]);
    } finally {
      await store.close();
    }
  });

  it("bounds a ClickHouse query by max_execution_time from the deadline (503 query_timeout)", { skip: clickhouseSkipReason() }, async () => {
    const cluster = await startCluster({ shards: 1, distributed: false });
    try {
      const store = await openClickHouseStore({ url: cluster.url });
      try {
        const endless = "SELECT count() AS n FROM (SELECT number FROM system.numbers LIMIT 100000000000) WHERE number % 7 = 3";
        await assert.rejects(
          withDeadline(500, () => store.query(endless)),
          (e: Error & { status?: number; code?: string }) => e.status === 503 && e.code === "query_timeout",
        );
        assert.deepEqual(await withDeadline(60_000, () => store.query<{ x: number }>("SELECT 7 AS x")), [{ x: 7 }]);
      } finally {
        await store.close();
      }
    } finally {
      await cluster.stop();
    }
  });

  describe("over HTTP", () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer({ demoTickets: 300, env: { DESKPULSE_QUERY_TIMEOUT_MS: "1" } });
    });
    after(() => s.stop());

    it("answers 503 with a hint when a metrics request runs past DESKPULSE_QUERY_TIMEOUT_MS; other routes still answer", async () => {
      const r = await api(s, s.adminKey, "/api/v1/metrics", {
        method: "POST",
        body: JSON.stringify({ metrics: ["customer_retention_rate", "first_response_time"], from: "2020-01-01", to: "2030-01-01", grain: "month" }),
      });
      assert.equal(r.status, 503);
      const j = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(j.error.code, "query_timeout");
      assert.match(j.error.message, /DESKPULSE_QUERY_TIMEOUT_MS/);
      assert.equal((await api(s, s.adminKey, "/api/v1/live")).status, 200);
    });
  });
});
