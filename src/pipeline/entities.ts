import type { EntityKind } from "../events/types.js";
import type { Facts } from "../projector/types.js";
import { type TableDef, table } from "../store/schema.js";

/** Which derived tables each entity kind owns, and the column holding the entity key. */
export const ENTITY_TABLES: Record<EntityKind, { table: TableDef; keyColumn: string; facts: keyof Facts }[]> = {
  ticket: [
    { table: table("ticket_facts"), keyColumn: "ticket_id", facts: "ticket_facts" },
    { table: table("response_facts"), keyColumn: "ticket_id", facts: "response_facts" },
    { table: table("status_intervals"), keyColumn: "ticket_id", facts: "status_intervals" },
  ],
  contact: [{ table: table("contact_facts"), keyColumn: "contact_id", facts: "contact_facts" }],
  survey: [{ table: table("survey_facts"), keyColumn: "survey_id", facts: "survey_facts" }],
  customer: [
    { table: table("customer_facts"), keyColumn: "customer_id", facts: "customer_facts" },
    { table: table("purchase_facts"), keyColumn: "customer_id", facts: "purchase_facts" },
  ],
  session: [{ table: table("session_facts"), keyColumn: "session_id", facts: "session_facts" }],
  agent: [{ table: table("agent_intervals"), keyColumn: "agent_id", facts: "agent_intervals" }],
};

/** Projection order: customers first (tickets read segments), tickets before what refers to them. */
export const ENTITY_ORDER: EntityKind[] = ["customer", "ticket", "contact", "survey", "session", "agent"];

export function splitEntity(entity: string): { kind: EntityKind; key: string } {
  const i = entity.indexOf(":");
  return { kind: entity.slice(0, i) as EntityKind, key: entity.slice(i + 1) };
}
