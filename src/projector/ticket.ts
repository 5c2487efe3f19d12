import type { SlaPolicy } from "../config/settings.js";
import { DEFAULT_PAUSE_STATUSES, type DeskEvent, SOLVED_STATUSES } from "../events/types.js";
import { type Row, table } from "../store/schema.js";
import { activeMs, businessClock, type Clock, calendarClock, calendarFor, dueAt, type Period } from "./clock.js";
import { canonical, MIN_VALID_TS } from "./order.js";
import { factRow, rowConstructor } from "./rows.js";
import { type Facts, NO_TICKET_DIMS, type ProjectorContext, type TicketDims } from "./types.js";

const Dims = rowConstructor<TicketDims>(Object.keys(NO_TICKET_DIMS));
const ResponseFact = factRow("response_facts");
const StatusInterval = factRow("status_intervals");
const TicketFact = factRow("ticket_facts");
/** every column null: a ticket row starts from it and is written field by field */
const NO_TICKET_FACT: Row = Object.fromEntries(table("ticket_facts").columns.map((c) => [c.name, null]));

const SOLVED = new Set<string>(SOLVED_STATUSES);
const DEFAULT_PAUSE = DEFAULT_PAUSE_STATUSES;

/**
 * A ticket's flags as bits, their text (names sorted, comma-joined) made once per combination: a
 * Set and a sorted join per ticket and per response were a good part of a replay's garbage.
 */
const FLAG_NAMES = [
  "missing_created",
  "ts_out_of_range",
  "solve_time_unknown",
  "merged",
  "deleted",
  "reply_before_created",
  "solved_before_created",
  "negative_response",
] as const;
const MISSING_CREATED = 1;
const TS_OUT_OF_RANGE = 2;
const SOLVE_TIME_UNKNOWN = 4;
const MERGED = 8;
const DELETED = 16;
const REPLY_BEFORE_CREATED = 32;
const SOLVED_BEFORE_CREATED = 64;
const NEGATIVE_RESPONSE = 128;
/** ticket flags that also make its response times untrustworthy */
const RESPONSE_FLAGS = TS_OUT_OF_RANGE | REPLY_BEFORE_CREATED | MERGED | DELETED;
const flagTexts = new Map<number, string>();

function flagText(flags: number): string | null {
  if (flags === 0) return null;
  let text = flagTexts.get(flags);
  if (text === undefined) {
    text = FLAG_NAMES.filter((_, bit) => flags & (1 << bit))
      .sort()
      .join(",");
    flagTexts.set(flags, text);
  }
  return text;
}

const isHumanReply = (e: DeskEvent) => e.type === "message.created" && e.author_type === "agent" && e.public !== false;
const isCustomerMessage = (e: DeskEvent) => e.type === "message.created" && e.author_type === "customer";

const allows = (list: string[] | undefined, v: string | null) => !list || list.length === 0 || (v !== null && list.includes(v));

function matches(p: SlaPolicy, priority: string | null, channel: string | null, teamId: string | null): boolean {
  const m = p.match;
  return !m || (allows(m.priority, priority) && allows(m.channel, channel) && allows(m.team_id, teamId));
}

/** The tags as stored, sorted between bars (`|a|b|`); one tag, the most common case, without a sort. */
function tagsText(tags: Set<string> | null): string | null {
  if (tags === null || tags.size === 0) return null;
  if (tags.size === 1) return `|${tags.values().next().value}|`;
  return `|${[...tags].sort().join("|")}|`;
}

/**
 * The custom fields as JSON, keys sorted (integer-like keys first, as any JS object orders them).
 * Fields usually arrive with their keys in order: then the object is written as it is.
 */
function fieldsJson(fields: Record<string, unknown> | null): string | null {
  if (fields === null) return null;
  const keys = Object.keys(fields);
  if (keys.length === 0) return null;
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
  if (sorted) return JSON.stringify(fields);
  keys.sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, fields[k]])));
}

const secs = (ms: number | null) => (ms === null ? null : ms / 1000);

/** Folds one ticket's events into its ticket, response and status-period facts. */
export function projectTicket(ticketId: string, raw: DeskEvent[], ctx: ProjectorContext, out: Facts): TicketDims {
  const events = canonical(raw);
  let createdEvent: DeskEvent | undefined;
  for (const e of events)
    if (e.type === "ticket.created") {
      createdEvent = e;
      break;
    }
  let flags = createdEvent ? 0 : MISSING_CREATED;
  const createdAt = createdEvent ? createdEvent.ts : events[0].ts;
  const createdBy = createdEvent?.created_by ?? "customer";

  let channel: string | null = null;
  let priority: string | null = null;
  let teamId: string | null = null;
  let agentId: string | null = null;
  let topic: string | null = null;
  let customerId: string | null = null;
  // made when the first event carries any (most tickets have neither)
  let tags: Set<string> | null = null;
  let fields: Record<string, unknown> | null = null;
  let status = "new";
  const periods: Period[] = [{ status: "new", start: createdAt, end: null }];
  let firstSolved: number | null = null;
  let lastSolve: number | null = null;
  let closedAt: number | null = null;
  let reopens = 0;
  let reopenedAt: number | null = null;
  let transfers = 0;
  let agentReplies = 0;
  let customerMessages = 0;
  let botMessages = 0;
  let internalNotes = 0;
  let botEvent = false;
  let botResolved = false;
  let botHandoff = false;
  let lastCustomer: number | null = null;
  let lastAgent: number | null = null;
  let firstReplyAt: number | null = null;
  let firstReplyAgent: string | null = null;
  /** a ticket.merged / ticket.deleted: the ticket leaves the metrics from then on */
  let goneAt: number | null = null;
  // Responses: a run of customer messages opens an "ask"; the next human reply answers it.
  const asks: { asked: number; replied: number | null; agent: string | null }[] = [];
  let openAsk: number | null = createdBy === "agent" ? null : createdAt;
  let frtStart: number | null = openAsk;

  const setStatus = (s: string, ts: number) => {
    if (s === status) return;
    const wasSolved = SOLVED.has(status);
    const nowSolved = SOLVED.has(s);
    if (wasSolved && !nowSolved) {
      reopens++;
      reopenedAt ??= ts;
    }
    if (!wasSolved && nowSolved) {
      firstSolved ??= ts;
      lastSolve = ts;
    }
    if (s === "closed") closedAt = ts;
    const cur = periods[periods.length - 1];
    if (ts <= cur.start) {
      // same instant: the earlier period had no length; replace it
      cur.status = s;
      if (periods.length > 1 && periods[periods.length - 2].status === s) {
        periods.pop();
        periods[periods.length - 1].end = null;
      }
    } else {
      cur.end = ts;
      periods.push({ status: s, start: ts, end: null });
    }
    status = s;
  };

  const assign = (agent: string | undefined, team: string | undefined) => {
    const changedAgent = agent !== undefined && agentId !== null && agent !== agentId;
    const changedTeam = team !== undefined && teamId !== null && team !== teamId;
    if (changedAgent || changedTeam) transfers++;
    if (agent !== undefined) agentId = agent;
    if (team !== undefined) teamId = team;
  };

  for (const e of events) {
    if (e.ts < MIN_VALID_TS || e.ts > ctx.maxValidTs) flags |= TS_OUT_OF_RANGE;
    if (e.customer_id && e.type !== "message.created") customerId = e.customer_id;
    switch (e.type) {
      case "ticket.created":
        channel = e.channel ?? channel;
        priority = e.priority ?? priority;
        topic = e.topic ?? topic;
        customerId = e.customer_id ?? customerId;
        if (e.tags) {
          tags ??= new Set();
          for (const t of e.tags) tags.add(t);
        }
        if (e.fields != null) fields = Object.assign(fields ?? {}, e.fields);
        if (e.agent_id !== undefined || e.team_id !== undefined) assign(e.agent_id, e.team_id);
        if (e.status && e.status !== "new") setStatus(e.status, e.ts);
        break;
      case "ticket.updated":
        channel = e.channel ?? channel;
        priority = e.priority ?? priority;
        topic = e.topic ?? topic;
        if (e.tags) {
          tags ??= new Set();
          tags.clear();
          for (const t of e.tags) tags.add(t);
        }
        if (e.tags_added) {
          tags ??= new Set();
          for (const t of e.tags_added) tags.add(t);
        }
        if (e.tags_removed && tags) for (const t of e.tags_removed) tags.delete(t);
        if (e.fields != null) fields = Object.assign(fields ?? {}, e.fields);
        break;
      case "ticket.assigned":
        assign(e.agent_id, e.team_id);
        break;
      case "ticket.status_changed":
        if (e.time_unknown && SOLVED.has(e.status!)) flags |= SOLVE_TIME_UNKNOWN;
        setStatus(e.status!, e.ts);
        break;
      case "ticket.merged":
      case "ticket.deleted":
        flags |= e.type === "ticket.merged" ? MERGED : DELETED;
        goneAt ??= e.ts;
        break;
      case "bot.handoff":
        botEvent = true;
        botHandoff = true;
        break;
      case "bot.resolved":
        botEvent = true;
        botResolved = true;
        break;
      case "message.created": {
        if (e.ts < createdAt) flags |= REPLY_BEFORE_CREATED;
        if (e.author_type === "bot") botMessages++;
        else if (e.public === false) internalNotes++;
        else if (isCustomerMessage(e)) {
          customerMessages++;
          lastCustomer = e.ts;
          if (openAsk === null) openAsk = e.ts;
          if (frtStart === null) frtStart = e.ts;
        } else if (isHumanReply(e)) {
          agentReplies++;
          lastAgent = e.ts;
          if (openAsk !== null) {
            asks.push({ asked: openAsk, replied: e.ts, agent: e.agent_id ?? null });
            openAsk = null;
          }
          // A reply before the ticket's creation is impossible: it is still the first reply (so FRT
          // can say it left one out), with a negative time and a flag that keeps it out of the metrics.
          if (firstReplyAt === null && frtStart !== null && (e.ts >= frtStart || e.ts < createdAt)) {
            firstReplyAt = e.ts;
            firstReplyAgent = e.agent_id ?? null;
          }
        }
        break;
      }
    }
  }
  if (openAsk !== null) asks.push({ asked: openAsk, replied: null, agent: null });
  if (goneAt !== null) {
    // merged or deleted: no longer waiting in any status (backlog, live) from that instant
    const gone = goneAt;
    for (const p of periods) if (p.end === null || p.end > gone) p.end = Math.max(p.start, gone);
  }
  // Impossible durations: each is flagged, and the metric it would distort leaves the ticket out.
  if (firstSolved !== null && firstSolved < createdAt) flags |= SOLVED_BEFORE_CREATED;

  const { settings } = ctx;
  const segment = customerId ? (ctx.segmentOf(customerId) ?? null) : null;
  const biz = businessClock(calendarFor(settings, teamId));
  const tagStr = tagsText(tags);
  const fieldStr = fieldsJson(fields);
  const dims = new Dims({
    channel,
    priority,
    team_id: teamId,
    agent_id: agentId,
    topic,
    customer_id: customerId,
    segment,
    tags: tagStr,
    fields: fieldStr,
  });
  const isOpen = !SOLVED.has(status) && goneAt === null;
  const lastSolvedAt = isOpen ? null : lastSolve;

  // SLA: the first policy that matches the ticket as it is now.
  let policy: SlaPolicy | null = null;
  for (const p of settings.sla_policies)
    if (matches(p, priority, channel, teamId)) {
      policy = p;
      break;
    }
  const slaClock: Clock = policy?.clock === "business" ? biz : calendarClock;
  const paused = pausedStatuses(policy);
  const frtTarget = policy?.first_reply_s ?? null;
  const nrtTarget = policy?.next_reply_s ?? null;
  const resTarget = policy?.resolution_s ?? null;
  const slaElapsed = (a: number, b: number) => activeMs(slaClock, periods, paused, a, b);
  let frtMet: boolean | null = null;
  let frtDue: number | null = null;
  if (frtTarget !== null && frtStart !== null) {
    if (firstReplyAt !== null) frtMet = slaElapsed(frtStart, firstReplyAt) <= frtTarget * 1000;
    frtDue = dueAt(slaClock, periods, paused, frtStart, frtTarget * 1000);
  }
  // A first-reply target that ran out before the ticket was solved without a reply is breached;
  // while the ticket is open and unreplied, the metric reads its due time against "now".
  if (frtMet === null && frtDue !== null && firstSolved !== null && !isOpen && firstSolved > frtDue) frtMet = false;
  let resMet: boolean | null = null;
  let resDue: number | null = null;
  // The resolution target is judged on the final solve (solved in time, reopened, solved late is
  // a breach), or on the first solve when the policy says so; a reopened, open ticket is undecided.
  const judgedSolve = policy?.resolution_judged_on === "first_solve" ? firstSolved : lastSolvedAt;
  if (resTarget !== null) {
    if (judgedSolve !== null) resMet = slaElapsed(createdAt, judgedSolve) <= resTarget * 1000;
    resDue = dueAt(slaClock, periods, paused, createdAt, resTarget * 1000);
  }
  let nrtN = 0;
  let nrtMetN = 0;

  // the ticket's own response flags; a negative response adds its own
  const responseFlags = flags & RESPONSE_FLAGS;
  for (let seq = 0; seq < asks.length; seq++) {
    const a = asks[seq];
    const isFirst = seq === 0;
    const target = isFirst ? frtTarget : nrtTarget;
    let met: boolean | null = null;
    if (target !== null && a.replied !== null) {
      met = slaElapsed(a.asked, a.replied) <= target * 1000;
      if (!isFirst) {
        nrtN++;
        if (met) nrtMetN++;
      }
    }
    // every field written out (no spread): the constructor copies one literal shape (rows.ts)
    out.response_facts.push(
      new ResponseFact({
        workspace: ctx.workspace,
        ticket_id: ticketId,
        seq,
        channel,
        priority,
        team_id: teamId,
        agent_id: agentId,
        topic,
        customer_id: customerId,
        segment,
        tags: tagStr,
        fields: fieldStr,
        asked_at: a.asked,
        replied_at: a.replied,
        reply_agent_id: a.agent,
        response_s: a.replied === null ? null : (a.replied - a.asked) / 1000,
        response_bs: a.replied === null ? null : biz.between(a.asked, a.replied) / 1000,
        is_first: isFirst,
        sla_target_s: target,
        sla_met: met,
        flags: flagText(a.replied !== null && a.replied < a.asked ? responseFlags | NEGATIVE_RESPONSE : responseFlags),
      }),
    );
  }

  for (const p of periods)
    out.status_intervals.push(
      new StatusInterval({
        workspace: ctx.workspace,
        ticket_id: ticketId,
        status: p.status,
        start_at: p.start,
        end_at: p.end,
        ticket_created_at: createdAt,
        channel,
        priority,
        team_id: teamId,
        agent_id: agentId,
        topic,
        customer_id: customerId,
      }),
    );

  const frtMs = firstReplyAt !== null && frtStart !== null ? firstReplyAt - frtStart : null;
  const channelTarget = channel ? (settings.channel_targets[channel] ?? null) : null;
  let ineligible = false;
  if (tags) for (const t of settings.fcr_ineligible_tags) ineligible ||= tags.has(t);
  const fcrEligible = !isOpen && !ineligible;
  let pendingMs = 0;
  for (const p of periods) pendingMs += p.end !== null && DEFAULT_PAUSE.includes(p.status) ? p.end - p.start : 0;
  // field by field: a literal this wide is allocated before the constructor copies it
  const row = new TicketFact(NO_TICKET_FACT);
  row.workspace = ctx.workspace;
  row.ticket_id = ticketId;
  row.created_at = createdAt;
  row.created_by = createdBy;
  row.channel = channel;
  row.priority = priority;
  row.team_id = teamId;
  row.agent_id = agentId;
  row.topic = topic;
  row.customer_id = customerId;
  row.segment = segment;
  row.tags = tagStr;
  row.fields = fieldStr;
  row.status = status;
  row.is_open = isOpen;
  row.assigned = agentId !== null;
  row.frt_start_at = frtStart;
  row.first_reply_at = firstReplyAt;
  row.first_reply_agent_id = firstReplyAgent;
  row.frt_s = secs(frtMs);
  row.frt_bs = firstReplyAt !== null && frtStart !== null ? biz.between(frtStart, firstReplyAt) / 1000 : null;
  row.first_solved_at = firstSolved;
  row.last_solved_at = lastSolvedAt;
  row.res_first_s = firstSolved !== null ? (firstSolved - createdAt) / 1000 : null;
  row.res_first_bs = firstSolved !== null ? biz.between(createdAt, firstSolved) / 1000 : null;
  row.res_full_s = lastSolvedAt !== null ? (lastSolvedAt - createdAt) / 1000 : null;
  row.res_full_bs = lastSolvedAt !== null ? biz.between(createdAt, lastSolvedAt) / 1000 : null;
  row.closed_at = closedAt;
  row.reopens = reopens;
  row.reopened_at = reopenedAt;
  row.transfers = transfers;
  row.agent_replies = agentReplies;
  row.customer_messages = customerMessages;
  row.bot_messages = botMessages;
  row.internal_notes = internalNotes;
  row.pending_s = pendingMs / 1000;
  row.bot_handled = botEvent || botMessages > 0;
  row.bot_resolved = botResolved && agentReplies === 0;
  row.bot_handoff = botHandoff;
  row.fcr = fcrEligible && agentReplies <= 1 && reopens === 0 && transfers === 0;
  row.fcr_eligible = fcrEligible;
  row.sla_policy = policy?.name ?? null;
  row.sla_frt_target_s = frtTarget;
  row.sla_frt_met = frtMet;
  row.sla_frt_due_at = frtDue;
  row.sla_frt_at = frtTarget === null || frtStart === null ? null : (firstReplyAt ?? frtDue);
  row.sla_nrt_target_s = nrtTarget;
  row.sla_nrt_met_n = nrtMetN;
  row.sla_nrt_n = nrtN;
  row.sla_res_target_s = resTarget;
  row.sla_res_met = resMet;
  row.sla_res_due_at = resDue;
  row.sla_res_at = resTarget === null ? null : (judgedSolve ?? resDue);
  row.channel_target_s = channelTarget;
  row.channel_target_met = channelTarget !== null && frtMs !== null ? frtMs / 1000 <= channelTarget : null;
  row.last_event_at = events[events.length - 1].ts;
  row.last_customer_message_at = lastCustomer;
  row.last_agent_reply_at = lastAgent;
  row.flags = flagText(flags);
  out.ticket_facts.push(row);
  return dims;
}

const pausedByPolicy = new WeakMap<SlaPolicy, Set<string>>();
const DEFAULT_PAUSED = new Set(DEFAULT_PAUSE);

/** The statuses that stop a policy's clock, as a set made once per policy (settings are immutable once loaded). */
function pausedStatuses(policy: SlaPolicy | null): Set<string> {
  if (!policy?.pause_statuses) return DEFAULT_PAUSED;
  let set = pausedByPolicy.get(policy);
  if (!set) {
    set = new Set(policy.pause_statuses);
    pausedByPolicy.set(policy, set);
  }
  return set;
}
