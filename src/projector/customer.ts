import { factRow } from "./rows.js";
import type { DeskEvent } from "../events/types.js";
import { canonical } from "./order.js";
import type { Facts, ProjectorContext } from "./types.js";

const PurchaseFact = factRow("purchase_facts");
const CustomerFact = factRow("customer_facts");

export function projectCustomer(customerId: string, raw: DeskEvent[], ctx: ProjectorContext, out: Facts): void {
  const events = canonical(raw);
  let segment: string | null = null;
  let createdAt: number | null = null;
  let churnedAt: number | null = null;
  const purchases: number[] = [];
  const products = new Set<string>();
  for (const e of events) {
    if (e.segment) segment = e.segment;
    if (e.type === "customer.created") createdAt ??= e.ts;
    else if (e.type === "customer.churned") churnedAt = e.ts;
    else if (e.type === "customer.purchase") {
      purchases.push(e.ts);
      if (e.product) products.add(e.product);
    }
  }
  for (const e of events)
    if (e.type === "customer.purchase")
      out.purchase_facts.push(
        new PurchaseFact({
          workspace: ctx.workspace,
          event_id: e.id,
          customer_id: customerId,
          ts: e.ts,
          amount: e.amount ?? null,
          product: e.product ?? null,
          ticket_id: e.ticket_id ?? null,
          agent_id: e.agent_id ?? null,
          segment,
        }),
      );
  out.customer_facts.push(
    new CustomerFact({
      workspace: ctx.workspace,
      customer_id: customerId,
      segment,
      created_at: createdAt,
      churned_at: churnedAt,
      purchases: purchases.length,
      first_purchase_at: purchases[0] ?? null,
      second_purchase_at: purchases[1] ?? null,
      products: products.size,
    }),
  );
}
