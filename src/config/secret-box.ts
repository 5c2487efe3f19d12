import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../errors/user-error.js";

/**
 * Webhook secrets are stored encrypted (AES-256-GCM) with a key that lives outside the
 * database — `secret.key` (mode 0600) in the data folder, or DESKPULSE_SECRET_KEY_FILE — so a
 * copied database file or a ClickHouse backup does not carry usable secrets.
 */
const PREFIX = "enc:v1:";

function keyFile(): string {
  return process.env.DESKPULSE_SECRET_KEY_FILE ?? join(process.env.DESKPULSE_DATA ?? join(process.cwd(), "data"), "secret.key");
}

let cached: { file: string; key: Buffer } | null = null;

function secretKey(): Buffer {
  const file = keyFile();
  if (cached?.file === file) return cached.key;
  let key: Buffer;
  if (existsSync(file)) {
    key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
    if (key.length !== 32)
      throw new UserError(
        "bad_secret_key",
        `${file} does not hold a 32-byte base64 key; restore it from a backup (webhook secrets cannot be read without it)`,
        500,
      );
  } else {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    key = randomBytes(32);
    writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  }
  chmodSync(file, 0o600);
  cached = { file, key };
  return key;
}

export function isSealed(s: unknown): boolean {
  return typeof s === "string" && s.startsWith(PREFIX);
}

export function seal(plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", secretKey(), iv);
  const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return `${PREFIX}${Buffer.concat([iv, c.getAuthTag(), body]).toString("base64")}`;
}

/** The clear text of a sealed value; a value stored before sealing existed is returned as it is. */
export function unseal(stored: string): string {
  if (!isSealed(stored)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), "base64");
  const d = createDecipheriv("aes-256-gcm", secretKey(), raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString("utf8");
  } catch {
    throw new UserError(
      "bad_secret_key",
      `a webhook secret cannot be decrypted with ${keyFile()}; that file was replaced — set the secret again with PATCH /api/v1/settings`,
      409,
    );
  }
}
