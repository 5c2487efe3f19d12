/**
 * The event contract (see docs/EVENTS.md).
 * Times are epoch milliseconds (UTC) everywhere inside the system; ISO strings live only at the edges.
 */
export const EVENT_TYPES = [
  "ticket.created",
  "ticket.updated",
  "ticket.assigned",
  "ticket.status_changed",
  /** the ticket was merged into another (`into_ticket_id`); left out of the metrics from then on */
  "ticket.merged",
  /** the ticket was deleted (spam, test); left out of the metrics */
  "ticket.deleted",
  "message.created",
  "contact.offered",
  "contact.answered",
  "contact.ended",
  "survey.sent",
  "survey.responded",
  "customer.created",
  "customer.churned",
  "customer.purchase",
  "helpcenter.search",
  "helpcenter.view",
  "bot.handoff",
  "bot.resolved",
  "agent.status",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const TICKET_STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Statuses in which a ticket is resolved: not open, not in the backlog. */
export const SOLVED_STATUSES: readonly TicketStatus[] = ["solved", "closed"];
/** Statuses that stop an SLA clock under a policy that names none (`SlaPolicy.pause_statuses`). */
export const DEFAULT_PAUSE_STATUSES: readonly string[] = ["pending", "on_hold"];
export const AUTHOR_TYPES = ["customer", "agent", "bot", "system"] as const;
export type AuthorType = (typeof AUTHOR_TYPES)[number];
export const SURVEY_KINDS = ["csat", "nps", "ces", "cx", "sps", "enps"] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];
export const AGENT_STATUSES = ["online", "away", "busy", "offline"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];
export const CREATED_BY = ["customer", "agent", "system"] as const;
export const CONTACT_STEPS = ["ivr", "queue", "transfer"] as const;

/** One validated event. Fields not used by a type are absent. `attrs` keeps unknown extra fields. */
export interface DeskEvent {
  id: string;
  type: EventType;
  /** epoch ms UTC */
  ts: number;
  source?: string;
  ticket_id?: string;
  customer_id?: string;
  agent_id?: string;
  team_id?: string;
  contact_id?: string;
  session_id?: string;
  survey_id?: string;
  channel?: string;
  priority?: string;
  subject?: string;
  topic?: string;
  created_by?: string;
  status?: string;
  author_type?: AuthorType;
  public?: boolean;
  /** tags on ticket.created / ticket.updated (full set), tags_added / tags_removed on updates */
  tags?: string[];
  tags_added?: string[];
  tags_removed?: string[];
  /** custom ticket fields (ticket.created / ticket.updated) */
  fields?: Record<string, string | number | boolean | null>;
  queue?: string;
  step?: string;
  talk_s?: number;
  hold_s?: number;
  acw_s?: number;
  abandoned?: boolean;
  kind?: SurveyKind;
  score?: number;
  scale?: number;
  /** survey question id, for multi-question CX / eNPS surveys */
  question?: string;
  comment?: string;
  referred?: boolean;
  referral_converted?: boolean;
  touchpoint?: string;
  segment?: string;
  amount?: number;
  product?: string;
  query?: string;
  article_id?: string;
  /** ticket.merged: the ticket this one was merged into */
  into_ticket_id?: string;
  /** ticket.status_changed: the source said the status but not when (the time is a stand-in; flagged, left out of durations) */
  time_unknown?: boolean;
  /** unknown extra fields, kept verbatim */
  attrs?: Record<string, unknown>;
}

/**
 * Which entity an event belongs to. The projector rebuilds one entity from all its events,
 * so ingest reloads and re-projects exactly the entities a batch touched.
 */
export type EntityKind = "ticket" | "contact" | "survey" | "customer" | "session" | "agent";

export function entityOf(e: DeskEvent): { kind: EntityKind; key: string } {
  const kind = entityKindOf(e.type);
  return { kind, key: entityKeyOf(kind, e) };
}

/** The entity kind of an event type (a replay asks once per event, so with one prefix test and without allocating). */
export function entityKindOf(t: string): EntityKind {
  switch (t.charCodeAt(0)) {
    case 116: // t
      if (t.startsWith("ticket.")) return "ticket";
      break;
    case 109: // m
      if (t.startsWith("message.")) return "ticket";
      break;
    case 98: // b
      if (t.startsWith("bot.")) return "ticket";
      break;
    case 99: // c
      if (t.startsWith("contact.")) return "contact";
      if (t.startsWith("customer.")) return "customer";
      break;
    case 115: // s
      if (t.startsWith("survey.")) return "survey";
      break;
    case 104: // h
      if (t.startsWith("helpcenter.")) return "session";
      break;
  }
  return "agent";
}

/** The id of an event's entity of kind `kind` (entityOf's key, without the pair): named reads, no keyed lookup. */
export function entityKeyOf(kind: EntityKind, e: DeskEvent): string {
  switch (kind) {
    case "ticket":
      return e.ticket_id as string;
    case "contact":
      return e.contact_id as string;
    case "survey":
      return e.survey_id as string;
    case "customer":
      return e.customer_id as string;
    case "session":
      return e.session_id as string;
    case "agent":
      return e.agent_id as string;
  }
}

/** A record that failed validation: which one, which field, why. */
export interface Rejection {
  index: number;
  id?: string;
  field: string;
  reason: string;
}
