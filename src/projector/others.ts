import type { DeskEvent } from "../events/types.js";
import { canonical, MIN_VALID_TS } from "./order.js";
import type { Facts, ProjectorContext, TicketDims } from "./types.js";

const NO_DIMS: TicketDims = { channel: null, priority: null, team_id: null, agent_id: null, topic: null, customer_id: null, segment: null, tags: null, fields: null };

/** A call or live chat through its queue: offered → answered? → ended. */
export function projectContact(contactId: string, raw: DeskEvent[], ctx: ProjectorContext, out: Facts, ticket: (id: string) => TicketDims | undefined): void {
  const events = canonical(raw);
  let offered: number | null = null;
  // speed of answer runs from the last offer before the answer (queue entry after the IVR)
  let queuedAt: number | null = null;
  let answered: number | null = null;
  let ended: number | null = null;
  let talk = 0;
  let hold = 0;
  let acw = 0;
  let abandonedFlag = false;
  let step: string | null = null;
  let ticketId: string | null = null;
  let customerId: string | null = null;
  let channel: string | null = null;
  let queue: string | null = null;
  let agentId: string | null = null;
  let teamId: string | null = null;
  let outOfRange = false;
  for (const e of events) {
    if (e.ts < MIN_VALID_TS || e.ts > ctx.maxValidTs) outOfRange = true;
    ticketId = e.ticket_id ?? ticketId;
    customerId = e.customer_id ?? customerId;
    channel = e.channel ?? channel;
    queue = e.queue ?? queue;
    agentId = e.agent_id ?? agentId;
    teamId = e.team_id ?? teamId;
    if (e.step && answered === null) step = e.step;
    if (e.type === "contact.offered") {
      offered ??= e.ts;
      if (answered === null) queuedAt = e.ts;
    }
    else if (e.type === "contact.answered") answered ??= e.ts;
    else if (e.type === "contact.ended") ended = e.ts;
    talk += e.talk_s ?? 0;
    hold += e.hold_s ?? 0;
    acw += e.acw_s ?? 0;
    if (e.abandoned) abandonedFlag = true;
  }
  offered ??= events[0].ts;
  const isAnswered = answered !== null && !abandonedFlag;
  const abandoned = abandonedFlag || (ended !== null && answered === null);
  // Impossible waits (answered or hung up before being offered) are flagged and left out.
  const flags = new Set<string>();
  if (outOfRange) flags.add("ts_out_of_range");
  if (answered !== null && answered < (queuedAt ?? offered)) flags.add("answered_before_offered");
  if (ended !== null && ended < offered) flags.add("ended_before_offered");
  const d = ticketId ? (ticket(ticketId) ?? NO_DIMS) : NO_DIMS;
  out.contact_facts.push({
    workspace: ctx.workspace,
    contact_id: contactId,
    ticket_id: ticketId,
    customer_id: customerId ?? d.customer_id,
    channel: channel ?? d.channel,
    queue,
    agent_id: agentId ?? (isAnswered ? d.agent_id : null),
    team_id: teamId ?? d.team_id,
    priority: d.priority,
    topic: d.topic,
    segment: d.segment ?? (customerId ? (ctx.segmentOf(customerId) ?? null) : null),
    tags: d.tags,
    fields: d.fields,
    offered_at: offered,
    answered_at: answered,
    ended_at: ended,
    wait_s: isAnswered ? (answered! - (queuedAt ?? offered)) / 1000 : abandoned && ended !== null ? (ended - offered) / 1000 : null,
    talk_s: isAnswered ? talk : null,
    hold_s: isAnswered ? hold : null,
    acw_s: isAnswered ? acw : null,
    handle_s: isAnswered ? talk + hold + acw : null,
    answered: isAnswered,
    abandoned,
    abandon_step: abandoned ? (step ?? "queue") : null,
    flags: flags.size ? [...flags].sort().join(",") : null,
  });
}

/** One row per question of a survey: sent, answered (the latest answer wins), normalized score. */
export function projectSurvey(surveyId: string, raw: DeskEvent[], ctx: ProjectorContext, out: Facts, ticket: (id: string) => TicketDims | undefined): void {
  const events = canonical(raw);
  let sentAt: number | null = null;
  const answers = new Map<string, DeskEvent>();
  let base: DeskEvent = events[0];
  for (const e of events) {
    if (e.type === "survey.sent") sentAt ??= e.ts;
    else {
      answers.set(e.question ?? "", e);
      base = e;
    }
  }
  const rows = answers.size ? [...answers.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) : [["", null] as const];
  const pick = <K extends keyof DeskEvent>(k: K): DeskEvent[K] | undefined => {
    for (let i = events.length - 1; i >= 0; i--) if (events[i][k] !== undefined) return events[i][k];
    return undefined;
  };
  const ticketId = pick("ticket_id") ?? null;
  const d = ticketId ? (ticket(ticketId) ?? NO_DIMS) : NO_DIMS;
  const customerId = pick("customer_id") ?? d.customer_id;
  for (const [question, e] of rows) {
    const kind = (e ?? base).kind!;
    const scale = e?.scale ?? null;
    const score = e?.score ?? null;
    const min = kind === "nps" || kind === "enps" || scale === 1 ? 0 : 1;
    out.survey_facts.push({
      workspace: ctx.workspace,
      survey_id: surveyId,
      question,
      kind,
      ticket_id: ticketId,
      customer_id: customerId,
      agent_id: pick("agent_id") ?? d.agent_id,
      team_id: pick("team_id") ?? d.team_id,
      channel: pick("channel") ?? d.channel,
      priority: d.priority,
      topic: d.topic,
      segment: d.segment ?? (customerId ? (ctx.segmentOf(customerId) ?? null) : null),
      tags: d.tags,
      fields: d.fields,
      touchpoint: pick("touchpoint") ?? null,
      sent_at: sentAt,
      responded_at: e?.ts ?? null,
      score,
      scale,
      score_norm: score !== null && scale !== null && scale > min ? (score - min) / (scale - min) : null,
      comment: e?.comment ?? null,
      referred: e?.referred ?? null,
      referral_converted: e?.referral_converted ?? null,
    });
  }
}

export function projectCustomer(customerId: string, raw: DeskEvent[], ctx: ProjectorContext, out: Facts): void {
  const events = canonical(raw);
  let segment: string | null = null;
  let createdAt: number | null = null;
  let churnedAt: number | null = null;
  const purchases: number[] = [];
  const products = new Set<string>();
  for (const e of events) {
    if (e.segment) segment = e.segment;
    if (e.type === "customer.created") createdAt ??= e.ts;
    else if (e.type === "customer.churned") churnedAt = e.ts;
    else if (e.type === "customer.purchase") {
      purchases.push(e.ts);
      if (e.product) products.add(e.product);
    }
  }
  for (const e of events)
    if (e.type === "customer.purchase")
      out.purchase_facts.push({
        workspace: ctx.workspace,
        event_id: e.id,
        customer_id: customerId,
        ts: e.ts,
        amount: e.amount ?? null,
        product: e.product ?? null,
        ticket_id: e.ticket_id ?? null,
        agent_id: e.agent_id ?? null,
        segment,
      });
  out.customer_facts.push({
    workspace: ctx.workspace,
    customer_id: customerId,
    segment,
    created_at: createdAt,
    churned_at: churnedAt,
    purchases: purchases.length,
    first_purchase_at: purchases[0] ?? null,
    second_purchase_at: purchases[1] ?? null,
    products: products.size,
  });
}

export function projectSession(sessionId: string, raw: DeskEvent[], ctx: ProjectorContext, out: Facts): void {
  const events = canonical(raw);
  let customerId: string | null = null;
  let searches = 0;
  let views = 0;
  for (const e of events) {
    customerId = e.customer_id ?? customerId;
    if (e.type === "helpcenter.search") searches++;
    else views++;
  }
  out.session_facts.push({
    workspace: ctx.workspace,
    session_id: sessionId,
    customer_id: customerId,
    started_at: events[0].ts,
    ended_at: events[events.length - 1].ts,
    searches,
    views,
  });
}

export function projectAgent(agentId: string, raw: DeskEvent[], ctx: ProjectorContext, out: Facts): void {
  const events = canonical(raw);
  type Stint = { status: string; start: number; team: string | null };
  const stints: Stint[] = [];
  for (const e of events) {
    const prev = stints[stints.length - 1];
    if (prev && prev.status === e.status) continue;
    stints.push({ status: e.status!, start: e.ts, team: e.team_id ?? prev?.team ?? null });
  }
  stints.forEach((st, i) => {
    out.agent_intervals.push({
      workspace: ctx.workspace,
      agent_id: agentId,
      status: st.status,
      start_at: st.start,
      end_at: stints[i + 1]?.start ?? null,
      team_id: st.team,
    });
  });
}
