import type { WorkspaceSettings } from "../config/settings.js";
import type { Row } from "../store/schema.js";

/** What the projector may know beyond an entity's own events. Lookups are provided by the pipeline. */
export interface ProjectorContext {
  workspace: string;
  settings: WorkspaceSettings;
  /** customer_id → segment (from customer.created), so tickets can be grouped by segment */
  segmentOf(customerId: string): string | undefined;
  /** ticket_id → the ticket's dimensions, so surveys and contacts about a ticket group like it */
  ticketOf(ticketId: string): TicketDims | undefined;
  /** instants after this are flagged ts_out_of_range (default: projection time + 1 day) */
  maxValidTs: number;
}

export interface TicketDims {
  channel: string | null;
  priority: string | null;
  team_id: string | null;
  agent_id: string | null;
  topic: string | null;
  customer_id: string | null;
  segment: string | null;
  tags: string | null;
  fields: string | null;
}

/** Rows per derived table (keys are the table names of src/store/schema.ts). */
export interface Facts {
  ticket_facts: Row[];
  response_facts: Row[];
  status_intervals: Row[];
  contact_facts: Row[];
  survey_facts: Row[];
  customer_facts: Row[];
  purchase_facts: Row[];
  session_facts: Row[];
  agent_intervals: Row[];
}

export const FACT_TABLES = [
  "ticket_facts",
  "response_facts",
  "status_intervals",
  "contact_facts",
  "survey_facts",
  "customer_facts",
  "purchase_facts",
  "session_facts",
  "agent_intervals",
] as const satisfies readonly (keyof Facts)[];

export function emptyFacts(): Facts {
  return {
    ticket_facts: [],
    response_facts: [],
    status_intervals: [],
    contact_facts: [],
    survey_facts: [],
    customer_facts: [],
    purchase_facts: [],
    session_facts: [],
    agent_intervals: [],
  };
}

/** The dimensions of a contact or survey whose ticket is unknown. */
export const NO_TICKET_DIMS: TicketDims = {
  channel: null,
  priority: null,
  team_id: null,
  agent_id: null,
  topic: null,
  customer_id: null,
  segment: null,
  tags: null,
  fields: null,
};
