import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseDate } from "../../src/ingest/dates.js";
import { externalSort } from "../../src/ingest/external-sort.js";
import { guessMapping } from "../../src/ingest/mapping.js";
import { dryRun, type ImportItem } from "../../src/ingest/source.js";
import { project } from "../../src/projector/index.js";
import { importedEvents, plainProjectorContext, readImport, scratchFiles } from "../helpers/imports.js";
import { ROOT } from "../helpers/server.js";

const file = scratchFiles("dp-ingest-");
const all = readImport;
const events = importedEvents;
const ctx = plainProjectorContext;

describe("importers", () => {
  it("snapshot rows: a ticket reopened twice across three teams gives exactly 2 reopens and 2 transfers", async () => {
    const src = join(ROOT, "test", "fixtures", "ingest", "snapshots.csv");
    const dry = await dryRun(src, {});
    assert.equal(dry.shape, "snapshots");
    assert.equal(dry.mapping.date_format, "d/m/yyyy HH:MM");
    assert.deepEqual(dry.mapping.statuses, { New: "new", Open: "open", Resolved: "solved", Reopened: "open", Closed: "closed" });
    const facts = project(events(await all(src)), ctx);
    const t1 = facts.ticket_facts.find((t) => t.ticket_id === "T-1")!;
    // Resolved → Open (3 March) and Resolved → Reopened (4 March); Billing → Tech → Success
    assert.deepEqual([t1.reopens, t1.transfers, t1.team_id, t1.status, t1.priority], [2, 2, "Success", "closed", "High"]);
    assert.equal(t1.fields, JSON.stringify({ Plan: "enterprise" }));
    // created 2 March 09:00, first solved 11:00 → 7200 s
    assert.equal(t1.res_first_s, 7200);
    assert.equal(facts.ticket_facts.length, 2);
  });

  it("re-reading the same snapshots gives the same event ids (safe re-runs)", async () => {
    const src = join(ROOT, "test", "fixtures", "ingest", "snapshots.csv");
    const a = (await all(src)).map((i) => (i.kind === "record" ? i.record.id : null));
    const b = (await all(src)).map((i) => (i.kind === "record" ? i.record.id : null));
    assert.deepEqual(a, b);
    assert.equal(new Set(a).size, a.length);
  });

  it("ticket rows with zone-less day-first times in Asia/Tehran", async () => {
    const p = file(
      "tickets.csv",
      "Ticket ID,Created At,First Response At,Resolved At,Status,Assignee\nA1,01/03/2026 09:00,01/03/2026 09:45,01/03/2026 12:00,Solved,ana\n",
    );
    const g = await dryRun(p, {});
    const items = await all(p, { mapping: { ...g.mapping, timezone: "Asia/Tehran" } });
    const ev = events(items);
    // 09:00 in Tehran (+03:30) is 05:30Z
    assert.equal(ev.find((e) => e.type === "ticket.created")!.ts, Date.parse("2026-03-01T05:30:00Z"));
    const t = project(ev, ctx).ticket_facts[0];
    assert.deepEqual([t.frt_s, t.res_first_s, t.agent_id], [2700, 10800, "ana"]);
  });

  it("bad rows are rejected naming row and column; the valid rows still come through", async () => {
    const p = file(
      "bad.csv",
      [
        "Ticket ID,Updated At,Status",
        "B1,2026-03-02 09:00,Open",
        "B1,2026-02-30 10:00,Solved", // impossible date
        "B2,2026-03-02 09:00,Escalated", // unknown status
        "B3,2026-03-02 09:00,Open,extra", // wrong column count
        "B4,2026-03-02 10:00,Solved",
        'B5,2026-03-02 11:00,"Open', // truncated inside quotes
      ].join("\n"),
    );
    const items = await all(p, {
      mapping: {
        shape: "snapshots",
        columns: { "Ticket ID": "ticket_id", "Updated At": "updated_at", Status: "status" },
        statuses: { Open: "open", Solved: "solved" },
      },
    });
    const rejects = items.filter((i) => i.kind === "reject") as Extract<ImportItem, { kind: "reject" }>[];
    assert.deepEqual(rejects.map((r) => [r.position, r.field]).sort(), [
      [3, "Updated At"],
      [4, "Status"],
      [5, ""],
      [7, ""],
    ]);
    assert.match(rejects.find((r) => r.position === 4)!.reason, /unknown status "Escalated".*column Status/);
    assert.match(rejects.find((r) => r.position === 5)!.reason, /has 4 columns, the header has 3/);
    const tickets = new Set(events(items).map((e) => e.ticket_id));
    assert.deepEqual([...tickets].sort(), ["B1", "B4"]);
  });

  it("reads the date formats people export", () => {
    assert.equal(parseDate("Tue Oct 31 22:10:47 +0000 2017", "twitter", "UTC"), Date.parse("2017-10-31T22:10:47Z"));
    assert.equal(parseDate("2026-03-02T09:00:00+03:30", "iso", "UTC"), Date.parse("2026-03-02T05:30:00Z"));
    assert.equal(parseDate("2026-07-01 09:00", "iso", "Europe/London"), Date.parse("2026-07-01T08:00:00Z")); // BST
    assert.equal(parseDate("3/14/2026 13:05", "m/d/yyyy HH:MM", "America/New_York"), Date.parse("2026-03-14T17:05:00Z")); // EDT
    assert.equal(parseDate("1772442000", "epoch_s", "UTC"), 1772442000000);
    assert.ok(Number.isNaN(parseDate("31/04/2026 10:00", "d/m/yyyy HH:MM", "UTC")));
  });

  it("guesses a mapping from the headers", () => {
    const g = guessMapping(
      ["Case Number", "Opened", "State", "Assigned To", "Assignment Group"],
      [{ "Case Number": "1", Opened: "2026-03-02 10:00", State: "In Progress", "Assigned To": "x", "Assignment Group": "y" }],
    );
    assert.equal(g.mapping.shape, "tickets");
    assert.deepEqual(g.mapping.columns, {
      "Case Number": "ticket_id",
      Opened: "created_at",
      State: "status",
      "Assigned To": "agent_id",
      "Assignment Group": "team_id",
    });
    assert.deepEqual(g.mapping.statuses, { "In Progress": "open" });
  });

  it("sorts more rows than one run holds, in order", async () => {
    async function* nums() {
      for (let i = 0; i < 2500; i++) yield { k: (i * 7919) % 2500 };
    }
    const out: number[] = [];
    for await (const x of externalSort(nums(), (a, b) => a.k - b.k, 300)) out.push(x.k);
    assert.deepEqual(
      out,
      Array.from({ length: 2500 }, (_, i) => i),
    );
  });
});
