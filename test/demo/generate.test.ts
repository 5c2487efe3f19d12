import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateCalendar } from "../../src/calendar/index.js";
import { defaultSettings } from "../../src/config/settings.js";
import { DEMO_END_MS, demoAgents, demoSettings, generateDemo } from "../../src/demo/generate.js";
import { EVENT_TYPES, SURVEY_KINDS } from "../../src/events/types.js";
import { validateEvent } from "../../src/events/validate.js";

type Rec = Record<string, unknown>;
const DAY = 86_400_000;
const records = [...generateDemo({ tickets: 500, seed: 3 })];
const ofType = (type: string) => records.filter((r) => r.type === type);
const byTicket = new Map<string, Rec[]>();
for (const r of records) if (typeof r.ticket_id === "string") byTicket.set(r.ticket_id, [...(byTicket.get(r.ticket_id) ?? []), r]);
const statusesOf = (tid: string) => (byTicket.get(tid) ?? []).filter((e) => e.type === "ticket.status_changed").map((e) => e.status);

describe("demo generator: reproducible and valid", () => {
  it("gives the same records for the same seed and different ones for another seed", () => {
    assert.deepEqual([...generateDemo({ tickets: 500, seed: 3 })], records);
    const other = [...generateDemo({ tickets: 500, seed: 4 })];
    assert.notDeepEqual(other, records);
    // ids follow the same scheme, so a different seed still names ticket T1; its creation differs
    assert.notEqual(other.find((r) => r.type === "ticket.created" && r.ticket_id === "T1")?.ts, ofType("ticket.created").find((r) => r.ticket_id === "T1")?.ts);
  });

  it("produces records the event API accepts, with unique ids, all inside the history", () => {
    const ids = new Set<string>();
    records.forEach((r, i) => {
      const v = validateEvent(r, i);
      assert.ok(v.ok, `record ${i} rejected: ${JSON.stringify(v.ok ? null : v.rejection)} ${JSON.stringify(r)}`);
      assert.equal(typeof r.ts, "number");
      assert.ok((r.ts as number) < DEMO_END_MS, `record ${r.id} after the end`);
      ids.add(r.id as string);
    });
    assert.equal(ids.size, records.length);
    // tickets start within the 6 months (6 × 30.44 days) before the end
    for (const r of ofType("ticket.created")) assert.ok((r.ts as number) >= DEMO_END_MS - Math.round(6 * 30.44 * DAY));
  });

  it("covers every event type, survey kind, channel, priority and segment", () => {
    const types = new Set(records.map((r) => r.type));
    for (const t of EVENT_TYPES) assert.ok(types.has(t), `no ${t}`);
    const kinds = new Set(ofType("survey.responded").map((r) => r.kind));
    for (const k of SURVEY_KINDS) assert.ok(kinds.has(k), `no ${k} survey`);
    assert.deepEqual(new Set(ofType("ticket.created").map((r) => r.channel)), new Set(["email", "chat", "phone", "web", "social"]));
    assert.deepEqual(new Set(ofType("ticket.created").map((r) => r.priority)), new Set(["low", "normal", "high", "urgent"]));
    assert.deepEqual(new Set(ofType("customer.created").map((r) => r.segment)), new Set(["smb", "mid_market", "enterprise"]));
    assert.equal(new Set(ofType("ticket.created").map((r) => r.topic)).size, 10);
    // CX surveys carry two questions under one survey id; SPS carries the referral flags
    const cx = ofType("survey.responded").filter((r) => r.kind === "cx");
    assert.ok(cx.some((a) => cx.some((b) => a.survey_id === b.survey_id && a.question === "ease" && b.question === "speed")));
    assert.ok(ofType("survey.responded").some((r) => r.kind === "sps" && typeof r.referred === "boolean" && "referral_converted" in r));
    assert.ok(ofType("ticket.created").every((r) => typeof (r.fields as Rec).plan === "string"));
  });

  it("has roughly 10 events per ticket", () => {
    // at 500 tickets the four agents' presence adds ~3.5 per ticket on top of ~11 per ticket
    const perTicket = records.length / 500;
    assert.ok(perTicket > 8 && perTicket < 17, `${perTicket} events per ticket`);
    const big = [...generateDemo({ tickets: 5000, seed: 1, months: 1 })].length / 5000;
    assert.ok(big > 8 && big < 14, `${big} events per ticket at 5,000 tickets`);
  });

  it("streams: the first records of a ten-million-ticket demo come without building the rest", () => {
    const it = generateDemo({ tickets: 10_000_000, seed: 1 });
    const first = [it.next().value, it.next().value];
    assert.equal((first[0] as Rec).type, "customer.created");
    assert.equal((first[0] as Rec).customer_id, "cust-0");
    it.return(undefined);
  });

  it("refuses a bad ticket count", () => {
    assert.throws(() => generateDemo({ tickets: -1 }).next(), { code: "invalid_demo" });
  });
});

describe("demo generator: realistic shape", () => {
  const created = ofType("ticket.created");
  const local = (ms: number) => new Date(ms + (new Date(ms).getUTCMonth() >= 3 && new Date(ms).getUTCMonth() <= 8 ? 3_600_000 : 0)); // London, away from the change weeks

  it("has weekday and office-hour peaks", () => {
    const days = [...generateDemo({ tickets: 4000, seed: 9 })].filter((r) => r.type === "ticket.created").map((r) => r.ts as number);
    const weekend = days.filter((ts) => [0, 6].includes(local(ts).getUTCDay())).length;
    // weekday weights 1.15+1.1+1.05+1+0.9 = 5.2 per 5 days = 1.04/day, weekend 0.45+0.5 = 0.95 per 2 days = 0.475/day:
    // per-day ratio 1.04 / 0.475 ≈ 2.19
    const ratio = (days.length - weekend) / 5 / (weekend / 2);
    assert.ok(ratio > 1.8 && ratio < 2.7, `weekday/weekend per-day ratio ${ratio}`);
    // hours 09–17 weigh 7+8+8+7+7.5+8+7.5+6.5 = 59.5 of 94.2 → 63%
    const office = days.filter((ts) => local(ts).getUTCHours() >= 9 && local(ts).getUTCHours() < 17).length / days.length;
    assert.ok(office > 0.57 && office < 0.69, `office-hours share ${office}`);
  });

  it("answers live channels faster than email", () => {
    const firstReply = (channel: string) => {
      const waits = created
        .filter((c) => c.channel === channel && c.created_by === "customer")
        .map((c) => {
          const reply = byTicket.get(c.ticket_id as string)!.find((e) => e.type === "message.created" && e.author_type === "agent" && e.public);
          return reply ? (reply.ts as number) - (c.ts as number) : null;
        })
        .filter((x): x is number => x !== null)
        .sort((a, b) => a - b);
      return waits[waits.length >> 1];
    };
    // chat: queue (~25 s) + ~40 s to write; email: ~2.5 open hours
    assert.ok(firstReply("chat") < 10 * 60_000, `chat median ${firstReply("chat")}`);
    assert.ok(firstReply("email") > 30 * 60_000, `email median ${firstReply("email")}`);
  });

  it("has bots, transfers, notes, pending periods, reopens and a live backlog", () => {
    const chats = created.filter((c) => c.channel === "chat").map((c) => byTicket.get(c.ticket_id as string)!);
    // where a bot takes part, its message comes first
    for (const evs of chats) {
      const msgs = evs.filter((e) => e.type === "message.created");
      if (msgs.some((m) => m.author_type === "bot")) assert.equal(msgs[0].author_type, "bot");
    }
    assert.ok(ofType("ticket.assigned").length > created.length, "some tickets are transferred");
    assert.ok(
      ofType("message.created").some((m) => m.public === false),
      "internal notes",
    );
    const tickets = created.map((c) => c.ticket_id as string);
    assert.ok(tickets.some((t) => statusesOf(t).includes("pending")));
    const solved = tickets.filter((t) => statusesOf(t).includes("solved"));
    const reopened = solved.filter((t) => {
      const s = statusesOf(t);
      return s.indexOf("open", s.indexOf("solved")) > 0;
    });
    // reopen chance 8% of tickets solved by an agent (bot-solved ones never reopen)
    const share = reopened.length / solved.length;
    assert.ok(share > 0.03 && share < 0.14, `reopen share ${share}`);
    const backlog = tickets.filter((t) => !statusesOf(t).includes("solved"));
    assert.ok(backlog.length > 0, "some tickets are still open at the end");
    assert.ok(
      backlog.some((t) => !byTicket.get(t)!.some((e) => e.type === "message.created" && e.author_type === "agent")),
      "some are unanswered",
    );
  });

  it("has calls and chats with ~10% abandonment at the IVR or in the queue", () => {
    const ended = ofType("contact.ended");
    const abandoned = ended.filter((e) => e.abandoned === true);
    // 41% of tickets are live (chat 26% + phone 15%) and 12% of those add an abandoned contact:
    // 0.049 abandoned for ~0.37 answered (minus bot-solved chats) → ~12%
    const share = abandoned.length / ended.length;
    assert.ok(share > 0.06 && share < 0.18, `abandoned share ${share}`);
    assert.ok(abandoned.every((e) => e.step === "ivr" || e.step === "queue"));
    assert.ok(ended.filter((e) => !e.abandoned).every((e) => (e.talk_s as number) > 0 && typeof e.hold_s === "number" && typeof e.acw_s === "number"));
  });

  it("creates customers before their tickets; some buy twice, some purchases follow a ticket, some churn", () => {
    const joined = new Map(ofType("customer.created").map((c) => [c.customer_id, c.ts as number]));
    for (const c of created) assert.ok(joined.get(c.customer_id)! <= (c.ts as number), `${c.customer_id} joined after ${c.ticket_id}`);
    const buys = new Map<unknown, number>();
    for (const p of ofType("customer.purchase")) buys.set(p.customer_id, (buys.get(p.customer_id) ?? 0) + 1);
    assert.ok([...buys.values()].some((n) => n >= 2));
    assert.ok(ofType("customer.purchase").some((p) => typeof p.ticket_id === "string"));
    assert.ok(ofType("customer.churned").length > 0);
  });

  it("has help-center sessions that lead to a ticket and sessions that do not", () => {
    const sessions = new Map<unknown, Rec[]>();
    for (const r of [...ofType("helpcenter.search"), ...ofType("helpcenter.view")]) sessions.set(r.session_id, [...(sessions.get(r.session_id) ?? []), r]);
    let followed = 0;
    let alone = 0;
    for (const evs of sessions.values()) {
      const s = evs.find((e) => e.type === "helpcenter.search")!;
      assert.ok(evs.some((e) => e.type === "helpcenter.view"));
      const next = created.some((c) => c.customer_id === s.customer_id && (c.ts as number) > (s.ts as number) && (c.ts as number) - (s.ts as number) < DAY);
      if (next) followed++;
      else alone++;
    }
    assert.ok(followed > 0 && alone > 0, `${followed} followed, ${alone} alone`);
  });

  it("has agent presence and eNPS from ~25 agents in 4 teams at full size", () => {
    assert.equal(demoAgents().length, 25);
    assert.deepEqual(new Set(demoAgents().map((a) => a.team)).size, 4);
    assert.equal(demoAgents(500).length, 4); // one per team for a small demo
    const statuses = new Set(ofType("agent.status").map((e) => e.status));
    assert.ok(statuses.has("online") && statuses.has("away") && statuses.has("offline"));
    assert.ok(ofType("survey.responded").some((e) => e.kind === "enps" && typeof e.agent_id === "string"));
  });

  it("comes with settings that validate", () => {
    const s = demoSettings();
    validateCalendar(s.calendar!);
    for (const c of Object.values(s.team_calendars!)) validateCalendar(c);
    const known = Object.keys(defaultSettings());
    for (const k of Object.keys(s)) assert.ok(known.includes(k), k);
    assert.ok(s.sla_policies!.every((p) => p.clock === "calendar" || p.clock === "business"));
  });
});
