import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { UserError } from "../errors/user-error.js";
import { arr, idOf, isoOrUnix, type Json, obj, type Rec } from "./vendors/common.js";
import { chatwootExport, freshdeskExport, intercomExport } from "./vendors/others.js";
import { zendeskExport } from "./vendors/zendesk.js";

export const WEBHOOK_VENDORS = ["zendesk", "freshdesk", "intercom", "hubspot", "chatwoot"] as const;
export type WebhookVendor = (typeof WEBHOOK_VENDORS)[number];

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks the vendor's own signature where it signs (Zendesk: base64 HMAC-SHA256 of timestamp +
 * body; Intercom: `X-Hub-Signature: sha1=<hex HMAC of body>`; HubSpot v1: hex SHA-256 of secret +
 * body) and otherwise `X-Deskpulse-Signature: sha256=<hex HMAC-SHA256 of body>` with the
 * workspace's secret for that vendor. Without a configured secret only the workspace key protects
 * the route.
 */
export function verifySignature(vendor: WebhookVendor, headers: Headers, body: string, secret: string | undefined): void {
  if (!secret) return;
  const fail = (what: string) => {
    throw new UserError("bad_signature", `the ${vendor} webhook signature ${what}; check the shared secret in settings.webhook_secrets.${vendor}`, 401);
  };
  if (vendor === "zendesk") {
    const sig = headers.get("x-zendesk-webhook-signature");
    const ts = headers.get("x-zendesk-webhook-signature-timestamp") ?? "";
    if (!sig) fail("is missing (X-Zendesk-Webhook-Signature)");
    if (!safeEqual(sig!, createHmac("sha256", secret).update(ts + body).digest("base64"))) fail("does not match");
  } else if (vendor === "intercom") {
    const sig = headers.get("x-hub-signature");
    if (!sig) fail("is missing (X-Hub-Signature)");
    if (!safeEqual(sig!, `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`)) fail("does not match");
  } else if (vendor === "hubspot" && headers.get("x-hubspot-signature")) {
    if (!safeEqual(headers.get("x-hubspot-signature")!, createHash("sha256").update(secret + body).digest("hex"))) fail("does not match");
  } else {
    const sig = headers.get("x-deskpulse-signature");
    if (!sig) fail("is missing (X-Deskpulse-Signature: sha256=<hex HMAC-SHA256 of the body>)");
    if (!safeEqual(sig!, `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`)) fail("does not match");
  }
}

const ZD_STATUS: Record<string, string> = { NEW: "new", OPEN: "open", PENDING: "pending", HOLD: "on_hold", SOLVED: "solved", CLOSED: "closed" };

function zendeskWebhook(p: Json): Rec[] {
  const type = String(p.type ?? "");
  const d = obj(p.detail);
  const ev = obj(p.event);
  const ticket = idOf(d.id)!;
  const ts = isoOrUnix(p.time) ?? isoOrUnix(d.updated_at) ?? Date.now();
  const id = `zd-wh-${p.id ?? `${type}-${ticket}-${ts}`}`;
  if (type.endsWith("ticket.created"))
    return [...zendeskExport({ tickets: [{ ...d, via: { channel: d.via && typeof d.via === "object" ? obj(d.via).channel : d.via }, requester_id: d.requester_id }] })];
  if (type.endsWith("ticket.status_changed")) {
    const st = ZD_STATUS[String(ev.current).toUpperCase()];
    return st ? [{ id, type: "ticket.status_changed", ts, ticket_id: ticket, status: st, source: "zendesk" }] : [];
  }
  if (type.endsWith("ticket.agent_assignment_changed") || type.endsWith("ticket.group_assignment_changed")) {
    const field = type.endsWith("agent_assignment_changed") ? "agent_id" : "team_id";
    return [{ id, type: "ticket.assigned", ts, ticket_id: ticket, [field]: idOf(ev.current), source: "zendesk" }];
  }
  if (type.endsWith("ticket.comment_added")) {
    const c = obj(ev.comment);
    const author = obj(c.author);
    return [
      {
        id: `zd-wh-comment-${c.id ?? p.id}`,
        type: "message.created",
        ts,
        ticket_id: ticket,
        author_type: author.is_staff ? "agent" : "customer",
        agent_id: author.is_staff ? idOf(author.id) : undefined,
        public: c.is_public !== false,
        source: "zendesk",
      },
    ];
  }
  return [];
}

function chatwootWebhook(p: Json): Rec[] {
  const event = String(p.event ?? "");
  const conv = obj(p.conversation);
  if (event === "message_created" || event === "message_updated") {
    const typeName = String(p.message_type);
    const type = typeName === "incoming" ? 0 : typeName === "outgoing" ? 1 : typeName === "template" ? 3 : Number(p.message_type);
    if (type === 2 || typeName === "activity") return [];
    const sender = obj(p.sender);
    const bot = sender.type === "agent_bot" || type === 3;
    return [
      {
        id: `cw-${conv.id}-msg-${p.id}`,
        type: "message.created",
        ts: isoOrUnix(p.created_at) ?? Date.now(),
        ticket_id: `cw-${conv.id}`,
        author_type: type === 0 ? "customer" : bot ? "bot" : "agent",
        agent_id: type === 1 && !bot ? idOf(sender.id) : undefined,
        public: p.private !== true,
        source: "chatwoot",
      },
    ];
  }
  if (event === "conversation_created") return [...chatwootExport([{ ...p, messages: [] }])];
  if (event === "conversation_status_changed" || event === "conversation_updated") {
    const st = { open: "open", resolved: "solved", pending: "pending", snoozed: "pending" }[String(p.status)];
    const ts = isoOrUnix(p.updated_at ?? p.timestamp) ?? Date.now();
    return st ? [{ id: `cw-${p.id}-status-${p.status}-${ts}`, type: "ticket.status_changed", ts, ticket_id: `cw-${p.id}`, status: st, source: "chatwoot" }] : [];
  }
  return [];
}

function hubspotWebhook(p: unknown): Rec[] {
  const out: Rec[] = [];
  const STAGE: Record<string, string> = { "1": "new", "2": "pending", "3": "open", "4": "closed" };
  for (const e of Array.isArray(p) ? (p as Json[]) : [obj(p)]) {
    const ticket = `hs-${e.objectId}`;
    const ts = isoOrUnix(e.occurredAt) ?? Date.now();
    const id = `hs-wh-${e.eventId}`;
    if (e.subscriptionType === "ticket.creation") out.push({ id, type: "ticket.created", ts, ticket_id: ticket, source: "hubspot" });
    else if (e.subscriptionType === "ticket.propertyChange" && e.propertyName === "hs_pipeline_stage" && STAGE[String(e.propertyValue)])
      out.push({ id, type: "ticket.status_changed", ts, ticket_id: ticket, status: STAGE[String(e.propertyValue)], source: "hubspot" });
    else if (e.subscriptionType === "ticket.propertyChange" && e.propertyName === "hubspot_owner_id")
      out.push({ id, type: "ticket.assigned", ts, ticket_id: ticket, agent_id: idOf(e.propertyValue), source: "hubspot" });
  }
  return out;
}

/** A vendor's webhook payload as event records, after its signature is verified. */
export function parseWebhook(vendor: WebhookVendor, headers: Headers, rawBody: string, secret: string | undefined): Record<string, unknown>[] {
  verifySignature(vendor, headers, rawBody, secret);
  let p: unknown;
  try {
    p = JSON.parse(rawBody);
  } catch (e) {
    throw new UserError("invalid_json", `the ${vendor} webhook body is not JSON: ${(e as Error).message}`);
  }
  switch (vendor) {
    case "zendesk":
      return zendeskWebhook(obj(p));
    case "chatwoot":
      return chatwootWebhook(obj(p));
    case "hubspot":
      return hubspotWebhook(p);
    case "intercom":
      // notification events carry the whole conversation with its parts
      return [...intercomExport([obj(obj(obj(p).data).item)])];
    case "freshdesk":
      // Freshdesk automation rules send the ticket JSON you configure: send the API ticket shape
      return [...freshdeskExport(arr(obj(p).tickets).length ? obj(p) : [obj(obj(p).ticket ?? p)])];
  }
}
