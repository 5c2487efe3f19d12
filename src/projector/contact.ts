import { factRow } from "./rows.js";
import type { DeskEvent } from "../events/types.js";
import { canonical, MIN_VALID_TS } from "./order.js";
import { type Facts, NO_TICKET_DIMS, type ProjectorContext, type TicketDims } from "./types.js";

const ContactFact = factRow("contact_facts");

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
    } else if (e.type === "contact.answered") answered ??= e.ts;
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
  const d = ticketId ? (ticket(ticketId) ?? NO_TICKET_DIMS) : NO_TICKET_DIMS;
  out.contact_facts.push(
    new ContactFact({
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
    }),
  );
}
