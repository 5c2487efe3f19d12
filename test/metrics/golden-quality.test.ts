import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { goldenWorkspace } from "./golden-workspace.js";

// Flagged records, exact tag matching and buckets in a zone whose midnight happens twice.
let n = 0;
const e = (type: string, ts: string, ticket_id: string, extra: Record<string, unknown> = {}) => ({ id: `q${n++}`, type, ts, ticket_id, ...extra });
const reply = (t: string, ts: string) => e("message.created", ts, t, { author_type: "agent", agent_id: "a1", public: true });
const EVENTS = [
  // Q1: a clean email ticket, tag needs_escalation, first reply after 1 h
  e("ticket.created", "2026-03-02T09:00:00Z", "Q1", { channel: "email", tags: ["needs_escalation"] }),
  reply("Q1", "2026-03-02T10:00:00Z"),
  // Q2: an agent message timed before the ticket exists → flagged reply_before_created; reply after 2 h
  e("ticket.created", "2026-03-02T09:00:00Z", "Q2", { channel: "email", tags: ["needsXescalation"] }),
  reply("Q2", "2026-03-02T08:00:00Z"),
  reply("Q2", "2026-03-02T11:00:00Z"),
  // Q3: clean, tag "100%" — a LIKE pattern would read % as a wildcard
  e("ticket.created", "2026-03-03T09:00:00Z", "Q3", { channel: "chat", tags: ["100%"] }),
  reply("Q3", "2026-03-03T09:00:30Z"),
  // Havana: 2026-11-01 01:00 CDT → 00:00 CST, so local 00:00–01:00 happens twice
  e("ticket.created", "2026-10-31T12:00:00Z", "H1", { channel: "chat" }), // 08:00 CDT, 31 October
  e("ticket.created", "2026-11-01T04:30:00Z", "H2", { channel: "chat" }), // 00:30 CDT, the first 00:30 of November
  e("ticket.created", "2026-11-01T05:30:00Z", "H3", { channel: "chat" }), // 00:30 CST, the second
];

describe("golden metrics: data quality, tags, awkward zones", () => {
  const { ws, run } = goldenWorkspace(EVENTS);

  it("a flagged ticket is left out and the number says so", async () => {
    // counted: Q1 3600 s, Q3 30 s → mean 1815; Q2 (flagged) excluded: 1
    const [frt] = await run({ metrics: ["first_response_time"] });
    assert.deepEqual([frt.count, frt.mean, frt.excluded], [2, 1815, 1]);
    // grouped: the email group carries its exclusion, chat has none
    const byChannel = await run({ metrics: ["first_response_time"], groupBy: ["channel"] });
    assert.deepEqual(
      byChannel.map((r) => [r.group?.channel, r.count, r.excluded]),
      [
        ["chat", 1, undefined],
        ["email", 1, 1],
      ],
    );
    // volume: Q1, Q3 counted in March (Q2 excluded)
    const [vol] = await run({ metrics: ["ticket_volume"] });
    assert.deepEqual([vol.value, vol.excluded], [2, 1]);
  });

  it("tag filters match whole tags: _ and % are not wildcards", async () => {
    // needs_escalation matches Q1 only (not Q2's needsXescalation, which is flagged anyway: no exclusion either)
    const [a] = await run({ metrics: ["first_response_time"], filters: { tag: "needs_escalation" } });
    assert.deepEqual([a.count, a.value, a.excluded], [1, 3600, undefined]);
    // "10%" must not match "100%"
    const [b] = await run({ metrics: ["ticket_volume"], filters: { tag: "10%" } });
    assert.deepEqual([b.value, b.count], [null, 0]);
    const [c] = await run({ metrics: ["ticket_volume"], filters: { tag: "100%" } });
    assert.equal(c.value, 1);
  });

  it("months in Havana start at the first local midnight, and both 00:30s fall in November", async () => {
    const havana = { ...ws.settings, timezone: "America/Havana" };
    const rows = await run({ metrics: ["ticket_volume"], from: "2026-10-01T04:00:00Z", to: "2026-12-01T05:00:00Z", grain: "month" }, havana);
    assert.deepEqual(
      rows.map((r) => [r.bucket, r.value]),
      [
        ["2026-10-01T04:00:00.000Z", 1], // 1 October 00:00 CDT (UTC−4)
        ["2026-11-01T04:00:00.000Z", 2], // the first 00:00 of 1 November is still CDT
      ],
    );
  });
});
