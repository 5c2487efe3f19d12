import { factRow } from "./rows.js";
import type { DeskEvent } from "../events/types.js";
import { canonical } from "./order.js";
import type { Facts, ProjectorContext } from "./types.js";

const SessionFact = factRow("session_facts");

export function projectSession(sessionId: string, raw: DeskEvent[], ctx: ProjectorContext, out: Facts): void {
  const events = canonical(raw);
  let customerId: string | null = null;
  let searches = 0;
  let views = 0;
  for (const e of events) {
    customerId = e.customer_id ?? customerId;
    if (e.type === "helpcenter.search") searches++;
    else views++;
  }
  out.session_facts.push(
    new SessionFact({
      workspace: ctx.workspace,
      session_id: sessionId,
      customer_id: customerId,
      started_at: events[0].ts,
      ended_at: events[events.length - 1].ts,
      searches,
      views,
    }),
  );
}
