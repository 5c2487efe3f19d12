import { arr, idOf, isoOrUnix, type Json, obj, type Rec } from "./common.js";

/** Intercom: conversations with `conversation_parts` (comment, note, assignment, close, open, snoozed). */
export function* intercomExport(doc: unknown): Generator<Rec> {
  const convs = Array.isArray(doc) ? (doc as Json[]) : arr(obj(doc).conversations);
  for (const c of convs) {
    const id = `ic-${c.id}`;
    const created = isoOrUnix(c.created_at)!;
    const src = obj(c.source);
    const author = obj(src.author);
    yield {
      id: `${id}-created`,
      type: "ticket.created",
      ts: created,
      ticket_id: id,
      source: "intercom",
      channel: idOf(src.delivered_as) === "admin_initiated" ? "email" : (idOf(src.type) ?? "chat"),
      created_by: author.type === "admin" ? "agent" : "customer",
      customer_id: author.type === "user" || author.type === "lead" ? idOf(author.id) : undefined,
      subject: idOf(src.subject),
    };
    const parts = arr(obj(c.conversation_parts).conversation_parts);
    for (const p of parts) {
      const pid = `${id}-part-${p.id}`;
      const ts = isoOrUnix(p.created_at)!;
      const a = obj(p.author);
      const kind = a.type === "admin" ? "agent" : a.type === "bot" ? "bot" : "customer";
      switch (p.part_type) {
        case "comment":
          yield {
            id: pid,
            type: "message.created",
            ts,
            ticket_id: id,
            author_type: kind,
            agent_id: kind === "agent" ? idOf(a.id) : undefined,
            public: true,
            source: "intercom",
          };
          break;
        case "note":
          yield { id: pid, type: "message.created", ts, ticket_id: id, author_type: kind, agent_id: idOf(a.id), public: false, source: "intercom" };
          break;
        case "assignment":
        case "default_assignment":
          yield { id: pid, type: "ticket.assigned", ts, ticket_id: id, agent_id: idOf(obj(p.assigned_to).id), source: "intercom" };
          break;
        case "close":
          yield { id: pid, type: "ticket.status_changed", ts, ticket_id: id, status: "solved", source: "intercom" };
          break;
        case "open":
          yield { id: pid, type: "ticket.status_changed", ts, ticket_id: id, status: "open", source: "intercom" };
          break;
        case "snoozed":
          yield { id: pid, type: "ticket.status_changed", ts, ticket_id: id, status: "pending", source: "intercom" };
          break;
      }
    }
  }
}
