/**
 * A reproducible demo workspace of any size, streamed (never held in memory): customers, agents,
 * tickets across channels with weekly and daily seasonality, bots, transfers, pending periods,
 * reopens, surveys of every kind, calls and chats with abandonment, help-center sessions,
 * purchases, churn and agent presence. Same options and seed → the same records.
 */
export interface DemoOptions {
  tickets: number;
  seed?: number;
  /** end of the history (epoch ms); default 2026-06-30T00:00Z so tests are stable */
  endMs?: number;
  months?: number;
  workspace?: string;
}

type Rec = Record<string, unknown>;

export function rng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export const DEMO_TEAMS = ["billing", "technical", "sales", "success"];
export const DEMO_TOPICS = ["billing", "refund", "login", "bug", "shipping", "pricing", "onboarding", "integration", "account", "feature_request"];
const TOPIC_TEAM: Record<string, string> = {
  billing: "billing",
  refund: "billing",
  pricing: "sales",
  login: "technical",
  bug: "technical",
  integration: "technical",
  shipping: "success",
  onboarding: "success",
  account: "success",
  feature_request: "sales",
};
const CHANNELS: [string, number][] = [
  ["email", 0.34],
  ["chat", 0.26],
  ["phone", 0.15],
  ["web", 0.15],
  ["social", 0.1],
];
/** typical first-reply delay per channel (ms) */
const REPLY_SPEED: Record<string, number> = { chat: 70_000, phone: 40_000, email: 3 * HOUR, web: 4 * HOUR, social: 1.2 * HOUR };
const PRIORITIES: [string, number][] = [
  ["low", 0.2],
  ["normal", 0.55],
  ["high", 0.18],
  ["urgent", 0.07],
];
const SEGMENTS: [string, number][] = [
  ["smb", 0.6],
  ["mid_market", 0.3],
  ["enterprise", 0.1],
];
/** relative ticket volume per hour of the day (UTC) and per weekday (Sun..Sat) */
const HOURLY = [1, 0.6, 0.4, 0.4, 0.5, 0.8, 1.5, 3, 5, 7, 8, 8, 7, 7.5, 8, 7.5, 6.5, 5, 4, 3.5, 3, 2.5, 2, 1.5];
const WEEKLY = [0.45, 1.15, 1.1, 1.05, 1, 0.9, 0.5];

function pickWeighted<T>(r: () => number, items: [T, number][]): T {
  let x = r() * items.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of items) {
    x -= w;
    if (x <= 0) return v;
  }
  return items[items.length - 1][0];
}

const exp = (r: () => number, mean: number) => -Math.log(1 - r() * 0.999999) * mean;

export function demoAgents(): { id: string; team: string }[] {
  const out: { id: string; team: string }[] = [];
  let n = 1;
  for (const team of DEMO_TEAMS) for (let i = 0; i < 6; i++) out.push({ id: `agent-${String(n++).padStart(2, "0")}`, team });
  return out;
}

export function* generateDemo(opts: DemoOptions): Generator<Rec> {
  const r = rng(opts.seed ?? 1);
  const end = opts.endMs ?? Date.UTC(2026, 5, 30);
  const months = opts.months ?? 6;
  const start = end - Math.round(months * 30.44 * DAY);
  const span = end - start;
  const nCustomers = Math.max(20, Math.round(opts.tickets / 2.5));
  const agents = demoAgents();
  const byTeam = new Map(DEMO_TEAMS.map((t) => [t, agents.filter((a) => a.team === t)]));
  const segments: string[] = [];

  // Customers: most existed before the period, the rest join during it; some churn; some buy.
  for (let c = 0; c < nCustomers; c++) {
    const id = `cust-${c}`;
    const seg = pickWeighted(r, SEGMENTS);
    segments.push(seg);
    const created = r() < 0.7 ? start - Math.round(r() * 365 * DAY) : start + Math.round(r() * span);
    yield { id: `${id}-created`, type: "customer.created", ts: created, customer_id: id, segment: seg };
    if (r() < 0.35) {
      const first = Math.max(created, start) + Math.round(r() * (end - Math.max(created, start)));
      yield { id: `${id}-buy1`, type: "customer.purchase", ts: first, customer_id: id, amount: Math.round(20 + r() * 480), product: r() < 0.5 ? "plan" : "addon" };
      if (r() < 0.4 && first + DAY < end)
        yield {
          id: `${id}-buy2`,
          type: "customer.purchase",
          ts: first + Math.round(r() * (end - first)),
          customer_id: id,
          amount: Math.round(20 + r() * 300),
          product: r() < 0.5 ? "addon" : "seats",
        };
    }
    if (r() < 0.06) yield { id: `${id}-churn`, type: "customer.churned", ts: Math.max(created, start) + Math.round(r() * (end - Math.max(created, start))), customer_id: id };
  }

  // Agent presence on working days, and an eNPS pulse per agent per quarter.
  for (let d = Math.floor(start / DAY); d < Math.floor(end / DAY); d++) {
    const dow = new Date(d * DAY).getUTCDay();
    if (dow === 0 || dow === 6) continue;
    for (const a of agents) {
      if (r() < 0.08) continue; // day off
      const on = d * DAY + 8 * HOUR + Math.round(r() * 60) * MIN;
      yield { id: `${a.id}-${d}-on`, type: "agent.status", ts: on, agent_id: a.id, team_id: a.team, status: "online" };
      yield { id: `${a.id}-${d}-away`, type: "agent.status", ts: on + 4 * HOUR, agent_id: a.id, status: "away" };
      yield { id: `${a.id}-${d}-back`, type: "agent.status", ts: on + 5 * HOUR, agent_id: a.id, status: "online" };
      const off = on + 9 * HOUR;
      if (off < end) yield { id: `${a.id}-${d}-off`, type: "agent.status", ts: off, agent_id: a.id, status: "offline" };
    }
  }
  for (let q = start; q < end; q += 91 * DAY)
    for (const a of agents)
      if (r() < 0.7)
        yield { id: `enps-${a.id}-${q}`, type: "survey.responded", ts: q + 10 * DAY, kind: "enps", score: Math.min(10, Math.round(5 + r() * 6)), scale: 10, agent_id: a.id, team_id: a.team, question: "recommend_workplace" };

  // Tickets: volume shaped by weekday and hour.
  const weightSum = HOURLY.reduce((s, x) => s + x, 0);
  for (let i = 0; i < opts.tickets; i++) {
    const tid = `T${i + 1}`;
    let created = 0;
    for (;;) {
      const day = start + Math.floor(r() * (span / DAY)) * DAY;
      const dow = new Date(day).getUTCDay();
      if (r() * 1.2 > WEEKLY[dow]) continue;
      let x = r() * weightSum;
      let h = 0;
      while (h < 23 && x > HOURLY[h]) x -= HOURLY[h++];
      created = day + h * HOUR + Math.round(r() * HOUR);
      break;
    }
    if (created >= end) created = end - HOUR;
    const cust = Math.floor(r() * r() * nCustomers); // some customers write often
    const customer = `cust-${cust}`;
    const channel = pickWeighted(r, CHANNELS);
    const priority = pickWeighted(r, PRIORITIES);
    const topic = DEMO_TOPICS[Math.floor(r() * DEMO_TOPICS.length)];
    const team = TOPIC_TEAM[topic];
    const outbound = r() < 0.04;
    const plan = segments[cust] === "enterprise" ? "enterprise" : r() < 0.5 ? "pro" : "basic";
    const events: Rec[] = [];
    let n = 0;
    const ev = (type: string, ts: number, extra: Rec = {}) => {
      if (ts < end) events.push({ id: `${tid}-${n++}`, type, ts: Math.round(ts), ticket_id: tid, ...extra });
    };
    // a help-center visit before some tickets (not deflected), and some visits that end there
    if (r() < 0.25) {
      const s0 = created - Math.round((0.2 + r() * 6) * HOUR);
      events.push({ id: `${tid}-hc-s`, type: "helpcenter.search", ts: s0, session_id: `hs-${tid}`, customer_id: customer, query: topic.replace("_", " ") });
      events.push({ id: `${tid}-hc-v`, type: "helpcenter.view", ts: s0 + 40_000, session_id: `hs-${tid}`, customer_id: customer, article_id: `kb-${topic}` });
    }
    if (r() < 0.6) {
      const s0 = start + Math.round(r() * span);
      const sid = `hd-${tid}`;
      events.push({ id: `${sid}-s`, type: "helpcenter.search", ts: s0, session_id: sid, customer_id: `cust-${Math.floor(r() * nCustomers)}`, query: topic });
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++)
        events.push({ id: `${sid}-v${k}`, type: "helpcenter.view", ts: s0 + (k + 1) * 50_000, session_id: sid, article_id: `kb-${topic}-${k}` });
    }
    // calls and chats go through a queue first
    const queued = channel === "phone" || channel === "chat";
    let t = created;
    if (queued) {
      const cid = `C-${tid}`;
      const wait = exp(r, channel === "phone" ? 45_000 : 25_000);
      events.push({ id: `${cid}-o`, type: "contact.offered", ts: created - wait - 30_000, contact_id: cid, ticket_id: tid, channel, queue: team, step: "ivr", customer_id: customer });
      events.push({ id: `${cid}-q`, type: "contact.offered", ts: created - wait, contact_id: cid, channel, queue: team, step: "queue" });
      const ag = byTeam.get(team)![Math.floor(r() * 6)];
      events.push({ id: `${cid}-a`, type: "contact.answered", ts: created, contact_id: cid, agent_id: ag.id });
      const talk = Math.round(exp(r, channel === "phone" ? 300 : 420));
      const hold = r() < 0.3 ? Math.round(exp(r, 60)) : 0;
      events.push({ id: `${cid}-e`, type: "contact.ended", ts: created + (talk + hold) * 1000, contact_id: cid, talk_s: talk, hold_s: hold, acw_s: Math.round(exp(r, 45)) });
      if (r() < 0.12) {
        // another caller who gave up: no ticket
        const aid = `C-${tid}-x`;
        const ab = created - Math.round(r() * 3 * HOUR);
        const step = r() < 0.35 ? "ivr" : "queue";
        events.push({ id: `${aid}-o`, type: "contact.offered", ts: ab, contact_id: aid, channel, queue: team, step, customer_id: `cust-${Math.floor(r() * nCustomers)}` });
        events.push({ id: `${aid}-e`, type: "contact.ended", ts: ab + Math.round(exp(r, 70_000)), contact_id: aid, abandoned: true, step });
      }
    }
    ev("ticket.created", t, {
      channel,
      priority,
      topic,
      tags: r() < 0.05 ? [topic, "escalated"] : [topic],
      customer_id: customer,
      created_by: outbound ? "agent" : "customer",
      subject: `${topic.replace("_", " ")} question`,
      fields: { plan },
    });
    // chat bots answer first; some conversations end there
    if (channel === "chat" && r() < 0.5) {
      ev("message.created", t + 3_000, { author_type: "bot", public: true });
      if (r() < 0.3) {
        ev("bot.resolved", t + 90_000);
        ev("ticket.status_changed", t + 95_000, { status: "solved" });
        if (r() < 0.3) ev("survey.responded", t + 2 * HOUR, { kind: "csat", score: r() < 0.7 ? 5 : 3, scale: 5, channel, customer_id: customer });
        for (const e of events) yield e;
        continue;
      }
      ev("bot.handoff", t + 60_000);
    }
    let ag = byTeam.get(team)![Math.floor(r() * 6)];
    ev("ticket.assigned", t + exp(r, 4 * MIN), { team_id: team, agent_id: ag.id });
    if (outbound) {
      ev("message.created", t + 1_000, { author_type: "agent", agent_id: ag.id, public: true });
      t += exp(r, 5 * HOUR);
      ev("message.created", t, { author_type: "customer", public: true });
    }
    // nights and weekends slow the first reply down
    const hour = new Date(t).getUTCHours();
    const dow = new Date(t).getUTCDay();
    const slow = (hour < 8 || hour > 18 ? 3 : 1) * (dow === 0 || dow === 6 ? 2.5 : 1) * (priority === "urgent" ? 0.4 : 1);
    if (r() < 0.08) ev("message.created", t + 2 * MIN, { author_type: "agent", agent_id: ag.id, public: false });
    if (r() < 0.12) {
      // transfer to another team
      const other = DEMO_TEAMS[(DEMO_TEAMS.indexOf(team) + 1 + Math.floor(r() * 3)) % 4];
      ag = byTeam.get(other)![Math.floor(r() * 6)];
      t += exp(r, 30 * MIN);
      ev("ticket.assigned", t, { team_id: other, agent_id: ag.id });
    }
    // recent tickets may still be waiting
    const age = end - created;
    if (age < 2 * DAY && r() < 0.5) {
      for (const e of events) yield e;
      continue;
    }
    t += exp(r, REPLY_SPEED[channel] * slow);
    ev("message.created", t, { author_type: "agent", agent_id: ag.id, public: true });
    ev("ticket.status_changed", t + 1_000, { status: "open" });
    const exchanges = Math.floor(exp(r, 0.9));
    for (let k = 0; k < exchanges; k++) {
      if (r() < 0.3) {
        ev("ticket.status_changed", t + 2_000, { status: "pending" });
        t += exp(r, 8 * HOUR);
        ev("message.created", t, { author_type: "customer", public: true });
        ev("ticket.status_changed", t + 1_000, { status: "open" });
      } else {
        t += exp(r, 2 * HOUR);
        ev("message.created", t, { author_type: "customer", public: true });
      }
      t += exp(r, REPLY_SPEED[channel] * slow * 1.3);
      ev("message.created", t, { author_type: "agent", agent_id: ag.id, public: true });
    }
    if (age < 3 * DAY && r() < 0.4) {
      for (const e of events) yield e;
      continue;
    }
    t += exp(r, 40 * MIN);
    ev("ticket.status_changed", t, { status: "solved" });
    if (r() < 0.08) {
      t += exp(r, 20 * HOUR);
      ev("message.created", t, { author_type: "customer", public: true });
      ev("ticket.status_changed", t + 1_000, { status: "open" });
      t += exp(r, REPLY_SPEED[channel] * 1.5);
      ev("message.created", t, { author_type: "agent", agent_id: ag.id, public: true });
      ev("ticket.status_changed", t + 60_000, { status: "solved" });
      t += 60_000;
    }
    const solvedAt = t;
    ev("ticket.status_changed", solvedAt + 3 * DAY, { status: "closed" });
    // feedback: the slower the resolution, the lower the score
    const speed = Math.min(1, (solvedAt - created) / (3 * DAY));
    if (r() < 0.35) {
      const sid = `${tid}:csat`;
      ev("survey.sent", solvedAt + HOUR, { kind: "csat", survey_id: sid, agent_id: ag.id, customer_id: customer });
      if (r() < 0.55) {
        const score = Math.max(1, Math.min(5, Math.round(5 - speed * 2.2 - r() * 1.6 + 0.4)));
        ev("survey.responded", solvedAt + 3 * HOUR, { kind: "csat", survey_id: sid, score, scale: 5, agent_id: ag.id, customer_id: customer, touchpoint: channel });
      }
    }
    if (r() < 0.12)
      ev("survey.responded", solvedAt + DAY, { kind: "nps", score: Math.max(0, Math.min(10, Math.round(10.6 - speed * 3 - r() * 4.2))), scale: 10, customer_id: customer });
    if (r() < 0.1)
      ev("survey.responded", solvedAt + 2 * HOUR, { kind: "ces", score: Math.max(1, Math.min(7, Math.round(6.5 - speed * 3 - r() * 2))), scale: 7, customer_id: customer });
    if (r() < 0.05) {
      const sid = `${tid}:cx`;
      ev("survey.responded", solvedAt + 4 * HOUR, { kind: "cx", survey_id: sid, question: "ease", score: 1 + Math.floor(r() * 5), scale: 5, touchpoint: channel });
      ev("survey.responded", solvedAt + 4 * HOUR + 1_000, { kind: "cx", survey_id: sid, question: "speed", score: 1 + Math.floor(r() * 5), scale: 5, touchpoint: channel });
    }
    if (r() < 0.03)
      ev("survey.responded", solvedAt + 5 * DAY, { kind: "sps", referred: r() < 0.4, referral_converted: r() < 0.15, customer_id: customer });
    if (r() < 0.05) events.push({ id: `${tid}-upsell`, type: "customer.purchase", ts: Math.round(solvedAt + DAY), customer_id: customer, ticket_id: tid, agent_id: ag.id, amount: 99, product: "upgrade" });
    for (const e of events) if ((e.ts as number) < end) yield e;
  }
}
