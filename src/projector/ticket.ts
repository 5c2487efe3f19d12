import type { SlaPolicy } from "../config/settings.js";
import { DEFAULT_PAUSE_STATUSES, type DeskEvent, SOLVED_STATUSES } from "../events/types.js";
import type { Row } from "../store/schema.js";
import { activeMs, businessClock, type Clock, calendarClock, calendarFor, dueAt, type Period } from "./clock.js";
import { canonical, MIN_VALID_TS } from "./order.js";
import type { Facts, ProjectorContext, TicketDims } from "./types.js";

const SOLVED = new Set<string>(SOLVED_STATUSES);
/** ticket flags that also make its response times untrustworthy */
const RESPONSE_FLAGS = new Set(["ts_out_of_range", "reply_before_created", "merged", "deleted"]);
const DEFAULT_PAUSE = DEFAULT_PAUSE_STATUSES;

const isHumanReply = (e: DeskEvent) => e.type === "message.created" && e.author_type === "agent" && e.public !== false;
const isCustomerMessage = (e: DeskEvent) => e.type === "message.created" && e.author_type === "customer";

function matches(p: SlaPolicy, d: { priority: string | null; channel: string | null; team_id: string | null }): boolean {
  const m = p.match ?? {};
  const ok = (list: string[] | undefined, v: string | null) => !list || list.length === 0 || (v !== null && list.includes(v));
  return ok(m.priority, d.priority) && ok(m.channel, d.channel) && ok(m.team_id, d.team_id);
}

const secs = (ms: number | null) => (ms === null ? null : ms / 1000);

/** Folds one ticket's events into its ticket, response and status-period facts. */
export function projectTicket(ticketId: string, raw: DeskEvent[], ctx: ProjectorContext, out: Facts): TicketDims {
  const events = canonical(raw);
  const createdEvent = events.find((e) => e.type === "ticket.created");
  const flags = new Set<string>();
  if (!createdEvent) flags.add("missing_created");
  const createdAt = createdEvent ? createdEvent.ts : events[0].ts;
  const createdBy = createdEvent?.created_by ?? "customer";

  let channel: string | null = null;
  let priority: string | null = null;
  let teamId: string | null = null;
  let agentId: string | null = null;
  let topic: string | null = null;
  let customerId: string | null = null;
  const tags = new Set<string>();
  const fields: Record<string, unknown> = {};
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
    if (e.ts < MIN_VALID_TS || e.ts > ctx.maxValidTs) flags.add("ts_out_of_range");
    if (e.customer_id && e.type !== "message.created") customerId = e.customer_id;
    switch (e.type) {
      case "ticket.created":
        channel = e.channel ?? channel;
        priority = e.priority ?? priority;
        topic = e.topic ?? topic;
        customerId = e.customer_id ?? customerId;
        for (const t of e.tags ?? []) tags.add(t);
        Object.assign(fields, e.fields ?? {});
        if (e.agent_id !== undefined || e.team_id !== undefined) assign(e.agent_id, e.team_id);
        if (e.status && e.status !== "new") setStatus(e.status, e.ts);
        break;
      case "ticket.updated":
        channel = e.channel ?? channel;
        priority = e.priority ?? priority;
        topic = e.topic ?? topic;
        if (e.tags) {
          tags.clear();
          for (const t of e.tags) tags.add(t);
        }
        for (const t of e.tags_added ?? []) tags.add(t);
        for (const t of e.tags_removed ?? []) tags.delete(t);
        Object.assign(fields, e.fields ?? {});
        break;
      case "ticket.assigned":
        assign(e.agent_id, e.team_id);
        break;
      case "ticket.status_changed":
        if (e.time_unknown && SOLVED.has(e.status!)) flags.add("solve_time_unknown");
        setStatus(e.status!, e.ts);
        break;
      case "ticket.merged":
      case "ticket.deleted":
        flags.add(e.type === "ticket.merged" ? "merged" : "deleted");
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
        if (e.ts < createdAt) flags.add("reply_before_created");
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
  if (firstSolved !== null && firstSolved < createdAt) flags.add("solved_before_created");

  const { settings } = ctx;
  const segment = customerId ? (ctx.segmentOf(customerId) ?? null) : null;
  const biz = businessClock(calendarFor(settings, teamId));
  const tagStr = tags.size ? `|${[...tags].sort().join("|")}|` : null;
  const fieldKeys = Object.keys(fields).sort();
  const fieldStr = fieldKeys.length ? JSON.stringify(Object.fromEntries(fieldKeys.map((k) => [k, fields[k]]))) : null;
  const dims: TicketDims = { channel, priority, team_id: teamId, agent_id: agentId, topic, customer_id: customerId, segment, tags: tagStr, fields: fieldStr };
  const isOpen = !SOLVED.has(status) && goneAt === null;
  const lastSolvedAt = isOpen ? null : lastSolve;

  // SLA: the first policy that matches the ticket as it is now.
  const policy = settings.sla_policies.find((p) => matches(p, dims)) ?? null;
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

  // the ticket's own response flags, sorted and joined once; a negative response adds its own
  const ticketResponseFlags = [...flags].filter((f) => RESPONSE_FLAGS.has(f)).sort();
  const ticketFlagStr = ticketResponseFlags.length ? ticketResponseFlags.join(",") : null;
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
    // every field written out (no spread): one object shape, built from V8's literal boilerplate
    out.response_facts.push({
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
      flags: a.replied !== null && a.replied < a.asked ? [...ticketResponseFlags, "negative_response"].sort().join(",") : ticketFlagStr,
    });
  }

  for (const p of periods)
    out.status_intervals.push({
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
    });

  const frtMs = firstReplyAt !== null && frtStart !== null ? firstReplyAt - frtStart : null;
  const channelTarget = channel ? (settings.channel_targets[channel] ?? null) : null;
  const ineligible = settings.fcr_ineligible_tags.some((t) => tags.has(t));
  const fcrEligible = !isOpen && !ineligible;
  const pendingMs = periods.reduce((s, p) => s + (p.end !== null && DEFAULT_PAUSE.includes(p.status) ? p.end - p.start : 0), 0);
  const row: Row = {
    workspace: ctx.workspace,
    ticket_id: ticketId,
    created_at: createdAt,
    created_by: createdBy,
    channel,
    priority,
    team_id: teamId,
    agent_id: agentId,
    topic,
    customer_id: customerId,
    segment,
    tags: tagStr,
    fields: fieldStr,
    status,
    is_open: isOpen,
    assigned: agentId !== null,
    frt_start_at: frtStart,
    first_reply_at: firstReplyAt,
    first_reply_agent_id: firstReplyAgent,
    frt_s: secs(frtMs),
    frt_bs: firstReplyAt !== null && frtStart !== null ? biz.between(frtStart, firstReplyAt) / 1000 : null,
    first_solved_at: firstSolved,
    last_solved_at: lastSolvedAt,
    res_first_s: firstSolved !== null ? (firstSolved - createdAt) / 1000 : null,
    res_first_bs: firstSolved !== null ? biz.between(createdAt, firstSolved) / 1000 : null,
    res_full_s: lastSolvedAt !== null ? (lastSolvedAt - createdAt) / 1000 : null,
    res_full_bs: lastSolvedAt !== null ? biz.between(createdAt, lastSolvedAt) / 1000 : null,
    closed_at: closedAt,
    reopens,
    reopened_at: reopenedAt,
    transfers,
    agent_replies: agentReplies,
    customer_messages: customerMessages,
    bot_messages: botMessages,
    internal_notes: internalNotes,
    pending_s: pendingMs / 1000,
    bot_handled: botEvent || botMessages > 0,
    bot_resolved: botResolved && agentReplies === 0,
    bot_handoff: botHandoff,
    fcr: fcrEligible && agentReplies <= 1 && reopens === 0 && transfers === 0,
    fcr_eligible: fcrEligible,
    sla_policy: policy?.name ?? null,
    sla_frt_target_s: frtTarget,
    sla_frt_met: frtMet,
    sla_frt_due_at: frtDue,
    sla_frt_at: frtTarget === null || frtStart === null ? null : (firstReplyAt ?? frtDue),
    sla_nrt_target_s: nrtTarget,
    sla_nrt_met_n: nrtMetN,
    sla_nrt_n: nrtN,
    sla_res_target_s: resTarget,
    sla_res_met: resMet,
    sla_res_due_at: resDue,
    sla_res_at: resTarget === null ? null : (judgedSolve ?? resDue),
    channel_target_s: channelTarget,
    channel_target_met: channelTarget !== null && frtMs !== null ? frtMs / 1000 <= channelTarget : null,
    last_event_at: events[events.length - 1].ts,
    last_customer_message_at: lastCustomer,
    last_agent_reply_at: lastAgent,
    flags: flags.size ? [...flags].sort().join(",") : null,
  };
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
