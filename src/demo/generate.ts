import { addBusinessMs, type CompiledCalendar, compileCalendar, tzOffset } from "../calendar/index.js";
import { type CalendarDef, defaultSettings, type WorkspaceSettings } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";

/**
 * A reproducible demo workspace of any size, streamed (never held in memory): customers, agents,
 * tickets across channels with weekly and daily seasonality, bots, transfers, pending periods,
 * reopens, surveys of every kind, calls and chats with abandonment, help-center sessions,
 * purchases, churn and agent presence. Same options and seed → the same records.
 *
 * Records are raw events as the event API takes them (`ts` in epoch ms). Order: customers, then
 * agent presence and eNPS pulses, then one ticket after another (each ticket's events, with its
 * calls, chats, help-center visits and surveys, in time order). Memory stays constant: customers
 * are derived from their index (creation time, segment) rather than remembered.
 */
export interface DemoOptions {
  tickets: number;
  seed?: number;
  /** end of the history (epoch ms, exclusive); default 2026-06-30T00:00Z so tests are stable */
  endMs?: number;
  /** length of the history; default 6 */
  months?: number;
  /** accepted for the CLI's sake; records carry no workspace (the API takes it from the key) */
  workspace?: string;
}

type Rec = Record<string, unknown>;

export const DEMO_END_MS = Date.UTC(2026, 5, 30);
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** mulberry32: tiny, fast and good enough for synthetic data. */
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

/** A stable uniform [0, 1) from (seed, n): per-customer traits without remembering customers. */
function hash01(seed: number, n: number): number {
  let h = Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(n + 0x165667b1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return ((h ^ (h >>> 15)) >>> 0) / 4294967296;
}

export const DEMO_TEAMS = ["billing", "technical", "sales", "success"];
/** agents per team at full size (≥ 20,000 tickets): 25 in all; smaller demos staff fewer */
const TEAM_SIZE: Record<string, number> = { billing: 6, technical: 7, sales: 6, success: 6 };
export const DEMO_TOPICS = ["billing", "refund", "login", "bug", "shipping", "pricing", "onboarding", "integration", "account", "feature_request"];
const TOPIC_TEAM: Record<string, string> = {
  billing: "billing",
  refund: "billing",
  pricing: "sales",
  feature_request: "sales",
  login: "technical",
  bug: "technical",
  integration: "technical",
  shipping: "success",
  onboarding: "success",
  account: "success",
};
const CHANNELS: [string, number][] = [
  ["email", 0.34],
  ["chat", 0.26],
  ["phone", 0.15],
  ["web", 0.15],
  ["social", 0.1],
];
/** mean first-reply delay in open (business) time for the written channels */
const REPLY_MS: Record<string, number> = { email: 2.5 * HOUR, web: 3 * HOUR, social: 50 * MIN };
const PRIORITIES: [string, number][] = [
  ["low", 0.2],
  ["normal", 0.55],
  ["high", 0.18],
  ["urgent", 0.07],
];
/** relative ticket volume per local hour of the day and per weekday (Sun..Sat) */
const HOURLY = [1, 0.6, 0.4, 0.4, 0.5, 0.8, 1.5, 3, 5, 7, 8, 8, 7, 7.5, 8, 7.5, 6.5, 5, 4, 3.5, 3, 2.5, 2, 1.5];
const HOURLY_SUM = HOURLY.reduce((s, x) => s + x, 0);
const WEEKLY = [0.45, 1.15, 1.1, 1.05, 1, 0.9, 0.5];
const WEEKLY_MAX = Math.max(...WEEKLY);

const DEMO_ZONE = "Europe/London";
const WEEKDAY_HOURS = (a: string, b: string) => ({ mon: [[a, b]], tue: [[a, b]], wed: [[a, b]], thu: [[a, b]], fri: [[a, b]] }) as CalendarDef["hours"];
/** England's bank holidays 2025–2027 */
const HOLIDAYS = [
  ...["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"],
  ...["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"],
  ...["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"],
];

/** Settings that suit the demo data: a London office week, a longer day for technical support, SLAs. */
export function demoSettings(): Partial<WorkspaceSettings> {
  const base = defaultSettings();
  return {
    timezone: DEMO_ZONE,
    week_start: "mon",
    calendar: { timezone: DEMO_ZONE, hours: WEEKDAY_HOURS("08:00", "18:00"), holidays: HOLIDAYS },
    team_calendars: {
      technical: { timezone: DEMO_ZONE, hours: { ...WEEKDAY_HOURS("07:00", "21:00"), sat: [["09:00", "17:00"]] }, holidays: HOLIDAYS },
    },
    sla_policies: [
      { name: "urgent", match: { priority: ["urgent"] }, first_reply_s: HOUR / 1000, next_reply_s: 4 * 3600, resolution_s: 8 * 3600, clock: "calendar" },
      { name: "live", match: { channel: ["chat", "phone"] }, first_reply_s: 120, next_reply_s: 600, resolution_s: 8 * 3600, clock: "business" },
      { name: "high", match: { priority: ["high"] }, first_reply_s: 2 * 3600, next_reply_s: 4 * 3600, resolution_s: 16 * 3600, clock: "business" },
      { name: "standard", first_reply_s: 6 * 3600, next_reply_s: 10 * 3600, resolution_s: 40 * 3600, clock: "business" },
    ],
    channel_targets: base.channel_targets,
  };
}

export interface DemoAgent {
  id: string;
  team: string;
}

/** The agents of a demo of `tickets` tickets: ~25 in four teams at full size, at least one per team. */
export function demoAgents(tickets = 20_000): DemoAgent[] {
  const scale = Math.min(1, tickets / 20_000);
  const out: DemoAgent[] = [];
  let n = 1;
  for (const team of DEMO_TEAMS)
    for (let i = 0; i < Math.max(1, Math.round(TEAM_SIZE[team] * scale)); i++) out.push({ id: `agent-${String(n++).padStart(2, "0")}`, team });
  return out;
}

function pickWeighted<T>(r: () => number, items: [T, number][]): T {
  let x = r();
  for (const [v, w] of items) {
    x -= w;
    if (x <= 0) return v;
  }
  return items[items.length - 1][0];
}

/** exponential with the given mean (capped at ~14 means) */
const exp = (r: () => number, mean: number) => -Math.log(1 - r() * 0.999999) * mean;
const pick = <T>(r: () => number, xs: T[]): T => xs[Math.floor(r() * xs.length)];
const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(x)));

export function* generateDemo(opts: DemoOptions): Generator<Rec> {
  if (!Number.isInteger(opts.tickets) || opts.tickets < 0) throw new UserError("invalid_demo", `tickets must be a whole number ≥ 0; got ${opts.tickets}`);
  const seed = opts.seed ?? 1;
  const end = opts.endMs ?? DEMO_END_MS;
  const months = opts.months ?? 6;
  if (!Number.isFinite(end) || !(months > 0)) throw new UserError("invalid_demo", "endMs must be epoch milliseconds and months a positive number");
  const start = end - Math.round(months * 30.44 * DAY);
  const span = end - start;
  const settings = demoSettings();
  const teamCal = (team: string): CompiledCalendar => compileCalendar(settings.team_calendars![team] ?? settings.calendar!);
  const agents = demoAgents(opts.tickets);
  const byTeam = new Map(DEMO_TEAMS.map((t) => [t, agents.filter((a) => a.team === t)]));

  // London's offset per local date, so that peaks sit at local office hours all year.
  const offsets = new Map<number, number>();
  const offsetOf = (dayNum: number) => {
    let o = offsets.get(dayNum);
    if (o === undefined) {
      o = tzOffset(dayNum * DAY + 12 * HOUR, DEMO_ZONE);
      offsets.set(dayNum, o);
    }
    return o;
  };
  const localInstant = (dayNum: number, msOfDay: number) => dayNum * DAY + msOfDay - offsetOf(dayNum);

  // Customers: the first 70% existed before the history starts, the rest join through it in
  // index order, so "customers existing at t" is a prefix of the indexes.
  const nCustomers = Math.max(20, Math.round(opts.tickets / 2.5));
  const nBefore = Math.round(nCustomers * 0.7);
  const joinedAt = (c: number) =>
    c < nBefore ? start - Math.round(hash01(seed, c) * 365 * DAY) : start + Math.floor(((c - nBefore + hash01(seed, c)) / (nCustomers - nBefore)) * span);
  const existingAt = (t: number) => Math.max(1, Math.min(nCustomers, nBefore + Math.floor(((t - start) / span) * (nCustomers - nBefore))));
  const segmentOf = (c: number) => {
    const x = hash01(seed + 1, c);
    return x < 0.6 ? "smb" : x < 0.9 ? "mid_market" : "enterprise";
  };

  {
    const r = rng(seed * 7 + 1);
    for (let c = 0; c < nCustomers; c++) {
      const id = `cust-${c}`;
      const created = joinedAt(c);
      if (created >= end) continue;
      yield { id: `${id}-created`, type: "customer.created", ts: created, customer_id: id, segment: segmentOf(c) };
      const from = Math.max(created, start);
      if (r() < 0.35) {
        const first = from + Math.round(r() * (end - from));
        yield {
          id: `${id}-buy1`,
          type: "customer.purchase",
          ts: first,
          customer_id: id,
          amount: Math.round(20 + r() * 480),
          product: r() < 0.5 ? "plan" : "addon",
        };
        if (r() < 0.4) {
          const second = first + Math.round(r() * (end - first));
          if (second < end)
            yield {
              id: `${id}-buy2`,
              type: "customer.purchase",
              ts: second,
              customer_id: id,
              amount: Math.round(20 + r() * 300),
              product: r() < 0.5 ? "addon" : "seats",
            };
        }
      }
      if (r() < 0.06) yield { id: `${id}-churn`, type: "customer.churned", ts: from + Math.round(r() * (end - from)), customer_id: id };
    }
  }

  // Agent presence on working days (London office hours, lunch away, sometimes busy), and a
  // quarterly eNPS pulse that about 70% of agents answer.
  {
    const r = rng(seed * 7 + 2);
    const holidays = new Set(settings.calendar!.holidays);
    for (let d = Math.floor(start / DAY); d <= Math.floor(end / DAY); d++) {
      const dow = new Date(d * DAY).getUTCDay();
      if (dow === 0 || dow === 6 || holidays.has(new Date(d * DAY).toISOString().slice(0, 10))) continue;
      for (const a of agents) {
        if (r() < 0.08) continue; // day off
        const on = localInstant(d, 7.5 * HOUR + Math.floor(r() * 90) * MIN);
        const shift: [number, string][] = [[on, "online"]];
        if (r() < 0.15) shift.push([on + 2 * HOUR + Math.floor(r() * 60) * MIN, "busy"], [on + 3.5 * HOUR, "online"]);
        if (r() < 0.7) shift.push([on + 4 * HOUR, "away"], [on + 5 * HOUR, "online"]);
        shift.push([on + (8.5 + r()) * HOUR, "offline"]);
        for (const [ts, status] of shift) {
          if (ts >= end || ts < start) continue;
          const rec: Rec = { id: `${a.id}-${d}-${status}-${Math.round(ts)}`, type: "agent.status", ts: Math.round(ts), agent_id: a.id, status };
          if (status === "online" && ts === on) rec.team_id = a.team;
          yield rec;
        }
      }
    }
    for (let q = start + 20 * DAY, k = 0; q < end; q += 91 * DAY, k++)
      for (const a of agents)
        if (r() < 0.7)
          yield {
            id: `enps-${k}-${a.id}`,
            type: "survey.responded",
            ts: q + Math.floor(r() * 5 * DAY),
            kind: "enps",
            score: clamp(4 + r() * 7, 0, 10),
            scale: 10,
            agent_id: a.id,
            team_id: a.team,
            question: "recommend_workplace",
          };
  }

  // Tickets, each with everything around it.
  const r = rng(seed);
  const firstDay = Math.floor(start / DAY);
  const days = Math.ceil(span / DAY) + 1;
  for (let i = 0; i < opts.tickets; i++) {
    const tid = `T${i + 1}`;
    const out: Rec[] = [];
    let n = 0;
    const ev = (type: string, ts: number, extra: Rec = {}) => {
      out.push({ id: `${tid}-${n++}`, type, ts: Math.round(ts), ticket_id: tid, ...extra });
    };
    const other = (id: string, type: string, ts: number, extra: Rec) => {
      out.push({ id, type, ts: Math.round(ts), ...extra });
    };

    // When: a weekday-weighted local date, a local hour shaped like an office day.
    let created = 0;
    for (;;) {
      const d = firstDay + Math.floor(r() * days);
      if (r() * WEEKLY_MAX > WEEKLY[new Date(d * DAY).getUTCDay()]) continue;
      let x = r() * HOURLY_SUM;
      let h = 0;
      while (h < 23 && x > HOURLY[h]) x -= HOURLY[h++];
      created = localInstant(d, h * HOUR + Math.floor(r() * HOUR));
      if (created >= start && created < end) break;
    }
    const cust = Math.floor(r() * r() * (existingAt(created) - 1)); // long-standing customers write more
    const customer = `cust-${cust}`;
    const segment = segmentOf(cust);
    const channel = pickWeighted(r, CHANNELS);
    let priority = pickWeighted(r, PRIORITIES);
    if (segment === "enterprise" && priority === "normal" && r() < 0.3) priority = "high";
    const topic = pick(r, DEMO_TOPICS);
    let team = TOPIC_TEAM[topic];
    const outbound = channel === "email" && r() < 0.06;
    const plan = segment === "enterprise" ? "enterprise" : r() < 0.5 ? "pro" : "basic";

    // Help center: some customers search first and write anyway; other sessions end there.
    if (r() < 0.2) {
      const sid = `hs-${tid}`;
      const s0 = created - Math.round((0.1 + r() * 5) * HOUR);
      other(`${sid}-s`, "helpcenter.search", s0, { session_id: sid, customer_id: customer, query: topic.replace("_", " ") });
      other(`${sid}-v0`, "helpcenter.view", s0 + 40_000, { session_id: sid, customer_id: customer, article_id: `kb-${topic}-0` });
    }
    if (r() < 0.25) {
      const sid = `hd-${tid}`;
      const s0 = start + Math.round(r() * span);
      const who = r() < 0.8 ? { customer_id: `cust-${Math.floor(r() * existingAt(s0))}` } : {};
      other(`${sid}-s`, "helpcenter.search", s0, { session_id: sid, ...who, query: pick(r, DEMO_TOPICS).replace("_", " ") });
      const views = 1 + Math.floor(r() * 2.5);
      for (let k = 0; k < views; k++)
        other(`${sid}-v${k}`, "helpcenter.view", s0 + (k + 1) * 55_000, { session_id: sid, ...who, article_id: `kb-${topic}-${k}` });
    }

    // Abandoned calls and chats: callers who gave up at the IVR or in the queue (no ticket).
    const live = channel === "phone" || channel === "chat";
    if (live && r() < 0.12) {
      const cid = `C-${tid}-x`;
      const at = created - Math.round(r() * 3 * HOUR);
      const step = channel === "phone" && r() < 0.35 ? "ivr" : "queue";
      other(`${cid}-o`, "contact.offered", at, { contact_id: cid, channel, queue: team, step, customer_id: `cust-${Math.floor(r() * existingAt(at))}` });
      other(`${cid}-e`, "contact.ended", at + 5_000 + exp(r, 70_000), { contact_id: cid, abandoned: true, step });
    }

    ev("ticket.created", created, {
      channel,
      priority,
      topic,
      tags: r() < 0.05 ? [topic, "escalated"] : r() < 0.03 ? [topic, "customer_error"] : [topic],
      customer_id: customer,
      created_by: outbound ? "agent" : "customer",
      subject: `${topic.replace("_", " ")} question`,
      fields: { plan, region: pick(r, ["uk", "eu", "us", "apac"]) },
    });
    // A few tickets are spam (deleted) or duplicates merged into the one before; decided by a hash,
    // not the generator's stream, so every other number of the demo stays as it was.
    const gone = hash01(seed + 0x6d65, i);
    if (gone < 0.003) ev("ticket.deleted", created + 5 * MIN);
    else if (gone < 0.009 && i > 0) ev("ticket.merged", created + 20 * MIN, { into_ticket_id: `T${i}` });
    let t = created;

    // Chats meet the bot first; a third of those end there.
    if (channel === "chat" && r() < 0.5) {
      ev("message.created", t + 3_000, { author_type: "bot", public: true });
      if (r() < 0.3) {
        ev("bot.resolved", t + 90_000);
        ev("ticket.status_changed", t + 95_000, { status: "solved" });
        ev("ticket.status_changed", t + 95_000 + 3 * DAY, { status: "closed" });
        if (r() < 0.3)
          ev("survey.responded", t + 2 * HOUR, { kind: "csat", score: r() < 0.7 ? 5 : r() < 0.5 ? 3 : 2, scale: 5, channel, customer_id: customer });
        yield* flush(out, end);
        continue;
      }
      t += 60_000 + exp(r, 30_000);
      ev("bot.handoff", t);
    }

    let ag = pick(r, byTeam.get(team)!);
    let cal = teamCal(team);
    if (live) {
      // through the queue to an agent, who answers in person
      const cid = `C-${tid}`;
      if (channel === "phone") {
        other(`${cid}-i`, "contact.offered", t, { contact_id: cid, ticket_id: tid, channel, queue: team, step: "ivr", customer_id: customer });
        t += 20_000 + exp(r, 15_000);
      }
      other(`${cid}-q`, "contact.offered", t, { contact_id: cid, ticket_id: tid, channel, queue: team, step: "queue", customer_id: customer });
      t += exp(r, channel === "phone" ? 45_000 : 25_000);
      other(`${cid}-a`, "contact.answered", t, { contact_id: cid, agent_id: ag.id, team_id: team });
      ev("ticket.assigned", t, { team_id: team, agent_id: ag.id });
      const talk = Math.round(30 + exp(r, channel === "phone" ? 300 : 420));
      const hold = r() < 0.3 ? Math.round(exp(r, 60)) : 0;
      other(`${cid}-e`, "contact.ended", t + (talk + hold) * 1000, { contact_id: cid, talk_s: talk, hold_s: hold, acw_s: Math.round(10 + exp(r, 45)) });
      t += 20_000 + exp(r, 20_000);
    } else {
      ev("ticket.assigned", t + exp(r, 4 * MIN), { team_id: team, agent_id: ag.id });
      if (outbound) {
        ev("message.created", t + 1_000, { author_type: "agent", agent_id: ag.id, public: true });
        t += exp(r, 5 * HOUR);
        ev("message.created", t, { author_type: "customer", public: true });
      }
      // a ticket in the wrong team moves before anyone answers it
      if (r() < 0.08) {
        team = DEMO_TEAMS[(DEMO_TEAMS.indexOf(team) + 1 + Math.floor(r() * 3)) % 4];
        ag = pick(r, byTeam.get(team)!);
        cal = teamCal(team);
        t = addBusinessMs(cal, t, exp(r, 40 * MIN));
        ev("ticket.assigned", t, { team_id: team, agent_id: ag.id });
      }
      // written channels are answered in open hours; urgent ones jump the line
      t = addBusinessMs(cal, t, exp(r, REPLY_MS[channel] * (priority === "urgent" ? 0.3 : priority === "high" ? 0.6 : 1)) + 30_000);
    }
    const age = end - created;
    if (age < 2 * DAY && r() < 0.45) {
      yield* flush(out, end); // still waiting for a first reply: the live backlog
      continue;
    }
    ev("message.created", t, { author_type: "agent", agent_id: ag.id, public: true });
    ev("ticket.status_changed", t + 1_000, { status: "open" });
    if (r() < 0.1) ev("message.created", t + 2 * MIN, { author_type: "agent", agent_id: ag.id, public: false }); // internal note
    if (r() < 0.12) {
      // escalation: priority up, a tag, a field
      t += 5 * MIN;
      if (priority === "low" || priority === "normal") {
        priority = "high";
        ev("ticket.updated", t, { priority, tags_added: ["escalated"], fields: { plan, escalated_by: ag.id } });
      } else ev("ticket.updated", t, { tags_added: ["vip"] });
    }
    if (r() < 0.05) {
      // handed to a colleague in the same team
      const next = pick(r, byTeam.get(team)!);
      if (next.id !== ag.id) {
        ag = next;
        t += exp(r, 30 * MIN);
        ev("ticket.assigned", t, { team_id: team, agent_id: ag.id });
      }
    }

    // Back-and-forth: sometimes waiting on the customer (pending).
    const exchanges = Math.floor(exp(r, 0.6));
    for (let k = 0; k < exchanges; k++) {
      if (r() < 0.35) {
        ev("ticket.status_changed", t + 2_000, { status: "pending" });
        t += exp(r, 10 * HOUR);
        ev("message.created", t, { author_type: "customer", public: true });
        ev("ticket.status_changed", t + 1_000, { status: "open" });
      } else {
        t += exp(r, 2 * HOUR);
        ev("message.created", t, { author_type: "customer", public: true });
      }
      t = live ? t + exp(r, 10 * MIN) : addBusinessMs(cal, t, exp(r, REPLY_MS[channel] * 1.3));
      ev("message.created", t, { author_type: "agent", agent_id: ag.id, public: true });
    }
    if (age < 4 * DAY && r() < 0.4) {
      yield* flush(out, end); // answered, not solved yet
      continue;
    }
    t += live ? exp(r, 5 * MIN) : exp(r, 40 * MIN);
    ev("ticket.status_changed", t, { status: "solved" });
    const reopened = r() < 0.08;
    if (reopened) {
      t += exp(r, 20 * HOUR);
      ev("message.created", t, { author_type: "customer", public: true });
      ev("ticket.status_changed", t + 1_000, { status: "open" });
      t = addBusinessMs(cal, t, exp(r, 2 * HOUR));
      ev("message.created", t, { author_type: "agent", agent_id: ag.id, public: true });
      t += 60_000;
      ev("ticket.status_changed", t, { status: "solved" });
    }
    const solvedAt = t;
    ev("ticket.status_changed", solvedAt + 4 * DAY, { status: "closed" });

    // Feedback: slower resolutions and reopens score lower.
    const slowness = Math.min(1, (solvedAt - created) / (3 * DAY)) + (reopened ? 0.5 : 0);
    if (r() < 0.35) {
      const sid = `${tid}:csat`;
      ev("survey.sent", solvedAt + HOUR, { kind: "csat", survey_id: sid, agent_id: ag.id, customer_id: customer });
      if (r() < 0.55)
        ev("survey.responded", solvedAt + 3 * HOUR + exp(r, 5 * HOUR), {
          kind: "csat",
          survey_id: sid,
          score: clamp(5.4 - slowness * 2.2 - r() * 1.6, 1, 5),
          scale: 5,
          agent_id: ag.id,
          customer_id: customer,
          touchpoint: channel,
        });
    }
    if (r() < 0.12)
      ev("survey.responded", solvedAt + DAY, { kind: "nps", score: clamp(10.6 - slowness * 3 - r() * 4.5, 0, 10), scale: 10, customer_id: customer });
    if (r() < 0.1)
      ev("survey.responded", solvedAt + 2 * HOUR, { kind: "ces", score: clamp(6.5 - slowness * 3 - r() * 2, 1, 7), scale: 7, customer_id: customer });
    if (r() < 0.05) {
      const sid = `${tid}:cx`;
      ev("survey.responded", solvedAt + 4 * HOUR, {
        kind: "cx",
        survey_id: sid,
        question: "ease",
        score: clamp(5 - slowness * 2 - r() * 2, 1, 5),
        scale: 5,
        touchpoint: channel,
      });
      ev("survey.responded", solvedAt + 4 * HOUR + 1_000, {
        kind: "cx",
        survey_id: sid,
        question: "speed",
        score: clamp(5.2 - slowness * 3 - r() * 2, 1, 5),
        scale: 5,
        touchpoint: channel,
      });
    }
    if (r() < 0.03) {
      const referred = r() < 0.4;
      ev("survey.responded", solvedAt + 5 * DAY, { kind: "sps", referred, referral_converted: referred && r() < 0.35, customer_id: customer });
    }
    if (r() < 0.04)
      other(`${tid}-upsell`, "customer.purchase", solvedAt + DAY + exp(r, DAY), {
        customer_id: customer,
        ticket_id: tid,
        agent_id: ag.id,
        amount: pick(r, [49, 99, 199]),
        product: "upgrade",
      });
    yield* flush(out, end);
  }
}

/** A ticket's records in time order, without those past the end of the history. */
function* flush(out: Rec[], end: number): Generator<Rec> {
  out.sort((a, b) => (a.ts as number) - (b.ts as number));
  for (const e of out) if ((e.ts as number) < end) yield e;
}
