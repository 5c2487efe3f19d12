import {
  AGENT_STATUSES,
  AUTHOR_TYPES,
  type AuthorType,
  CONTACT_STEPS,
  CREATED_BY,
  type DeskEvent,
  EVENT_TYPES,
  type EventType,
  type Rejection,
  SURVEY_KINDS,
  type SurveyKind,
  TICKET_STATUSES,
} from "./types.js";

const TYPE_SET = new Set<string>(EVENT_TYPES);
const STATUS_SET = new Set<string>(TICKET_STATUSES);
const AUTHOR_SET = new Set<string>(AUTHOR_TYPES);
const KIND_SET = new Set<string>(SURVEY_KINDS);
const AGENT_STATUS_SET = new Set<string>(AGENT_STATUSES);
const CREATED_BY_SET = new Set<string>(CREATED_BY);
const STEP_SET = new Set<string>(CONTACT_STEPS);

/** Default scale per survey kind when a response does not say (the catalog's conventions). */
export const DEFAULT_SCALE: Record<SurveyKind, number> = { csat: 5, nps: 10, ces: 7, cx: 5, sps: 1, enps: 10 };

const ID_FIELDS = ["ticket_id", "customer_id", "agent_id", "team_id", "contact_id", "session_id", "survey_id", "into_ticket_id"] as const;
const STRING_FIELDS = [
  "source",
  "channel",
  "priority",
  "subject",
  "topic",
  "queue",
  "comment",
  "touchpoint",
  "segment",
  "product",
  "query",
  "article_id",
  "question",
] as const;
const NUMBER_FIELDS = ["talk_s", "hold_s", "acw_s", "amount", "score", "scale"] as const;
const BOOL_FIELDS = ["public", "abandoned", "referred", "referral_converted", "time_unknown"] as const;
const KNOWN = new Set<string>([
  "id",
  "type",
  "ts",
  "status",
  "author_type",
  "created_by",
  "step",
  "kind",
  "tags",
  "tags_added",
  "tags_removed",
  "fields",
  "attrs",
  ...ID_FIELDS,
  ...STRING_FIELDS,
  ...NUMBER_FIELDS,
  ...BOOL_FIELDS,
]);

/** Which id field each family of types must carry. */
const REQUIRED_ID: Record<string, (typeof ID_FIELDS)[number]> = {
  ticket: "ticket_id",
  message: "ticket_id",
  bot: "ticket_id",
  contact: "contact_id",
  customer: "customer_id",
  helpcenter: "session_id",
  agent: "agent_id",
};

// ISO 8601 with a date, a time and an offset or Z. A zone-less time is ambiguous: the importers
// apply a mapping's time zone; the event API refuses to guess.
const ISO_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** True when year-month-day (and hour:minute[:second]) name a real calendar instant: no 30 February, no 24:00. */
export function realDate(y: number, m: number, d: number, hh = 0, mi = 0, ss = 0): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate() && hh <= 23 && mi <= 59 && ss <= 59;
}

/** Parses an event time: ISO 8601 with offset, or epoch milliseconds. Returns NaN when invalid. */
export function parseEventTime(v: unknown): number {
  if (typeof v === "number") return Number.isFinite(v) ? Math.round(v) : Number.NaN;
  if (typeof v !== "string" || !ISO_RE.test(v)) return Number.NaN;
  // Date.parse rolls 2026-02-30 over to 2 March: check the calendar first
  const [y, m, d, hh, mi, ss] = (/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(v) ?? []).slice(1).map((x) => Number(x ?? 0));
  if (!realDate(y, m, d, hh, mi, ss)) return Number.NaN;
  return Date.parse(v.replace(" ", "T"));
}

/**
 * The instants an event may carry: from 1970-01-01T00:00:00Z to one year after it arrives.
 * Anything outside can never be a real support event (a year 9999 or epoch-seconds-as-ms typo),
 * and past the JavaScript date range (±8.64e15 ms) no date arithmetic works at all; refusing it
 * here keeps it out of the log, where it would poison every later projection.
 */
export const MAX_FUTURE_MS = 366 * 86_400_000;

function checkTimeWindow(ts: number, given: unknown): void {
  const latest = Date.now() + MAX_FUTURE_MS;
  if (ts < 0 || ts > latest)
    throw new Invalid(
      "ts",
      `must lie between 1970-01-01T00:00:00Z and one year from now (${new Date(latest).toISOString().slice(0, 10)}); got ${JSON.stringify(given)}`,
    );
}

class Invalid {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {}
}

function str(raw: Record<string, unknown>, f: string): string | undefined {
  const v = raw[f];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  throw new Invalid(f, `must be a string, got ${typeof v}`);
}

function num(raw: Record<string, unknown>, f: string): number | undefined {
  const v = raw[f];
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n)) throw new Invalid(f, `must be a number, got ${JSON.stringify(v)}`);
  return n;
}

function bool(raw: Record<string, unknown>, f: string): boolean | undefined {
  const v = raw[f];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === 1 || v === "1") return true;
  if (v === "false" || v === 0 || v === "0") return false;
  throw new Invalid(f, `must be true or false, got ${JSON.stringify(v)}`);
}

function oneOf<T extends string>(raw: Record<string, unknown>, f: string, set: Set<string>): T | undefined {
  const v = str(raw, f);
  if (v === undefined) return undefined;
  if (!set.has(v)) throw new Invalid(f, `must be one of ${[...set].join(", ")}; got "${v}"`);
  return v as T;
}

function tagList(raw: Record<string, unknown>, f: string): string[] | undefined {
  const v = raw[f];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string")
    return v
      .split(/[,|]/)
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  throw new Invalid(f, "must be a list of strings");
}

function toEvent(raw: Record<string, unknown>): DeskEvent {
  const id = str(raw, "id");
  if (!id) throw new Invalid("id", "is required (a unique id per event; the same id sent twice is stored once)");
  const type = str(raw, "type");
  if (!type) throw new Invalid("type", "is required");
  if (!TYPE_SET.has(type)) throw new Invalid("type", `unknown event type "${type}"; known: ${EVENT_TYPES.join(", ")}`);
  if (raw.ts === undefined || raw.ts === null || raw.ts === "") throw new Invalid("ts", "is required");
  const ts = parseEventTime(raw.ts);
  if (Number.isNaN(ts))
    throw new Invalid("ts", `must be ISO 8601 with an offset or Z (e.g. 2026-03-01T09:30:00Z) or epoch milliseconds; got ${JSON.stringify(raw.ts)}`);
  checkTimeWindow(ts, raw.ts);
  const e: DeskEvent = { id, type: type as EventType, ts };
  for (const f of ID_FIELDS) {
    const v = str(raw, f);
    if (v !== undefined) e[f] = v;
  }
  for (const f of STRING_FIELDS) {
    const v = str(raw, f);
    if (v !== undefined) e[f] = v;
  }
  for (const f of NUMBER_FIELDS) {
    const v = num(raw, f);
    if (v !== undefined) e[f] = v;
  }
  for (const f of BOOL_FIELDS) {
    const v = bool(raw, f);
    if (v !== undefined) e[f] = v;
  }
  for (const f of ["tags", "tags_added", "tags_removed"] as const) {
    const v = tagList(raw, f);
    if (v !== undefined) e[f] = v;
  }
  const family = type.slice(0, type.indexOf("."));
  const need = REQUIRED_ID[family];
  if (need && e[need] === undefined) throw new Invalid(need, `is required for ${type}`);
  switch (type) {
    case "ticket.created":
      e.created_by = oneOf(raw, "created_by", CREATED_BY_SET);
      break;
    case "ticket.status_changed":
      e.status = oneOf(raw, "status", STATUS_SET);
      if (!e.status) throw new Invalid("status", `is required; one of ${TICKET_STATUSES.join(", ")}`);
      break;
    case "ticket.merged":
      if (e.into_ticket_id === e.ticket_id) throw new Invalid("into_ticket_id", "must be another ticket than ticket_id");
      break;
    case "ticket.assigned":
      if (e.agent_id === undefined && e.team_id === undefined && !("agent_id" in raw) && !("team_id" in raw))
        throw new Invalid("agent_id", "ticket.assigned needs agent_id and/or team_id");
      break;
    case "message.created":
      e.author_type = oneOf<AuthorType>(raw, "author_type", AUTHOR_SET);
      if (!e.author_type) throw new Invalid("author_type", `is required; one of ${AUTHOR_TYPES.join(", ")}`);
      if (e.public === undefined) e.public = true;
      break;
    case "contact.offered":
    case "contact.answered":
    case "contact.ended":
      e.step = oneOf(raw, "step", STEP_SET);
      for (const f of ["talk_s", "hold_s", "acw_s"] as const) if (e[f] !== undefined && e[f]! < 0) throw new Invalid(f, "must not be negative");
      break;
    case "survey.sent":
    case "survey.responded": {
      e.kind = oneOf<SurveyKind>(raw, "kind", KIND_SET);
      if (!e.kind) throw new Invalid("kind", `is required; one of ${SURVEY_KINDS.join(", ")}`);
      if (type === "survey.responded") {
        if (e.score === undefined && e.kind !== "sps") throw new Invalid("score", "is required for a survey response");
        e.scale ??= DEFAULT_SCALE[e.kind];
        if (!(Number.isInteger(e.scale) && e.scale >= 1 && e.scale <= 100))
          throw new Invalid("scale", `must be a whole number from 1 to 100 (the top of the survey's scale); got ${e.scale}`);
        if (e.score !== undefined) {
          const lo = e.kind === "nps" || e.kind === "enps" ? 0 : e.scale === 1 ? 0 : 1;
          if (e.score < lo || e.score > e.scale)
            throw new Invalid("score", `must be between ${lo} and ${e.scale} for a ${e.kind} survey on a ${lo}–${e.scale} scale; got ${e.score}`);
        }
      }
      e.survey_id ??= e.ticket_id ? `${e.ticket_id}:${e.kind}` : e.id;
      break;
    }
    case "customer.purchase":
      if (e.amount !== undefined && e.amount < 0) throw new Invalid("amount", "must not be negative");
      break;
    case "agent.status":
      e.status = oneOf(raw, "status", AGENT_STATUS_SET);
      if (!e.status) throw new Invalid("status", `is required; one of ${AGENT_STATUSES.join(", ")}`);
      break;
  }
  const f = raw.fields;
  if (f !== undefined && f !== null) {
    if (typeof f !== "object" || Array.isArray(f)) throw new Invalid("fields", "must be an object of custom field values");
    e.fields = f as DeskEvent["fields"];
  }
  let attrs: Record<string, unknown> | undefined;
  const given = raw.attrs;
  if (given && typeof given === "object" && !Array.isArray(given)) attrs = { ...(given as Record<string, unknown>) };
  for (const k in raw) {
    if (!KNOWN.has(k)) {
      attrs ??= {};
      attrs[k] = raw[k];
    }
  }
  if (attrs) e.attrs = attrs;
  return e;
}

export type Validated = { ok: true; event: DeskEvent } | { ok: false; rejection: Rejection };

/** Validates one raw record. Never throws: a bad record comes back as a rejection naming its field. */
export function validateEvent(raw: unknown, index: number): Validated {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return { ok: false, rejection: { index, field: "", reason: "each record must be a JSON object" } };
  try {
    return { ok: true, event: toEvent(raw as Record<string, unknown>) };
  } catch (err) {
    const r = raw as Record<string, unknown>;
    const id = typeof r.id === "string" ? r.id : undefined;
    if (err instanceof Invalid) return { ok: false, rejection: { index, id, field: err.field, reason: err.reason } };
    return { ok: false, rejection: { index, id, field: "", reason: String(err) } };
  }
}
