import { arr, idOf, isoOrUnix, type Json, obj, type Rec } from "./common.js";

/** Freshdesk: tickets (API v2 shape) with their `conversations`; numeric status, priority and source codes. */
const FD_STATUS: Record<number, string> = { 2: "open", 3: "pending", 4: "solved", 5: "closed" };
const FD_PRIORITY: Record<number, string> = { 1: "low", 2: "normal", 3: "high", 4: "urgent" };
const FD_SOURCE: Record<number, string> = { 1: "email", 2: "web", 3: "phone", 7: "chat", 9: "web", 10: "email" };

export function* freshdeskExport(doc: unknown): Generator<Rec> {
  const tickets = Array.isArray(doc) ? (doc as Json[]) : arr(obj(doc).tickets);
  for (const t of tickets) {
    const id = `fd-${t.id}`;
    const created = isoOrUnix(t.created_at)!;
    const outbound = t.source === 10;
    yield {
      id: `${id}-created`,
      type: "ticket.created",
      ts: created,
      ticket_id: id,
      source: "freshdesk",
      channel: FD_SOURCE[Number(t.source)] ?? "email",
      priority: FD_PRIORITY[Number(t.priority)],
      subject: idOf(t.subject),
      customer_id: idOf(t.requester_id),
      created_by: outbound ? "agent" : "customer",
      tags: arr(t.tags).map(String),
      topic: idOf(t.type),
    };
    if (t.responder_id || t.group_id)
      yield {
        id: `${id}-assigned`,
        type: "ticket.assigned",
        ts: created,
        ticket_id: id,
        agent_id: idOf(t.responder_id),
        team_id: idOf(t.group_id),
        source: "freshdesk",
      };
    for (const c of arr(t.conversations))
      yield {
        id: `${id}-conv-${c.id}`,
        type: "message.created",
        ts: isoOrUnix(c.created_at)!,
        ticket_id: id,
        author_type: c.incoming ? "customer" : "agent",
        agent_id: c.incoming ? undefined : idOf(c.user_id),
        public: c.private !== true,
        source: "freshdesk",
      };
    const stats = obj(t.stats);
    const resolved = isoOrUnix(stats.resolved_at);
    const closed = isoOrUnix(stats.closed_at);
    if (resolved) yield { id: `${id}-resolved`, type: "ticket.status_changed", ts: resolved, ticket_id: id, status: "solved", source: "freshdesk" };
    if (closed) yield { id: `${id}-closed`, type: "ticket.status_changed", ts: closed, ticket_id: id, status: "closed", source: "freshdesk" };
    const st = FD_STATUS[Number(t.status)];
    if (st && !resolved && !closed && st !== "open")
      yield { id: `${id}-status`, type: "ticket.status_changed", ts: isoOrUnix(t.updated_at) ?? created, ticket_id: id, status: st, source: "freshdesk" };
    // deleted and spam tickets are in the export with a flag; they leave the metrics
    if (t.deleted === true || t.spam === true)
      yield {
        id: `${id}-deleted`,
        type: "ticket.deleted",
        ts: isoOrUnix(t.updated_at) ?? created,
        ticket_id: id,
        source: "freshdesk",
        reason: t.spam === true ? "spam" : "deleted",
      };
  }
}
