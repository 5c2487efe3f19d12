import { arr, idOf, isoOrUnix, type Json, obj, type Rec } from "./common.js";

/** Chatwoot: conversations with `messages` (message_type 0 incoming, 1 outgoing, 2 activity, 3 template). */
const CW_STATUS: Record<string, string> = { open: "open", resolved: "solved", pending: "pending", snoozed: "pending" };

export function* chatwootExport(doc: unknown): Generator<Rec> {
  const convs = Array.isArray(doc) ? (doc as Json[]) : arr(obj(doc).payload ?? obj(doc).conversations ?? obj(doc).data);
  for (const c of convs) {
    const id = `cw-${c.id}`;
    const created = isoOrUnix(c.created_at)!;
    const meta = obj(c.meta);
    yield {
      id: `${id}-created`,
      type: "ticket.created",
      ts: created,
      ticket_id: id,
      source: "chatwoot",
      channel: idOf(meta.channel ?? c.channel)
        ?.replace("Channel::", "")
        .toLowerCase(),
      customer_id: idOf(obj(meta.sender).id ?? c.contact_id),
      tags: arr(c.labels).map(String),
    };
    const assignee = idOf(obj(meta.assignee).id ?? c.assignee_id);
    if (assignee || c.team_id)
      yield { id: `${id}-assigned`, type: "ticket.assigned", ts: created, ticket_id: id, agent_id: assignee, team_id: idOf(c.team_id), source: "chatwoot" };
    for (const m of arr(c.messages)) {
      const type = Number(m.message_type);
      if (type === 2) continue; // activity lines ("assigned to…") are not messages
      const sender = obj(m.sender);
      const bot = sender.type === "agent_bot" || type === 3;
      yield {
        id: `${id}-msg-${m.id}`,
        type: "message.created",
        ts: isoOrUnix(m.created_at)!,
        ticket_id: id,
        author_type: type === 0 ? "customer" : bot ? "bot" : "agent",
        agent_id: type === 1 && !bot ? idOf(sender.id) : undefined,
        public: m.private !== true,
        source: "chatwoot",
      };
    }
    const st = CW_STATUS[String(c.status)];
    if (st && st !== "open")
      yield {
        id: `${id}-status-${c.status}`,
        type: "ticket.status_changed",
        ts: isoOrUnix(c.updated_at ?? c.last_activity_at) ?? created,
        ticket_id: id,
        status: st,
        source: "chatwoot",
      };
  }
}
