import { arr, idOf, isoOrUnix, type Json, obj, type Rec } from "./common.js";

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
    if (p.hubspot_owner_id)
      yield { id: `${id}-assigned`, type: "ticket.assigned", ts: created, ticket_id: id, agent_id: idOf(p.hubspot_owner_id), source: "hubspot" };
    const reply = isoOrUnix(p.first_agent_reply_date);
    if (reply)
      yield {
        id: `${id}-first-reply`,
        type: "message.created",
        ts: reply,
        ticket_id: id,
        author_type: "agent",
        agent_id: idOf(p.hubspot_owner_id),
        public: true,
        source: "hubspot",
      };
    const closed = isoOrUnix(p.closed_date);
    if (closed) yield { id: `${id}-closed`, type: "ticket.status_changed", ts: closed, ticket_id: id, status: "closed", source: "hubspot" };
    else {
      const st = HS_STAGE[String(p.hs_pipeline_stage)];
      if (st && st !== "new")
        yield {
          id: `${id}-stage`,
          type: "ticket.status_changed",
          ts: isoOrUnix(p.hs_lastmodifieddate) ?? created,
          ticket_id: id,
          status: st,
          source: "hubspot",
        };
    }
    // archived tickets are HubSpot's deleted ones
    if (r.archived === true)
      yield { id: `${id}-deleted`, type: "ticket.deleted", ts: isoOrUnix(r.archivedAt ?? p.hs_lastmodifieddate) ?? created, ticket_id: id, source: "hubspot" };
  }
}
