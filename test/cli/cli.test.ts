import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { api, CLI, ROOT, startTestServer } from "../helpers/server.js";

const data = mkdtempSync(join(tmpdir(), "dp-cli-"));
const env: NodeJS.ProcessEnv = { ...process.env, DESKPULSE_DATA: data };
delete env.DESKPULSE_STORE;
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env, cwd: ROOT, encoding: "utf8" });

describe("deskpulse CLI", () => {
  after(() => rmSync(data, { recursive: true, force: true }));

  it("report --format json prints the same rows as the API", async () => {
    assert.equal(cli("demo", "--tickets", "300").status, 0);
    const args = ["--metrics", "first_response_time,csat,backlog", "--from", "2020-01-01", "--to", "2031-01-01", "--by", "channel"];
    const r = cli("report", ...args, "--format", "json");
    assert.equal(r.status, 0, r.stderr);
    const fromCli = JSON.parse(r.stdout) as { rows: unknown[] };
    assert.ok(fromCli.rows.length > 5);
    const s = await startTestServer({ dataDir: data });
    try {
      const res = await api(s, s.adminKey, "/api/v1/metrics", {
        method: "POST",
        body: JSON.stringify({
          metrics: ["first_response_time", "csat", "backlog"],
          from: "2020-01-01",
          to: "2031-01-01",
          groupBy: ["channel"],
          clock: "calendar",
          compare: false,
        }),
      });
      assert.deepEqual(fromCli, await res.json());
    } finally {
      await s.stop(true);
    }
  });

  it("exports per-ticket facts as CSV and NDJSON", () => {
    const nd = cli("tickets", "--format", "ndjson");
    assert.equal(nd.status, 0, nd.stderr);
    const lines = nd.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { ticket_id: string; created_at: string });
    assert.ok(lines.length >= 250);
    assert.match(lines[0].created_at, /^\d{4}-\d{2}-\d{2}T/);
    const csv = cli("tickets", "--format", "csv", "--from", "2020-01-01", "--to", "2030-12-31");
    assert.equal(csv.stdout.split("\n")[0].split(",")[0], "ticket_id");
  });

  it("imports a file, lists what it rejected, and says what is wrong in plain words", () => {
    const file = join(data, "events.ndjson");
    writeFileSync(
      file,
      `${JSON.stringify({ id: "cli-1", type: "ticket.created", ts: "2026-03-02T09:00:00Z", ticket_id: "C1" })}\n{"id":"cli-2","type":"ticket.created"}\n`,
    );
    const r = cli("import", file);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /stored\s+1/);
    assert.match(r.stdout, /rejected\s+1/);
    assert.match(readFileSync(`${file}.rejected.ndjson`, "utf8"), /"field":"ts"/);
    const rej = cli("rejected", "--json");
    assert.equal(JSON.parse(rej.stdout.trim().split("\n")[0]).field, "ts");
    const again = cli("import", file);
    assert.match(again.stdout, /duplicates\s+1/);
    const bad = cli("frobnicate");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /error \[unknown_command\]/);
    const badDate = cli("report", "--metrics", "csat", "--from", "yesterday", "--to", "2026-01-01");
    assert.equal(badDate.status, 2);
    assert.match(badDate.stderr, /"from" must be an ISO 8601 date/);
  });
});
