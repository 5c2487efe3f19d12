import fc from "fast-check";

// The small world the pipeline's property tests draw histories from.
export const DAY0 = Date.parse("2026-03-02T08:00:00Z");
export const TICKETS = ["T1", "T2", "T3", "T4"];
export const CUSTOMERS = ["C1", "C2"];

/** One event of a small world: 4 tickets, 2 customers, surveys and calls about the tickets. */
export const eventArb = fc.oneof(
  fc.record({
    type: fc.constant("ticket.created"),
    ticket_id: fc.constantFrom(...TICKETS),
    customer_id: fc.constantFrom(...CUSTOMERS),
    channel: fc.constantFrom("email", "chat"),
    priority: fc.constantFrom("high", "normal"),
  }),
  fc.record({
    type: fc.constant("message.created"),
    ticket_id: fc.constantFrom(...TICKETS),
    author_type: fc.constantFrom("customer", "agent"),
    agent_id: fc.constantFrom("ana", "bo"),
  }),
  fc.record({ type: fc.constant("ticket.status_changed"), ticket_id: fc.constantFrom(...TICKETS), status: fc.constantFrom("open", "pending", "solved") }),
  fc.record({
    type: fc.constant("ticket.assigned"),
    ticket_id: fc.constantFrom(...TICKETS),
    agent_id: fc.constantFrom("ana", "bo"),
    team_id: fc.constantFrom("t1", "t2"),
  }),
  fc.record({ type: fc.constant("customer.created"), customer_id: fc.constantFrom(...CUSTOMERS), segment: fc.constantFrom("vip", "smb") }),
  // a call names its ticket and copies its dimensions (often arriving before the ticket does)
  fc.record({
    type: fc.constantFrom("contact.offered", "contact.ended"),
    contact_id: fc.constantFrom("K1", "K2"),
    ticket_id: fc.constantFrom(...TICKETS),
    customer_id: fc.constantFrom(...CUSTOMERS),
    queue: fc.constantFrom("q1", "q2"),
  }),
  fc.record({
    type: fc.constant("survey.responded"),
    ticket_id: fc.constantFrom(...TICKETS),
    kind: fc.constant("csat"),
    score: fc.integer({ min: 1, max: 5 }),
  }),
);
