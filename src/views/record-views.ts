import { UserError } from "../errors/user-error.js";
import type { Row } from "../store/schema.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";

/** A ticket's facts, its responses, the survey answers about it and its events in order; 404 when the workspace has no such ticket. */
export async function ticketTimeline(s: Store, workspace: string, id: string) {
  const facts = await s.query<Row>(`SELECT * FROM ticket_facts WHERE workspace = ${ph(s, 1)} AND ticket_id = ${ph(s, 2)}`, [workspace, id]);
  if (facts.length === 0) throw new UserError("not_found", `no ticket "${id}" in this workspace`, 404);
  const events = await s.query<{ type: string; ts: number; body: string }>(
    `SELECT type, ts, body FROM events WHERE workspace = ${ph(s, 1)} AND entity = ${ph(s, 2)} ORDER BY ts, id`,
    [workspace, `ticket:${id}`],
  );
  const responses = await s.query<Row>(`SELECT * FROM response_facts WHERE workspace = ${ph(s, 1)} AND ticket_id = ${ph(s, 2)} ORDER BY seq`, [workspace, id]);
  // survey answers about this ticket, with their comments (their events belong to the survey, not the ticket)
  const surveys = await s.query<Row>(
    `SELECT survey_id, question, kind, sent_at, responded_at, score, scale, comment FROM survey_facts WHERE workspace = ${ph(s, 1)} AND ticket_id = ${ph(s, 2)} ORDER BY sent_at, responded_at, survey_id, question`,
    [workspace, id],
  );
  return { ticket: facts[0], responses, surveys, events: events.map((e) => ({ type: e.type, ts: e.ts, body: JSON.parse(e.body) })) };
}

/** A customer's facts and every touchpoint (tickets, calls and chats, survey answers, help-center sessions, purchases) in time order. */
export async function customerJourney(s: Store, workspace: string, id: string) {
  const q = (sql: string) => s.query<Row>(sql, [workspace, id]);
  const w = `workspace = ${ph(s, 1)} AND customer_id = ${ph(s, 2)}`;
  const [customer, tickets, contacts, surveys, sessions, purchases] = await Promise.all([
    q(`SELECT * FROM customer_facts WHERE ${w}`),
    q(`SELECT ticket_id, created_at, channel, status, frt_s, res_full_s, reopens, fcr FROM ticket_facts WHERE ${w}`),
    q(`SELECT contact_id, offered_at, channel, answered, abandoned, wait_s, handle_s FROM contact_facts WHERE ${w}`),
    q(`SELECT survey_id, responded_at, kind, score, scale, channel, comment FROM survey_facts WHERE ${w} AND responded_at IS NOT NULL`),
    q(`SELECT session_id, started_at, searches, views FROM session_facts WHERE ${w}`),
    q(`SELECT event_id, ts, amount, product, ticket_id FROM purchase_facts WHERE ${w}`),
  ]);
  if (!customer.length && !tickets.length && !contacts.length && !surveys.length && !sessions.length)
    throw new UserError("not_found", `no customer "${id}" in this workspace`, 404);
  const touch = (kind: string, idCol: string, atCol: string, rows: Row[]) =>
    rows.map((r) => {
      const { [idCol]: rid, [atCol]: at, channel, ...summary } = r;
      return { kind, id: String(rid), at: Number(at), channel: (channel as string | null) ?? null, summary };
    });
  const touchpoints = [
    ...touch("ticket", "ticket_id", "created_at", tickets),
    ...touch("contact", "contact_id", "offered_at", contacts),
    ...touch("survey", "survey_id", "responded_at", surveys),
    ...touch("helpcenter", "session_id", "started_at", sessions),
    ...touch("purchase", "event_id", "ts", purchases),
  ].sort((a, b) => a.at - b.at);
  return { customer: customer[0] ?? null, touchpoints };
}
