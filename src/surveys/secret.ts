import { createHmac, randomBytes } from "node:crypto";
import { table } from "../store/schema.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";

const SETTINGS = table("settings");
const NAME = "survey_link_secret";
const cache = new Map<string, Promise<Buffer>>();

/**
 * The workspace's key for signing survey links. It is its own row, never part of the settings
 * document (which `GET /settings` shows), and every caller goes through this one function so the
 * key can move to a 0600 secrets file without touching the rest. Made on first use.
 */
export function surveySecret(store: Store, workspace: string): Promise<Buffer> {
  let p = cache.get(`${store.kind}:${workspace}`);
  if (!p) {
    p = loadOrCreate(store, workspace);
    cache.set(`${store.kind}:${workspace}`, p);
    p.catch(() => cache.delete(`${store.kind}:${workspace}`));
  }
  return p;
}

/** The workspace's key if it has one; never makes one (a link from outside must not create keys for made-up workspaces). */
export async function existingSurveySecret(store: Store, workspace: string): Promise<Buffer | null> {
  const cached = cache.get(`${store.kind}:${workspace}`);
  if (cached) return cached;
  const found = await readSecret(store, workspace);
  if (found) cache.set(`${store.kind}:${workspace}`, Promise.resolve(found));
  return found;
}

async function readSecret(store: Store, workspace: string): Promise<Buffer | null> {
  const rows = await store.query<{ value: string }>(
    `SELECT value FROM settings WHERE workspace = ${ph(store, 1)} AND name = ${ph(store, 2)} ORDER BY updated_at, value LIMIT 1`,
    [workspace, NAME],
  );
  return rows[0] ? Buffer.from(JSON.parse(rows[0].value) as string, "base64url") : null;
}

async function loadOrCreate(store: Store, workspace: string): Promise<Buffer> {
  const read = () => readSecret(store, workspace);
  const found = await read();
  if (found) return found;
  await store.insertRows(SETTINGS, [{ workspace, name: NAME, value: JSON.stringify(randomBytes(32).toString("base64url")), updated_at: Date.now() }]);
  // Two processes may both have created one: the oldest row wins for everybody.
  return (await read())!;
}

/** The key a survey's outbound webhook is signed with: derived, so it is stored nowhere and a new link secret renews it. */
export async function webhookSecret(store: Store, workspace: string, surveyId: string): Promise<string> {
  return createHmac("sha256", await surveySecret(store, workspace))
    .update(`survey-webhook:${surveyId}`)
    .digest("hex");
}
