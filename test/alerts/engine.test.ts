import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../src/alerts/clock.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { startReceiver, startSmtp } from "./receivers.js";

const MIN = 60_000;
/** Monday 2 March 2026, 09:00 UTC: an urgent ticket's first reply is due an hour later (default "urgent" policy, calendar clock). */
const T0 = Date.UTC(2026, 2, 2, 9, 0);
const iso = (ms: number) => new Date(ms).toISOString();

describe("alert engine on the live state, with an injected clock", () => {
  let rt: Runtime;
  let clock: ManualClock;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      await rt.alerts.idle();
      await rt.outbox.idle();
    }
  };

  before(async () => {
    rx = await startReceiver("a-long-shared-secret");
    smtp = await startSmtp();
    process.env.DESKPULSE_SMTP_URL = smtp.url;
    clock = new ManualClock(T0);
    rt = new Runtime(await openDuckDbStore({ path: ":memory:" }), { clock });
    delete process.env.DESKPULSE_SMTP_URL;
    await rt.startAlerts();
    await rt.saveSettings("w", {
      agents: { a1: { email: "alice@example.com" } },
      alert_rules: [
        {
          id: "frt30",
          name: "First reply due in 30 min",
          condition: { kind: "sla_due", target: "first_reply", within_minutes: 30 },
          filters: { priority: ["urgent"] },
          destinations: [
            { type: "webhook", url: rx.url, secret: "a-long-shared-secret" },
            { type: "email", to: ["billing-leads@example.com"] },
          ],
        },
      ] as never,
    });
  });
  after(async () => {
    await rt.close();
    await rx.close();
    await smtp.close();
  });

  it("fires the pre-breach reminder at due − 30 min and not a millisecond before, to the assignee, and resolves on the reply", async () => {
    await rt.ingest(
      "w",
      [
        { id: "e1", type: "ticket.created", ts: iso(T0), ticket_id: "T1", priority: "urgent", channel: "email", team_id: "billing", agent_id: "a1" },
        { id: "e2", type: "ticket.created", ts: iso(T0), ticket_id: "T2", priority: "low", channel: "email", team_id: "billing" },
        { id: "e3", type: "ticket.created", ts: iso(T0 + 5 * MIN), ticket_id: "T3", priority: "urgent", channel: "chat", team_id: "sales" },
      ],
      "test",
    );
    await clock.advanceTo(T0 + MIN, settle);
    assert.equal(rx.got.length, 0, "nothing is due yet");
    await clock.advanceTo(T0 + 30 * MIN - 1, settle);
    assert.equal(rx.got.length, 0, "not before due − 30 min");
    await clock.advanceTo(T0 + 30 * MIN, settle);
    assert.equal(rx.got.length, 1, "exactly at due − 30 min");
    const fired = rx.got[0];
    assert.ok(fired.signed, "signed with the destination's secret");
    assert.equal(fired.json.rule_id, "frt30");
    assert.equal(fired.json.rule_name, "First reply due in 30 min");
    assert.equal(fired.json.state, "firing");
    assert.equal(fired.json.ticket_id, "T1");
    assert.equal(fired.json.value, 30);
    assert.equal(fired.json.threshold, 30);
    assert.equal(fired.json.due_at, iso(T0 + 60 * MIN));
    assert.match(String((fired.json.links as Record<string, string>).ticket), /\?page=ticket&id=T1$/);
    await smtp.waitFor(1);
    assert.deepEqual(smtp.mails[0].to, ["alice@example.com"], "the assignee's address from the agents directory");
    assert.match(smtp.mails[0].raw, /Subject: \[Deskpulse\] Alert: First reply due in 30 min/);

    // T3 (created 5 minutes later) follows at its own due − 30 min; T2 (low priority) never.
    await clock.advanceTo(T0 + 35 * MIN - 1, settle);
    assert.equal(rx.got.length, 1);
    await clock.advanceTo(T0 + 35 * MIN, settle);
    assert.equal(rx.got.length, 2);
    assert.equal(rx.got[1].json.ticket_id, "T3");
    // T3 has no assignee: its mail goes to the team's list.
    await smtp.waitFor(2);
    assert.deepEqual(smtp.mails[1].to, ["billing-leads@example.com"]);

    // Fires once: no repeat without renotify_minutes.
    await clock.advanceTo(T0 + 40 * MIN, settle);
    assert.equal(rx.got.length, 2);

    // The agent replies: the condition clears and the alert resolves, once.
    await rt.ingest("w", [{ id: "e4", type: "message.created", ts: iso(T0 + 41 * MIN), ticket_id: "T1", author_type: "agent", agent_id: "a1" }], "test");
    await clock.advanceTo(T0 + 41 * MIN, settle);
    await rx.waitFor(3);
    assert.equal(rx.got[2].json.state, "resolved");
    assert.equal(rx.got[2].json.ticket_id, "T1");
    const alerts = await rt.alerts.list("w");
    assert.deepEqual(alerts.map((a) => [a.ticket_id, a.state]).sort(), [
      ["T1", "resolved"],
      ["T3", "firing"],
    ]);
  });

  it("re-notifies per rule until acknowledged; snooze silences until it ends", async () => {
    const settings = await rt.settings("w");
    await rt.saveSettings("w", {
      alert_rules: [
        ...settings.alert_rules,
        {
          id: "unassigned",
          name: "Unassigned 10 min",
          condition: { kind: "unassigned", longer_than_minutes: 10 },
          filters: { team: ["ops"] },
          destinations: [{ type: "webhook", url: rx.url, secret: "a-long-shared-secret" }],
          renotify_minutes: 15,
        },
      ] as never,
    });
    const start = clock.now();
    await rt.ingest("w", [{ id: "u1", type: "ticket.created", ts: iso(start), ticket_id: "U1", priority: "low", team_id: "ops" }], "test");
    await clock.advanceTo(start + 10 * MIN, settle);
    const mine = () => rx.got.filter((r) => r.json.rule_id === "unassigned");
    assert.equal(mine().length, 1);
    await clock.advanceTo(start + 25 * MIN - 1, settle);
    assert.equal(mine().length, 1);
    await clock.advanceTo(start + 25 * MIN, settle);
    assert.equal(mine().length, 2, "re-notified 15 minutes later");
    const alert = (await rt.alerts.list("w", { state: "firing" })).find((a) => a.rule_id === "unassigned")!;
    await rt.alerts.snooze("w", alert.id, 60);
    await clock.advanceTo(start + 85 * MIN - 1, settle);
    assert.equal(mine().length, 2, "silent while snoozed");
    await clock.advanceTo(start + 85 * MIN, settle);
    assert.equal(mine().length, 3, "back when the snooze ends");
    await rt.alerts.acknowledge("w", alert.id, "lead");
    await clock.advanceTo(start + 200 * MIN, settle);
    assert.equal(mine().length, 3, "acknowledged: no more reminders");
    await rt.ingest("w", [{ id: "u2", type: "ticket.assigned", ts: iso(start + 201 * MIN), ticket_id: "U1", agent_id: "a2" }], "test");
    await clock.advanceTo(start + 201 * MIN, settle);
    await rx.waitFor(rx.got.length + 0);
    await settle();
    assert.equal(mine().at(-1)?.json.state, "resolved", "resolves when assigned");
  });
  it("holds notifications outside the team's business hours and sends them when it opens", async () => {
    const settings = await rt.settings("w");
    await rt.saveSettings("w", {
      alert_rules: [
        ...settings.alert_rules,
        {
          id: "quiet",
          name: "Waiting 5 min",
          condition: { kind: "waiting", longer_than_minutes: 5 },
          filters: { team: ["quiet"] },
          destinations: [{ type: "webhook", url: rx.url, secret: "a-long-shared-secret" }],
          quiet_outside_hours: true,
        },
      ] as never,
    });
    // Saturday 7 March 10:00 UTC: the default calendar (Mon–Fri 09–17 UTC) is closed until Monday 09:00.
    const sat = Date.UTC(2026, 2, 7, 10);
    await clock.advanceTo(sat, settle);
    await rt.ingest("w", [{ id: "q1", type: "ticket.created", ts: iso(sat), ticket_id: "Q1", team_id: "quiet", agent_id: "a1" }], "test");
    await clock.advanceTo(sat + 5 * MIN, settle);
    const mine = () => rx.got.filter((r) => r.json.rule_id === "quiet");
    assert.equal((await rt.alerts.list("w", { rule: "quiet" }))[0]?.state, "firing", "the alert exists");
    assert.equal(mine().length, 0, "but nobody is paged on Saturday");
    await clock.advanceTo(Date.UTC(2026, 2, 9, 9) - 1, settle);
    assert.equal(mine().length, 0);
    await clock.advanceTo(Date.UTC(2026, 2, 9, 9), settle);
    assert.equal(mine().length, 1, "sent when the team opens on Monday 09:00");
  });

  it("metric rules run on their cron schedule over a trailing window, and resolve when it clears", async () => {
    const settings = await rt.settings("w");
    await rt.saveSettings("w", {
      alert_rules: [
        ...settings.alert_rules,
        {
          id: "vol",
          name: "Volume spike",
          condition: { kind: "metric", metric: "ticket_volume", window_minutes: 60, threshold: 2, op: ">", schedule: "*/5 * * * *" },
          filters: { channel: ["metricchan"] },
          destinations: [{ type: "webhook", url: rx.url, secret: "a-long-shared-secret" }],
        },
      ] as never,
    });
    const t = Date.UTC(2026, 2, 9, 10);
    await rt.ingest(
      "w",
      [1, 2, 3].map((i) => ({ id: `m${i}`, type: "ticket.created", ts: iso(t + i * 1000), ticket_id: `M${i}`, channel: "metricchan", agent_id: "a1" })),
      "test",
    );
    const mine = () => rx.got.filter((r) => r.json.rule_id === "vol");
    await clock.advanceTo(t + 5 * MIN - 1, settle);
    assert.equal(mine().length, 0);
    await clock.advanceTo(t + 5 * MIN, settle);
    assert.equal(mine().length, 1, "the 10:05 run sees 3 tickets in the last hour");
    assert.deepEqual([mine()[0].json.metric, mine()[0].json.value, mine()[0].json.threshold, mine()[0].json.ticket_id], ["ticket_volume", 3, 2, null]);
    await clock.advanceTo(t + 60 * MIN, settle);
    assert.equal(mine().length, 1, "still firing at 11:00 (window 10:00–11:00), no repeat");
    await clock.advanceTo(t + 65 * MIN, settle);
    assert.equal(mine().length, 2);
    assert.equal(mine()[1].json.state, "resolved", "the 11:05 window no longer holds them");
  });
});
