import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { validateEvent } from "../../src/events/validate.js";
import { readCsv } from "../../src/ingest/csv.js";
import { guessMapping } from "../../src/ingest/mapping.js";
import { dryRun, type ImportItem, openImport } from "../../src/ingest/source.js";
import { bulkIngest } from "../../src/pipeline/bulk.js";
import { project } from "../../src/projector/index.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { importedEvents, plainProjectorContext, readImport, scratchFiles } from "../helpers/imports.js";
import { ROOT } from "../helpers/server.js";

// Real exports as a new user brings them: an ITSM incident log with one row per update (several in
// the same minute), a CSV with a stray quote, columns the guess must place or say it could not.
const file = scratchFiles("dp-exports-");
const fixture = (name: string) => join(ROOT, "test", "fixtures", "ingest", name);
const all = readImport;
const events = importedEvents;
const ctx = plainProjectorContext;
const rejects = (items: ImportItem[]) => items.filter((i) => i.kind === "reject") as Extract<ImportItem, { kind: "reject" }>[];

describe("importers on real exports", () => {
  let rt: Runtime;
  before(async () => {
    rt = new Runtime(await openDuckDbStore({ path: ":memory:" }));
  });
  after(() => rt.close());

  it("an incident log with several updates of a ticket in the same minute: every row counts once, transfers match the vendor's counter", async () => {
    const src = fixture("same-minute-snapshots.csv");
    const dry = await dryRun(src, {});
    assert.equal(dry.shape, "snapshots");
    assert.deepEqual(dry.mapping.columns, {
      number: "ticket_id",
      incident_state: "status",
      opened_at: "created_at",
      sys_updated_at: "updated_at",
      contact_type: "channel",
      category: "topic",
      priority: "priority",
      assignment_group: "team_id",
      assigned_to: "agent_id",
      caller_id: "customer_id",
    });
    assert.deepEqual(dry.mapping.statuses, { New: "new", Active: "open", Resolved: "solved", Closed: "closed", "Awaiting User Info": "pending" });
    const items = await all(src);
    assert.deepEqual(rejects(items), []);
    const ev = events(items);
    // one id per derived event: nothing collides inside the file
    assert.equal(new Set(ev.map((e) => e.id)).size, ev.length);
    const facts = project(ev, ctx);
    const inc1 = facts.ticket_facts.find((t) => t.ticket_id === "INC1")!;
    const inc2 = facts.ticket_facts.find((t) => t.ticket_id === "INC2")!;
    // INC1: Service Desk → Network Ops/Resolver 9 (09:00) → Hardware/Resolver 3 (10:15): 2 transfers,
    // the reassignment_count of its last row; solved 10:15, reopened the same minute, solved 11:00
    assert.deepEqual([inc1.transfers, inc1.reopens, inc1.team_id, inc1.agent_id, inc1.status], [2, 1, "Hardware", "Resolver 3", "closed"]);
    // created 09:00 → first solve 10:15 = 4,500 s; → last solve 11:00 = 7,200 s
    assert.deepEqual([inc1.res_first_s, inc1.res_full_s], [4500, 7200]);
    // INC2: three rows at 09:30; Service Desk/Resolver 7 → Software Desk/Resolver 5 is its 1 reassignment
    assert.deepEqual([inc2.transfers, inc2.agent_id, inc2.team_id, inc2.status], [1, "Resolver 5", "Software Desk", "open"]);
    // the custom field is the vendor's counter as of the last row: the two agree
    assert.equal(JSON.parse(inc1.fields as string).reassignment_count, "2");

    // a first import into an empty store: no "duplicates"; a true re-import: all duplicates
    const first = await bulkIngest(rt, "itsm", (await openImport(src, {})).items, "import:itsm");
    assert.deepEqual([first.stored, first.duplicates, first.conflicts, first.rejected], [ev.length, 0, 0, 0]);
    const again = await bulkIngest(rt, "itsm", (await openImport(src, {})).items, "import:itsm");
    assert.deepEqual([again.stored, again.duplicates, again.conflicts], [0, ev.length, 0]);
  });

  it("the dry run says which columns it could not place, and why", async () => {
    const dry = await dryRun(fixture("same-minute-snapshots.csv"), {});
    assert.deepEqual(
      dry.unplaced.map((u) => u.column),
      ["reassignment_count", "sys_created_at", "urgency"],
    );
    const why = Object.fromEntries(dry.unplaced.map((u) => [u.column, u.why]));
    assert.match(why.sys_created_at, /name says created_at, but opened_at already is/);
    assert.match(why.urgency, /name says priority, but priority already is/);
    assert.match(why.reassignment_count, /matches no known field; kept as a custom field/);
  });

  it("a stray quote inside an unquoted field is text: that row and every row after it import", async () => {
    const src = fixture("stray-quote.csv");
    const items = await all(src);
    assert.deepEqual(rejects(items), []);
    const facts = project(events(items), ctx);
    const subject = (id: string) => events(items).find((e) => e.ticket_id === id && e.type === "ticket.created")?.subject;
    assert.deepEqual(
      facts.ticket_facts.map((t) => t.ticket_id),
      ["T1", "T2", "T3", "T4"],
    );
    assert.deepEqual([subject("T1"), subject("T2"), subject("T4")], ['Monitor 27" broken', "Printer, 3rd floor", 'He said "hi"']);
  });

  it("reads BOM, semicolons, CRLF, quoted newlines; a file cut inside quotes rejects only its last row", async () => {
    async function* text(s: string) {
      // split mid-record to cross chunk boundaries
      for (let i = 0; i < s.length; i += 7) yield s.slice(i, i + 7);
    }
    const rows = [];
    for await (const r of readCsv(text('\uFEFFid;note\r\nA;"two\r\nlines"\r\n\r\nB;plain "quoted" word\r\nC;"cut off'))) rows.push(r);
    assert.deepEqual(
      rows.map((r) => [r.row, r.cells, r.error ?? null]),
      [
        [1, ["id", "note"], null],
        [2, ["A", "two\r\nlines"], null],
        [3, ["B", 'plain "quoted" word'], null],
        [4, [], "ends inside a quoted field (truncated file?)"],
      ],
    );
    assert.equal(rows[3].raw, 'C;"cut off');
  });

  it("first reply / first response columns are placed; a repeated ticket id means snapshots", () => {
    const g = guessMapping(
      ["Ticket", "Created", "First reply", "Resolved", "Time", "State"],
      [
        { Ticket: "1", Created: "2026-03-02 09:00", "First reply": "2026-03-02 09:30", Resolved: "", Time: "2026-03-02 09:00", State: "New" },
        { Ticket: "1", Created: "2026-03-02 09:00", "First reply": "2026-03-02 09:30", Resolved: "", Time: "2026-03-02 09:30", State: "Open" },
      ],
    );
    assert.equal(g.mapping.shape, "snapshots");
    assert.equal(g.mapping.columns["First reply"], "first_reply_at");
    // the row's own time is its update time
    assert.equal(g.mapping.columns.Time, "updated_at");
    const t = guessMapping(
      ["Case ID", "Opened", "First Response", "Reply sent"],
      [{ "Case ID": "9", Opened: "2026-03-02 09:00", "First Response": "2026-03-02 09:20", "Reply sent": "2026-03-02 09:20" }],
    );
    assert.equal(t.mapping.shape, "tickets");
    assert.equal(t.mapping.columns["First Response"], "first_reply_at");
    assert.match(t.unplaced.find((u) => u.column === "Reply sent")!.why, /holds times but its name matches no known time/);
  });

  it("a missing marker per column: ? is none in one column and a real value in another", async () => {
    const p = file("missing.csv", "Ticket ID,Created At,Priority,Group\nM1,2026-03-02 09:00,?,?\n");
    const mapping = {
      shape: "tickets" as const,
      columns: { "Ticket ID": "ticket_id", "Created At": "created_at", Priority: "priority", Group: "team_id" },
      missing: ["", "?"],
      missing_by_column: { Priority: [""] },
    };
    const created = events(await all(p, { mapping })).find((e) => e.type === "ticket.created")!;
    assert.equal(created.priority, "?");
    assert.equal(project(events(await all(p, { mapping })), ctx).ticket_facts[0].team_id, null);
  });

  it("rows read counts the file's rows, not the events derived from them", async () => {
    const lines = ["Ticket ID,Updated At,Status,Assignee"];
    for (let i = 0; i < 20; i++) lines.push(`R${i % 5},2026-03-02 ${String(9 + Math.floor(i / 5)).padStart(2, "0")}:00,${i < 5 ? "New" : "Open"},agent${i}`);
    const src = await openImport(file("twenty.csv", `${lines.join("\n")}\n`), {});
    let records = 0;
    for await (const it of src.items) if (it.kind === "record") records++;
    assert.equal(src.rowsRead(), 20);
    // 5 tickets: created + assigned on the first row, status + assigned on each of the 3 later ones, + 1 status on the second
    assert.ok(records > 20, `${records} events from 20 rows`);
  });

  it("a ticket row 'Solved' without a solved time is solved with an unknown time, flagged, not a 0 s resolution", async () => {
    const items = await all(fixture("stray-quote.csv"));
    const flags = items.filter((i) => i.kind === "flag");
    assert.equal(flags.length, 1);
    assert.match((flags[0] as { reason: string }).reason, /row 4: status solved without a solved time/);
    const t3 = project(events(items), ctx).ticket_facts.find((t) => t.ticket_id === "T3")!;
    assert.deepEqual([t3.is_open, t3.flags], [false, "solve_time_unknown"]);
  });

  it("the same event id with a different payload is a conflict, counted and listed with the rejected", async () => {
    const ev = { id: "c1", type: "ticket.created", ts: "2026-03-02T09:00:00Z", ticket_id: "K1", channel: "email" };
    const a = await rt.ingest("conf", [ev], "api");
    assert.deepEqual([a.stored, a.duplicates, a.conflicts], [1, 0, 0]);
    // the same payload (keys in another order) is a duplicate; another channel is a conflict
    const b = await rt.ingest(
      "conf",
      [
        { channel: "email", ticket_id: "K1", ts: "2026-03-02T09:00:00Z", type: "ticket.created", id: "c1" },
        { ...ev, channel: "chat" },
      ],
      "api",
    );
    assert.deepEqual([b.stored, b.duplicates, b.conflicts], [0, 1, 1]);
    assert.deepEqual(
      b.rejected.map((r) => [r.index, r.id, r.field]),
      [[1, "c1", "id"]],
    );
    assert.match(b.rejected[0].reason, /already stored with a different payload/);
    // two versions inside one batch: the first is stored, the second is a conflict
    const c = await rt.ingest(
      "conf",
      [
        { ...ev, id: "c2" },
        { ...ev, id: "c2", channel: "phone" },
      ],
      "api",
    );
    assert.deepEqual([c.stored, c.duplicates, c.conflicts], [1, 0, 1]);
    const rows = await rt.store.query<{ reason: string; record: string }>("SELECT reason, record FROM rejected WHERE workspace = 'conf' ORDER BY seq");
    assert.equal(rows.length, 2);
    assert.match(rows[0].record, /"chat"/);
    assert.match(rows[1].record, /"phone"/);
  });

  it("dates that do not exist are refused, not rolled over", () => {
    const v = validateEvent({ id: "d1", type: "ticket.created", ts: "2026-02-30T10:00:00Z", ticket_id: "D1" }, 0);
    assert.equal(v.ok, false);
    assert.equal(v.ok ? "" : v.rejection.field, "ts");
    for (const ts of ["2026-02-28T24:00:00Z", "2026-13-01T00:00:00Z", "2026-04-31T09:00:00+03:30"])
      assert.equal(validateEvent({ id: "d", type: "ticket.created", ts, ticket_id: "D" }, 0).ok, false, ts);
    // an offset's digits are not read as seconds (a leap day in the past: times more than a year ahead are refused)
    const ok = validateEvent({ id: "d2", type: "ticket.created", ts: "2024-02-29T23:59+03:30", ticket_id: "D2" }, 0);
    assert.equal(ok.ok ? ok.event.ts : null, Date.parse("2024-02-29T20:29:00Z"));
  });

  it("merged and deleted tickets come from the vendor exports that say so", async () => {
    const zd = file(
      "zd.json",
      JSON.stringify({
        tickets: [
          { id: 1, created_at: "2026-03-02T09:00:00Z", updated_at: "2026-03-02T10:00:00Z", status: "deleted" },
          { id: 2, created_at: "2026-03-02T09:00:00Z", updated_at: "2026-03-02T11:00:00Z", status: "closed", tags: ["closed_by_merge"] },
        ],
      }),
    );
    const fd = file("fd.json", JSON.stringify([{ id: 5, created_at: "2026-03-02T09:00:00Z", updated_at: "2026-03-02T09:05:00Z", status: 5, spam: true }]));
    const hs = file(
      "hs.json",
      JSON.stringify({ results: [{ id: "7", archived: true, archivedAt: "2026-03-03T00:00:00Z", properties: { createdate: "2026-03-02T09:00:00Z" } }] }),
    );
    const kinds = async (p: string, format: string) =>
      events(await all(p, { format }))
        .filter((e) => e.type === "ticket.merged" || e.type === "ticket.deleted")
        .map((e) => [e.ticket_id, e.type, new Date(e.ts).toISOString()]);
    assert.deepEqual(await kinds(zd, "zendesk"), [
      ["1", "ticket.deleted", "2026-03-02T10:00:00.000Z"],
      ["2", "ticket.merged", "2026-03-02T11:00:00.000Z"],
    ]);
    assert.deepEqual(await kinds(fd, "freshdesk"), [["fd-5", "ticket.deleted", "2026-03-02T09:05:00.000Z"]]);
    assert.deepEqual(await kinds(hs, "hubspot"), [["hs-7", "ticket.deleted", "2026-03-03T00:00:00.000Z"]]);
    // Zendesk's merge comment names the ticket it went into
    const zde = file(
      "zde.json",
      JSON.stringify({
        ticket_events: [
          {
            id: 50,
            ticket_id: 3,
            timestamp: 1772442000,
            child_events: [{ id: 51, event_type: "Comment", body: "This request was closed and merged into request #4.", public: false }],
          },
        ],
      }),
    );
    const merged = events(await all(zde, { format: "zendesk" })).find((e) => e.type === "ticket.merged")!;
    assert.deepEqual([merged.ticket_id, merged.into_ticket_id], ["3", "4"]);
  });
});
