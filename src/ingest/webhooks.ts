import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { UserError } from "../errors/user-error.js";
import { arr, idOf, isoOrUnix, type Json, obj, type Rec } from "./vendors/common.js";
import { chatwootExport } from "./vendors/chatwoot.js";
import { freshdeskExport } from "./vendors/freshdesk.js";
import { intercomExport } from "./vendors/intercom.js";
import { zendeskExport } from "./vendors/zendesk.js";

export const WEBHOOK_VENDORS = ["zendesk", "freshdesk", "intercom", "hubspot", "chatwoot"] as const;
export type WebhookVendor = (typeof WEBHOOK_VENDORS)[number];

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** How a webhook request is checked: the workspace's secret for the vendor and the freshness window. */
export interface WebhookCheck {
  secret: unknown;
  /** seconds a signed timestamp may differ from now (settings.webhook_tolerance_s) */
  toleranceS: number;
  /** the request's method and full URL (HubSpot v3 signs them) */
  method?: string;
  url?: string;
  now?: number;
}

/**
 * Checks the vendor's own signature where it signs (Zendesk: base64 HMAC-SHA256 of timestamp +
 * body; Intercom: `X-Hub-Signature: sha1=<hex HMAC of body>`; HubSpot v3: base64 HMAC-SHA256 of
 * method + URL + body + timestamp; HubSpot v1: hex SHA-256 of secret + body) and otherwise
 * `X-Deskpulse-Signature: sha256=<hex HMAC-SHA256 of the body>` — or, with
 * `X-Deskpulse-Timestamp: <unix seconds>`, of `<timestamp>.<body>`. Where a timestamp is signed it
 * must lie within the tolerance of now, so a captured request cannot be replayed later. Without a
 * configured secret only the workspace key protects the route.
 */
export function verifySignature(vendor: WebhookVendor, headers: Headers, body: string, check: WebhookCheck): void {
  const { secret, toleranceS } = check;
  if (secret === undefined || secret === null || secret === "") return;
  if (typeof secret !== "string")
    throw new UserError("invalid_secret", `settings.webhook_secrets.${vendor} is not text; set it again with PATCH /api/v1/settings`, 409);
  const fail = (what: string) => {
    throw new UserError("bad_signature", `the ${vendor} webhook signature ${what}; check the shared secret in settings.webhook_secrets.${vendor}`, 401);
  };
  const fresh = (tsMs: number, header: string) => {
    const now = check.now ?? Date.now();
    if (!Number.isFinite(tsMs)) fail(`timestamp (${header}) is not a time`);
    if (Math.abs(now - tsMs) > toleranceS * 1000)
      throw new UserError(
        "stale_webhook",
        `the ${vendor} webhook was signed at ${new Date(tsMs).toISOString()}, more than ${toleranceS} s from now: refused as stale or replayed (settings.webhook_tolerance_s; check the server's clock)`,
        401,
      );
  };
  if (vendor === "zendesk") {
    const sig = headers.get("x-zendesk-webhook-signature");
    const ts = headers.get("x-zendesk-webhook-signature-timestamp");
    if (!sig) fail("is missing (X-Zendesk-Webhook-Signature)");
    if (!ts) fail("timestamp is missing (X-Zendesk-Webhook-Signature-Timestamp)");
    if (
      !safeEqual(
        sig!,
        createHmac("sha256", secret)
          .update(ts + body)
          .digest("base64"),
      )
    )
      fail("does not match");
    fresh(Date.parse(ts!), "X-Zendesk-Webhook-Signature-Timestamp");
  } else if (vendor === "intercom") {
    const sig = headers.get("x-hub-signature");
    if (!sig) fail("is missing (X-Hub-Signature)");
    if (!safeEqual(sig!, `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`)) fail("does not match");
  } else if (vendor === "hubspot" && headers.get("x-hubspot-signature-v3")) {
    const ts = headers.get("x-hubspot-request-timestamp") ?? "";
    const expected = createHmac("sha256", secret)
      .update(`${check.method ?? "POST"}${check.url ?? ""}${body}${ts}`)
      .digest("base64");
    if (!safeEqual(headers.get("x-hubspot-signature-v3")!, expected)) fail("does not match (v3)");
    fresh(Number(ts), "X-HubSpot-Request-Timestamp");
  } else if (vendor === "hubspot" && headers.get("x-hubspot-signature")) {
    if (
      !safeEqual(
        headers.get("x-hubspot-signature")!,
        createHash("sha256")
          .update(secret + body)
          .digest("hex"),
      )
    )
      fail("does not match");
  } else {
    const sig = headers.get("x-deskpulse-signature");
    const ts = headers.get("x-deskpulse-timestamp");
    if (!sig) fail("is missing (X-Deskpulse-Signature: sha256=<hex HMAC-SHA256 of the body>)");
    const signed = ts ? `${ts}.${body}` : body;
    if (!safeEqual(sig!, `sha256=${createHmac("sha256", secret).update(signed).digest("hex")}`)) fail("does not match");
    if (ts) fresh(Number(ts) * 1000, "X-Deskpulse-Timestamp");
  }
}

/**
 * An event id from a payload that names none: a hash of the payload's content, so a replayed or
 * retried delivery is the same event (a duplicate), and two different deliveries never collide.
 */
export function contentId(prefix: string, value: unknown): string {
  return `${prefix}h-${createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 32)}`;
}

const ZD_STATUS: Record<string, string> = { NEW: "new", OPEN: "open", PENDING: "pending", HOLD: "on_hold", SOLVED: "solved", CLOSED: "closed" };

function zendeskWebhook(p: Json): Rec[] {
  const type = String(p.type ?? "");
  const d = obj(p.detail);
  const ev = obj(p.event);
  const ticket = idOf(d.id)!;
  const ts = isoOrUnix(p.time) ?? isoOrUnix(d.updated_at) ?? Date.now();
  const id = p.id != null && p.id !== "" ? `zd-wh-${p.id}` : contentId("zd-wh-", p);
  if (type.endsWith("ticket.created"))
    return [
      ...zendeskExport({
        tickets: [{ ...d, via: { channel: d.via && typeof d.via === "object" ? obj(d.via).channel : d.via }, requester_id: d.requester_id }],
      }),
    ];
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
        id: c.id != null ? `zd-wh-comment-${c.id}` : p.id != null ? `zd-wh-comment-${p.id}` : contentId("zd-wh-comment-", p),
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
        id: p.id != null ? `cw-${conv.id}-msg-${p.id}` : contentId("cw-msg-", p),
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
    const signedTs = isoOrUnix(p.updated_at ?? p.timestamp);
    const ts = signedTs ?? Date.now();
    const id = signedTs !== undefined && signedTs !== null ? `cw-${p.id}-status-${p.status}-${signedTs}` : contentId("cw-status-", p);
    return st ? [{ id, type: "ticket.status_changed", ts, ticket_id: `cw-${p.id}`, status: st, source: "chatwoot" }] : [];
  }
  return [];
}

function hubspotWebhook(p: unknown): Rec[] {
  const out: Rec[] = [];
  const STAGE: Record<string, string> = { "1": "new", "2": "pending", "3": "open", "4": "closed" };
  for (const e of Array.isArray(p) ? (p as Json[]) : [obj(p)]) {
    const ticket = `hs-${e.objectId}`;
    const ts = isoOrUnix(e.occurredAt) ?? Date.now();
    const id = e.eventId != null && e.eventId !== "" ? `hs-wh-${e.eventId}` : contentId("hs-wh-", e);
    if (e.subscriptionType === "ticket.creation") out.push({ id, type: "ticket.created", ts, ticket_id: ticket, source: "hubspot" });
    else if (e.subscriptionType === "ticket.propertyChange" && e.propertyName === "hs_pipeline_stage" && STAGE[String(e.propertyValue)])
      out.push({ id, type: "ticket.status_changed", ts, ticket_id: ticket, status: STAGE[String(e.propertyValue)], source: "hubspot" });
    else if (e.subscriptionType === "ticket.propertyChange" && e.propertyName === "hubspot_owner_id")
      out.push({ id, type: "ticket.assigned", ts, ticket_id: ticket, agent_id: idOf(e.propertyValue), source: "hubspot" });
  }
  return out;
}

/** A vendor's webhook payload as event records, after its signature is verified. */
export function parseWebhook(
  vendor: WebhookVendor,
  headers: Headers,
  rawBody: string,
  check: WebhookCheck,
  parse: (text: string) => unknown = JSON.parse,
): Record<string, unknown>[] {
  verifySignature(vendor, headers, rawBody, check);
  let p: unknown;
  try {
    p = parse(rawBody);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError("invalid_json", `the ${vendor} webhook body is not JSON: ${(e as Error).message}`);
  }
  try {
    return mapPayload(vendor, p);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(
      "unreadable_webhook",
      `the ${vendor} webhook payload has a shape Deskpulse cannot read (${(e as Error).message}); see the vendor's webhook documentation`,
      422,
    );
  }
}

function mapPayload(vendor: WebhookVendor, p: unknown): Record<string, unknown>[] {
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
