import { createHmac, timingSafeEqual } from "node:crypto";
import type { Lang } from "../metrics/catalog.js";
import { langOf } from "./wording.js";

/** What a survey link is bound to. Everything here is signed; nothing else in the URL is trusted. */
export interface LinkClaims {
  /** workspace */
  w: string;
  /** survey definition id */
  s: string;
  /** the event's survey_id: one survey (one answer) per ticket, contact or employee round */
  i: string;
  /** ticket, customer, contact (absent on employee surveys, which are anonymous) */
  t?: string;
  c?: string;
  /** language of the invitation */
  l?: Lang;
  /** expiry, epoch ms */
  e: number;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");

function mac(secret: Buffer, payload: string): Buffer {
  return createHmac("sha256", secret).update(`deskpulse-survey-link.v1.${payload}`).digest();
}

/** `<payload>.<signature>`, both base64url: HMAC-SHA256 over the payload with the workspace's secret. */
export function signLink(claims: LinkClaims, secret: Buffer): string {
  const payload = b64(JSON.stringify(claims));
  return `${payload}.${b64(mac(secret, payload))}`;
}

/** The claims of a token, unverified: only to learn which workspace's secret to check it with. */
export function peekLink(token: string): LinkClaims | null {
  const [payload, sig, extra] = token.split(".");
  if (!payload || !sig || extra !== undefined) return null;
  try {
    const c = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as LinkClaims;
    if (typeof c?.w !== "string" || typeof c.s !== "string" || typeof c.i !== "string" || typeof c.e !== "number") return null;
    if (c.l !== undefined && langOf(c.l) !== c.l) return null;
    return c;
  } catch {
    return null;
  }
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: "invalid" | "expired"; claims?: LinkClaims };

/** Verifies the signature (constant time), then the expiry. A bad signature is "invalid" whatever the claims say. */
export function verifyLink(token: string, secret: Buffer, now = Date.now()): LinkCheck {
  const claims = peekLink(token);
  if (!claims) return { ok: false, reason: "invalid" };
  const [payload, sig] = token.split(".");
  const given = Buffer.from(sig, "base64url");
  const want = mac(secret, payload);
  // base64url decoding ignores stray characters, so compare the re-encoded form too
  if (given.length !== want.length || !timingSafeEqual(given, want) || b64(given) !== sig) return { ok: false, reason: "invalid" };
  if (now >= claims.e) return { ok: false, reason: "expired", claims };
  return { ok: true, claims };
}
