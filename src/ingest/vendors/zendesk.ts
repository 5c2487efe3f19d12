import { arr, idOf, isoOrUnix, type Json, obj, type Rec } from "./common.js";

/** Zendesk ticket statuses → ours (`hold` is on-hold). */
const STATUS: Record<string, string> = { new: "new", open: "open", pending: "pending", hold: "on_hold", solved: "solved", closed: "closed" };

/**
 * Zendesk exports: the incremental ticket export (`{ tickets: [...] }`, one object per ticket with
 * its current state) and incremental ticket events (`{ ticket_events: [...] }`, audits whose
 * `child_events` carry Create, Change and Comment). Tickets alone give creation, assignment and
 * current status; events give the full history (status changes, reassignments, public comments by
 * the requester vs by agents).
 */
export function* zendeskExport(doc: Json): Generator<Rec> {
  const requester = new Map<string, string>();
  for (const t of arr(doc.tickets)) {
    const id = idOf(t.id)!;
    const created = isoOrUnix(t.created_at)!;
    const via = obj(t.via);
    if (t.requester_id) requester.set(id, String(t.requester_id));
    yield {
      id: `zd-${id}-created`,
      type: "ticket.created",
      ts: created,
      ticket_id: id,
      source: "zendesk",
      channel: idOf(via.channel),
      priority: idOf(t.priority),
      subject: idOf(t.subject),
      customer_id: idOf(t.requester_id),
      tags: arr(t.tags).map(String),
      topic: idOf(t.type),
    };
    if (t.assignee_id || t.group_id)
      yield {
        id: `zd-${id}-assigned`,
        type: "ticket.assigned",
        ts: created,
        ticket_id: id,
        agent_id: idOf(t.assignee_id),
        team_id: idOf(t.group_id),
        source: "zendesk",
      };
    // Deleted tickets (status "deleted") and tickets closed by a merge (tag closed_by_merge) leave the metrics.
    const at = isoOrUnix(t.updated_at) ?? created;
    if (t.status === "deleted") yield { id: `zd-${id}-deleted`, type: "ticket.deleted", ts: at, ticket_id: id, source: "zendesk" };
    if (arr(t.tags).map(String).includes("closed_by_merge")) yield { id: `zd-${id}-merged`, type: "ticket.merged", ts: at, ticket_id: id, source: "zendesk" };
    // without events, the current status at the last update is what we know
    const st = STATUS[String(t.status)];
    if (st && st !== "new" && !doc.ticket_events)
      yield {
        id: `zd-${id}-status-${t.status}`,
        type: "ticket.status_changed",
        ts: isoOrUnix(t.updated_at) ?? created,
        ticket_id: id,
        status: st,
        source: "zendesk",
      };
  }
  for (const ev of arr(doc.ticket_events)) {
    const ticket = idOf(ev.ticket_id)!;
    const ts = isoOrUnix(ev.timestamp ?? ev.created_at)!;
    for (const c of arr(ev.child_events)) {
      const cid = `zd-ev-${idOf(c.id) ?? `${ev.id}-${c.event_type}`}`;
      if (c.event_type === "Create" && c.field_name === "requester_id") requester.set(ticket, String(c.value));
      if (c.event_type === "Change" || c.event_type === "Create") {
        if (c.field_name === "status" && STATUS[String(c.value)] && c.event_type === "Change")
          yield { id: cid, type: "ticket.status_changed", ts, ticket_id: ticket, status: STATUS[String(c.value)], source: "zendesk" };
        if (c.event_type === "Change" && (c.field_name === "assignee_id" || c.field_name === "group_id") && c.value)
          yield {
            id: cid,
            type: "ticket.assigned",
            ts,
            ticket_id: ticket,
            [c.field_name === "assignee_id" ? "agent_id" : "team_id"]: String(c.value),
            source: "zendesk",
          };
      }
      // Zendesk writes the merge as a comment on the closed ticket: "…closed and merged into request #123…"
      const into = c.event_type === "Comment" ? /merged into request #(\d+)/i.exec(String(c.body ?? c.html_body ?? ""))?.[1] : undefined;
      if (into && into !== ticket) yield { id: `${cid}-merged`, type: "ticket.merged", ts, ticket_id: ticket, into_ticket_id: into, source: "zendesk" };
      if (c.event_type === "Comment") {
        const author = idOf(c.author_id ?? ev.updater_id);
        const isRequester = author !== undefined && author === requester.get(ticket);
        yield {
          id: cid,
          type: "message.created",
          ts,
          ticket_id: ticket,
          author_type: isRequester ? "customer" : author === "-1" ? "system" : "agent",
          agent_id: isRequester ? undefined : author,
          public: c.public !== false,
          source: "zendesk",
        };
      }
    }
  }
}

/** Zendesk's own `ticket_metrics` (reply and resolution minutes), to cross-check our facts. */
export function zendeskMetrics(doc: Json): Map<string, { reply_min: number | null; full_resolution_min: number | null; reopens: number | null }> {
  const out = new Map<string, { reply_min: number | null; full_resolution_min: number | null; reopens: number | null }>();
  for (const m of arr(doc.ticket_metrics)) {
    const rt = obj(m.reply_time_in_minutes);
    const fr = obj(m.full_resolution_time_in_minutes);
    out.set(String(m.ticket_id), {
      reply_min: typeof rt.calendar === "number" ? rt.calendar : null,
      full_resolution_min: typeof fr.calendar === "number" ? fr.calendar : null,
      reopens: typeof m.reopens === "number" ? m.reopens : null,
    });
  }
  return out;
}
