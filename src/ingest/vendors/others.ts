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
    if (t.responder_id || t.group_id) yield { id: `${id}-assigned`, type: "ticket.assigned", ts: created, ticket_id: id, agent_id: idOf(t.responder_id), team_id: idOf(t.group_id), source: "freshdesk" };
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
    if (st && !resolved && !closed && st !== "open") yield { id: `${id}-status`, type: "ticket.status_changed", ts: isoOrUnix(t.updated_at) ?? created, ticket_id: id, status: st, source: "freshdesk" };
    // deleted and spam tickets are in the export with a flag; they leave the metrics
    if (t.deleted === true || t.spam === true) yield { id: `${id}-deleted`, type: "ticket.deleted", ts: isoOrUnix(t.updated_at) ?? created, ticket_id: id, source: "freshdesk", reason: t.spam === true ? "spam" : "deleted" };
  }
}

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
          yield { id: pid, type: "message.created", ts, ticket_id: id, author_type: kind, agent_id: kind === "agent" ? idOf(a.id) : undefined, public: true, source: "intercom" };
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

/** HubSpot tickets (CRM API `results[].properties`); the default pipeline's stages 1–4. */
const HS_STAGE: Record<string, string> = { "1": "new", "2": "pending", "3": "open", "4": "closed" };

export function* hubspotExport(doc: unknown): Generator<Rec> {
  const results = Array.isArray(doc) ? (doc as Json[]) : arr(obj(doc).results);
  for (const r of results) {
    const p = obj(r.properties);
    const id = `hs-${r.id}`;
    const created = isoOrUnix(p.createdate ?? r.createdAt)!;
    yield {
      id: `${id}-created`,
      type: "ticket.created",
      ts: created,
      ticket_id: id,
      source: "hubspot",
      priority: idOf(p.hs_ticket_priority)?.toLowerCase().replace("medium", "normal"),
      topic: idOf(p.hs_ticket_category),
      subject: idOf(p.subject),
      channel: idOf(p.source_type)?.toLowerCase(),
    };
    if (p.hubspot_owner_id) yield { id: `${id}-assigned`, type: "ticket.assigned", ts: created, ticket_id: id, agent_id: idOf(p.hubspot_owner_id), source: "hubspot" };
    const reply = isoOrUnix(p.first_agent_reply_date);
    if (reply) yield { id: `${id}-first-reply`, type: "message.created", ts: reply, ticket_id: id, author_type: "agent", agent_id: idOf(p.hubspot_owner_id), public: true, source: "hubspot" };
    const closed = isoOrUnix(p.closed_date);
    if (closed) yield { id: `${id}-closed`, type: "ticket.status_changed", ts: closed, ticket_id: id, status: "closed", source: "hubspot" };
    else {
      const st = HS_STAGE[String(p.hs_pipeline_stage)];
      if (st && st !== "new") yield { id: `${id}-stage`, type: "ticket.status_changed", ts: isoOrUnix(p.hs_lastmodifieddate) ?? created, ticket_id: id, status: st, source: "hubspot" };
    }
    // archived tickets are HubSpot's deleted ones
    if (r.archived === true) yield { id: `${id}-deleted`, type: "ticket.deleted", ts: isoOrUnix(r.archivedAt ?? p.hs_lastmodifieddate) ?? created, ticket_id: id, source: "hubspot" };
  }
}

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
      channel: idOf(meta.channel ?? c.channel)?.replace("Channel::", "").toLowerCase(),
      customer_id: idOf(obj(meta.sender).id ?? c.contact_id),
      tags: arr(c.labels).map(String),
    };
    const assignee = idOf(obj(meta.assignee).id ?? c.assignee_id);
    if (assignee || c.team_id) yield { id: `${id}-assigned`, type: "ticket.assigned", ts: created, ticket_id: id, agent_id: assignee, team_id: idOf(c.team_id), source: "chatwoot" };
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
    if (st && st !== "open") yield { id: `${id}-status-${c.status}`, type: "ticket.status_changed", ts: isoOrUnix(c.updated_at ?? c.last_activity_at) ?? created, ticket_id: id, status: st, source: "chatwoot" };
  }
}
