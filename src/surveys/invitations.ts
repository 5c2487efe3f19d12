import { createHmac, randomBytes } from "node:crypto";
import type { WorkspaceSettings } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";
import type { DeskEvent } from "../events/types.js";
import type { Lang } from "../metrics/catalog.js";
import type { BatchResult } from "../pipeline/ingest.js";
import { table } from "../store/schema.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { isEmployeeSurvey, type Question, questionsOf, type SurveyDef } from "./definitions.js";
import { type LinkClaims, signLink } from "./links.js";
import { surveySecret } from "./secret.js";

/** What the survey service needs of the runtime: the store, the one ingest path, settings. */
export interface SurveyEnv {
  store: Store;
  ingest(workspace: string, records: unknown[], origin: string): Promise<BatchResult>;
  settings(workspace: string): Promise<WorkspaceSettings>;
}

export const SOURCE = "deskpulse-surveys";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface InviteTarget {
  ticket_id?: string;
  customer_id?: string;
  contact_id?: string;
  /** employee surveys: the agent, only hashed into the survey id (answers stay anonymous) */
  agent_id?: string;
  /** employee surveys: which round (e.g. "2026-q4"); one answer per agent per round */
  round?: string;
  lang?: Lang;
}

export interface Invitation {
  url: string;
  token: string;
  survey_id: string;
  expires_at: string;
  claims: LinkClaims;
}

/**
 * The event's survey_id, which is also what makes a link single-use: one survey per ticket (or
 * contact) and definition, whoever asks for the link and however often; one per agent and round
 * for employee surveys, where the agent id is hashed with the workspace secret so the answers
 * cannot be traced back by reading the log.
 */
export function surveyIdOf(def: SurveyDef, target: InviteTarget, secret: Buffer): string {
  if (isEmployeeSurvey(def)) {
    if (!target.agent_id) throw new UserError("agent_required", "an employee survey is sent to agents: give agent_id");
    const round = target.round ?? new Date().toISOString().slice(0, 7);
    const who = createHmac("sha256", secret).update(`agent:${target.agent_id}:${round}`).digest("base64url").slice(0, 16);
    return `${def.id}:${round}:${who}`;
  }
  if (target.contact_id) return `${def.id}:contact:${target.contact_id}`;
  if (target.ticket_id) return `${def.id}:${target.ticket_id}`;
  if (target.customer_id) return `${def.id}:customer:${target.customer_id}:${randomBytes(6).toString("base64url")}`;
  throw new UserError("target_required", "say whom the survey is about: ticket_id, contact_id or customer_id");
}

/** The main question's kind: what `survey.sent` counts under (csat.response_rate counts csat). */
const mainQuestion = (def: SurveyDef): Question => questionsOf(def)[0];

/**
 * Signs a link and records `survey.sent` (once per survey_id: the event id is derived from it),
 * so response rates count every invitation, answered or not.
 */
export async function createInvitation(
  env: SurveyEnv,
  workspace: string,
  def: SurveyDef,
  target: InviteTarget,
  opts: { baseUrl: string; via: string; expiresInS?: number; now?: number },
): Promise<Invitation> {
  const now = opts.now ?? Date.now();
  const secret = await surveySecret(env.store, workspace);
  const surveyId = surveyIdOf(def, target, secret);
  const employee = isEmployeeSurvey(def);
  const claims: LinkClaims = {
    w: workspace,
    s: def.id,
    i: surveyId,
    ...(employee ? {} : { t: target.ticket_id, c: target.customer_id }),
    l: target.lang,
    e: now + (opts.expiresInS !== undefined ? opts.expiresInS * 1000 : def.expires_hours * HOUR),
  };
  const token = signLink(claims, secret);
  const q = mainQuestion(def);
  const sent = {
    id: `${surveyId}:sent`,
    type: "survey.sent",
    ts: now,
    source: SOURCE,
    survey_id: surveyId,
    kind: q.kind,
    ...(q.id ? { question: q.id } : {}),
    ...(employee ? {} : { ticket_id: target.ticket_id, customer_id: target.customer_id, contact_id: target.contact_id }),
    survey: def.id,
    via: opts.via,
  };
  const r = await env.ingest(workspace, [sent], `survey:${def.id}`);
  if (r.rejected.length) throw new UserError("invalid_invitation", `the invitation could not be recorded: ${r.rejected[0].field} ${r.rejected[0].reason}`);
  return { url: `${opts.baseUrl.replace(/\/$/, "")}/s/${token}`, token, survey_id: surveyId, expires_at: new Date(claims.e).toISOString(), claims };
}

/** A survey's answers so far: when it was first answered and the latest score per question. */
export interface AnswerState {
  firstAnsweredAt: number | null;
  revisions: number;
  latest: Map<string, { score: number; comment?: string }>;
}

export async function answerState(store: Store, workspace: string, surveyId: string): Promise<AnswerState> {
  const rows = await store.query<{ ts: number; body: string }>(
    `SELECT ts, body FROM events WHERE workspace = ${ph(store, 1)} AND entity = ${ph(store, 2)} AND type = 'survey.responded' ORDER BY ts, id`,
    [workspace, `survey:${surveyId}`],
  );
  const latest = new Map<string, { score: number; comment?: string }>();
  const revisions = new Set<string>();
  for (const r of rows) {
    const e = JSON.parse(r.body) as DeskEvent & { revision?: number };
    latest.set(e.question ?? "", { score: e.score!, comment: e.comment });
    revisions.add(String(e.attrs?.revision ?? e.id));
  }
  return { firstAnsweredAt: rows.length ? Number(rows[0].ts) : null, revisions: revisions.size, latest };
}

/** Until when an answered survey can still be changed (null: not answered yet). */
export const editableUntil = (def: SurveyDef, state: AnswerState): number | null =>
  state.firstAnsweredAt === null ? null : state.firstAnsweredAt + def.edit_hours * HOUR;

export interface AnswerInput {
  scores: Map<string, number>;
  comment?: string;
}

/**
 * Stores one answer as `survey.responded` events (one per question). A change of mind is a new
 * revision with the same survey_id, later in time: the projector keeps the latest answer per
 * question, so the fact updates and the metric moves — the log keeps both (event ids are
 * write-once, a repeated id would be dropped as a duplicate).
 */
export async function recordAnswer(env: SurveyEnv, workspace: string, def: SurveyDef, claims: LinkClaims, input: AnswerInput, now = Date.now()) {
  const state = await answerState(env.store, workspace, claims.i);
  const until = editableUntil(def, state);
  if (until !== null && now >= until) return { ok: false as const, state };
  const revision = state.revisions + 1;
  const rev = String(revision).padStart(4, "0");
  const comment = input.comment?.trim().slice(0, 4000) || undefined;
  const events = questionsOf(def)
    .filter((q) => input.scores.has(q.id))
    .map((q, i) => ({
      id: `${claims.i}:${q.id || "main"}:r${rev}`,
      type: "survey.responded",
      ts: now,
      source: SOURCE,
      survey_id: claims.i,
      kind: q.kind,
      score: input.scores.get(q.id),
      scale: q.max,
      ...(q.id ? { question: q.id } : {}),
      ...(claims.t ? { ticket_id: claims.t } : {}),
      ...(claims.c ? { customer_id: claims.c } : {}),
      ...(comment && i === 0 ? { comment } : {}),
      survey: def.id,
      revision,
    }));
  const r = await env.ingest(workspace, events, `survey:${def.id}`);
  if (r.rejected.length) throw new UserError("invalid_answer", `${r.rejected[0].field} ${r.rejected[0].reason}`);
  return { ok: true as const, state };
}

/** Reads the scores of a submitted form: every question must have an integer on its scale. */
export function parseScores(def: SurveyDef, form: Record<string, unknown>): Map<string, number> | null {
  const out = new Map<string, number>();
  for (const q of questionsOf(def)) {
    const raw = form[q.id ? `score_${q.id}` : "score"];
    const n = typeof raw === "string" && /^\d{1,2}$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(n) || n < q.min || n > q.max) return null;
    out.set(q.id, n);
  }
  return out;
}

const OPENED = "survey_opened:";

/** First time a link is opened; kept beside the settings (not an event: the event contract has no "opened"). */
export async function markOpened(store: Store, workspace: string, surveyId: string, now = Date.now()): Promise<void> {
  const name = OPENED + surveyId;
  const seen = await store.query(`SELECT name FROM settings WHERE workspace = ${ph(store, 1)} AND name = ${ph(store, 2)} LIMIT 1`, [workspace, name]);
  if (seen.length === 0) await store.insertRows(table("settings"), [{ workspace, name, value: JSON.stringify(now), updated_at: now }]);
}

/** survey_ids of a definition that were opened (survey ids start with "<definition id>:"). */
export async function openedIds(store: Store, workspace: string, defId: string): Promise<Set<string>> {
  const lo = `${OPENED}${defId}:`;
  const hi = `${OPENED}${defId};`;
  const rows = await store.query<{ name: string }>(
    `SELECT DISTINCT name FROM settings WHERE workspace = ${ph(store, 1)} AND name >= ${ph(store, 2)} AND name < ${ph(store, 3)}`,
    [workspace, lo, hi],
  );
  return new Set(rows.map((r) => r.name.slice(OPENED.length)));
}

/**
 * Fatigue rule: whether the customer was sent any survey in the last `days` days (other than this
 * one). Read from the log's `survey.sent` events, so surveys sent by other tools count too.
 */
export async function recentlySurveyed(store: Store, workspace: string, customerId: string, days: number, except: string, now = Date.now()): Promise<boolean> {
  if (days <= 0) return false;
  const rows = await store.query<{ id: string }>(
    `SELECT id FROM events WHERE workspace = ${ph(store, 1)} AND customer_id = ${ph(store, 2)} AND type = 'survey.sent' AND ts >= ${ph(store, 3, now - days * DAY)} AND entity <> ${ph(store, 4)} LIMIT 1`,
    [workspace, customerId, now - days * DAY, `survey:${except}`],
  );
  return rows.length > 0;
}

/** Whether a survey was already sent (triggers must not send twice when a ticket is solved again). */
export async function alreadySent(store: Store, workspace: string, surveyId: string): Promise<boolean> {
  const rows = await store.query(`SELECT id FROM events WHERE workspace = ${ph(store, 1)} AND id = ${ph(store, 2)} LIMIT 1`, [workspace, `${surveyId}:sent`]);
  return rows.length > 0;
}
