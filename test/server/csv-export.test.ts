import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { csvCell, toCsv } from "../../src/util/csv-writer.js";
import { api, CLI, ROOT, startTestServer } from "../helpers/server.js";

const FORMULAS = ['=HYPERLINK("http://evil.example","click")', "=cmd|' /C calc'!A0", "@SUM(1)", "+SUM(1,2)", "-2+3", "\tx", "\rx"];

describe("the shared CSV writer", () => {
  it("prefixes text cells that a spreadsheet would run as formulas, and only those", () => {
    assert.equal(csvCell("=1+1"), `"'=1+1"`);
    assert.equal(csvCell("@SUM(1)"), `"'@SUM(1)"`);
    assert.equal(csvCell("+SUM(1,2)"), `"'+SUM(1,2)"`);
    assert.equal(csvCell("=cmd|' /C calc'!A0"), `"'=cmd|' /C calc'!A0"`);
    assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvCell("\tx"), `"'\tx"`);
    assert.equal(csvCell("plain"), "plain");
    assert.equal(csvCell("a,b"), `"a,b"`);
    assert.equal(csvCell(-5), "-5"); // a number is data
    assert.equal(csvCell(null), "");
    assert.equal(toCsv([{ "=a": 1 }]), `"'=a"\n1`); // header cells too
  });

  it("reads back as the text written, with the formula guard in front (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary", maxLength: 20 }), { minLength: 2, maxLength: 6 }), (cells) => {
        const rows = [Object.fromEntries(cells.map((c, i) => [`c${i}`, c]))];
        const text = toCsv(rows);
        const back = parse(text, { columns: true, relax_quotes: false }) as Record<string, string>[];
        cells.forEach((c, i) => {
          const got = back[0][`c${i}`];
          if (/^[=+\-@\t\r]/.test(c)) assert.equal(got, `'${c}`);
          else assert.equal(got, c);
        });
      }),
      { seed: 12, numRuns: 500 },
    );
  });
});

describe("every CSV the project writes escapes formula cells", () => {
  it("drill-down CSV, deskpulse tickets --format csv and deskpulse report --format csv", async () => {
    const s = await startTestServer();
    const events = FORMULAS.flatMap((f, i) => [
      { id: `c${i}`, type: "ticket.created", ts: "2026-03-02T09:00:00Z", ticket_id: f, channel: "email", team_id: f, created_by: "customer" },
      { id: `r${i}`, type: "message.created", ts: "2026-03-02T09:30:00Z", ticket_id: f, author_type: "agent", agent_id: f },
    ]);
    const ing = (await (await api(s, s.adminKey, "/api/v1/events?wait=projected", { method: "POST", body: JSON.stringify(events) })).json()) as {
      stored: number;
    };
    assert.equal(ing.stored, events.length);
    const check = (csv: string, what: string, col: string) => {
      const rows = parse(csv, { columns: true }) as Record<string, string>[];
      const got = rows.map((r) => r[col]).sort();
      assert.deepEqual(got, FORMULAS.map((f) => `'${f}`).sort(), `${what}: ${csv}`);
      for (const line of csv.split("\n")) assert.doesNotMatch(line, /(^|,)"?[=+@]/, `${what}: a cell starts a formula: ${line}`);
    };
    try {
      const dd = await api(s, s.adminKey, "/api/v1/metrics/drilldown?format=csv", {
        method: "POST",
        body: JSON.stringify({ metric: "first_response_time", from: "2026-03-01", to: "2026-04-01", pageSize: 100 }),
      });
      assert.equal(dd.headers.get("content-type"), "text/csv; charset=utf-8");
      check(await dd.text(), "drill-down", "ticket_id");
    } finally {
      await s.stop(true);
    }
    const env: NodeJS.ProcessEnv = { ...process.env, DESKPULSE_DATA: s.dataDir };
    delete env.DESKPULSE_STORE;
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env, cwd: ROOT, encoding: "utf8" });
    try {
      const t = cli("tickets", "--format", "csv");
      assert.equal(t.status, 0, t.stderr);
      check(t.stdout, "tickets", "ticket_id");
      const r = cli("report", "--metrics", "first_response_time", "--from", "2026-03-01", "--to", "2026-03-31", "--by", "team", "--format", "csv");
      assert.equal(r.status, 0, r.stderr);
      const teamCol = Object.keys((parse(r.stdout, { columns: true }) as Record<string, string>[])[0]).find((k) => k.includes("team"))!;
      check(r.stdout, "report", teamCol);
    } finally {
      const { rmSync } = await import("node:fs");
      rmSync(s.dataDir, { recursive: true, force: true });
    }
  });
});
