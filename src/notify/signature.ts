import { createHmac, timingSafeEqual } from "node:crypto";

/** The header every outbound webhook carries: `sha256=<hex HMAC-SHA256 of the raw body with the destination's secret>`. */
export const SIGNATURE_HEADER = "x-deskpulse-signature";

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** What a receiver does: recompute over the raw bytes and compare in constant time. */
export function verify(secret: string, body: string, header: string | null | undefined): boolean {
  if (!header) return false;
  const want = Buffer.from(sign(secret, body));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}
