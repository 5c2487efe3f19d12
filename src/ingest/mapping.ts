import { TICKET_STATUSES } from "../events/types.js";
import { type DateFormat, guessDateFormat } from "./dates.js";

/** What a row of a file is. */
export type Shape = "events" | "snapshots" | "tickets";

/**
 * How to read a file of rows: which column is which field, which source status is which
 * canonical one, how times are written and in which zone, what means "missing". Written by
 * `--dry-run` for the user to check and edit.
 */
export interface Mapping {
  shape: Shape;
  /** source column → field (ticket_id, updated_at, created_at, status, agent_id, team_id, priority, channel, topic, customer_id, first_reply_at, solved_at, closed_at, subject, …; for events any event field) */
  columns: Record<string, string>;
  /** source status value → new | open | pending | on_hold | solved | closed */
  statuses?: Record<string, string>;
  /** source columns kept as custom ticket fields */
  custom_fields?: string[];
  date_format?: DateFormat;
  /** IANA zone of times written without an offset */
  timezone?: string;
  /** values that mean "no value" */
  missing?: string[];
}

export const DEFAULT_MISSING = ["", "?", "NULL", "null", "N/A", "n/a", "NA", "-"];

/** Header words people use for each field (lower-case, letters and digits only). */
const SYNONYMS: Record<string, string[]> = {
  id: ["id", "eventid"],
  type: ["type", "eventtype"],
  ts: ["ts", "timestamp", "time", "eventtime", "occurredat"],
  ticket_id: ["ticketid", "ticket", "caseid", "case", "casenumber", "ticketnumber", "conversationid", "number", "incident", "incidentid"],
  updated_at: ["updatedat", "updated", "updatetime", "lastupdated", "modifiedat", "modified", "snapshottime", "changedat", "sysupdatedon"],
  created_at: ["createdat", "created", "createtime", "opened", "openedat", "createdate", "dateopened", "syscreatedon"],
  status: ["status", "state", "ticketstatus", "stage", "pipelinestage"],
  agent_id: ["agentid", "agent", "assignee", "assigneeid", "assignedto", "owner", "ownerid", "responder", "responderid"],
  team_id: ["teamid", "team", "group", "groupid", "assignmentgroup", "queue", "department"],
  priority: ["priority", "urgency", "severity"],
  channel: ["channel", "source", "via", "medium", "contacttype"],
  topic: ["topic", "category", "type", "subcategory", "reason", "issuetype"],
  customer_id: ["customerid", "customer", "requester", "requesterid", "contact", "contactid", "caller", "email", "userid"],
  first_reply_at: ["firstreplyat", "firstresponseat", "firstreplytime", "firstresponded", "firstresponsetime"],
  solved_at: ["solvedat", "resolvedat", "resolved", "solved", "resolutiontime", "resolvedate", "closedate"],
  closed_at: ["closedat", "closed"],
  subject: ["subject", "title", "shortdescription", "summary"],
};

const STATUS_WORDS: Record<string, string> = {
  new: "new",
  open: "open",
  opened: "open",
  inprogress: "open",
  active: "open",
  assigned: "open",
  reopened: "open",
  pending: "pending",
  waiting: "pending",
  waitingoncustomer: "pending",
  awaitinguser: "pending",
  snoozed: "pending",
  onhold: "on_hold",
  hold: "on_hold",
  solved: "solved",
  resolved: "solved",
  done: "solved",
  closed: "closed",
  cancelled: "closed",
  canceled: "closed",
};

export const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The canonical status of a source value, if its words say so. */
export function guessStatus(v: string): string | undefined {
  const n = norm(v);
  return (TICKET_STATUSES as readonly string[]).includes(v) ? v : STATUS_WORDS[n];
}

/** A mapping guessed from a file's headers and first rows. */
export function guessMapping(headers: string[], rows: Record<string, string>[]): { mapping: Mapping; problems: string[] } {
  const problems: string[] = [];
  const columns: Record<string, string> = {};
  const taken = new Set<string>();
  for (const [field, words] of Object.entries(SYNONYMS)) {
    const h = headers.find((x) => !(x in columns) && words.includes(norm(x)));
    if (h && !taken.has(field)) {
      columns[h] = field;
      taken.add(field);
    }
  }
  const has = (f: string) => taken.has(f);
  const shape: Shape = has("type") && has("ts") ? "events" : has("updated_at") && has("ticket_id") ? "snapshots" : has("ticket_id") && has("created_at") ? "tickets" : "events";
  if (shape === "events") for (const h of headers) if (!(h in columns)) columns[h] = h;
  const custom = shape === "events" ? [] : headers.filter((h) => !(h in columns));
  const timeCols = Object.entries(columns).filter(([, f]) => f === "ts" || f.endsWith("_at")).map(([c]) => c);
  const format = guessDateFormat(rows.flatMap((r) => timeCols.map((c) => r[c] ?? "")).filter((v) => !DEFAULT_MISSING.includes(v)));
  if (timeCols.length && !format) problems.push(`could not tell how the times in ${timeCols.join(", ")} are written; set "date_format" (${["iso", "d/m/yyyy HH:MM", "m/d/yyyy HH:MM", "epoch_s", "epoch_ms", "twitter"].join(", ")})`);
  const statuses: Record<string, string> = {};
  const statusCol = Object.keys(columns).find((c) => columns[c] === "status");
  if (statusCol)
    for (const r of rows) {
      const v = r[statusCol];
      if (v === undefined || DEFAULT_MISSING.includes(v) || v in statuses) continue;
      const g = guessStatus(v);
      if (g) statuses[v] = g;
      else problems.push(`status "${v}" (column ${statusCol}) means which of ${TICKET_STATUSES.join(", ")}? add it to "statuses"`);
    }
  if (shape !== "events" && !has("ticket_id")) problems.push("no column looks like the ticket id; name it in \"columns\"");
  return {
    mapping: { shape, columns, ...(statusCol ? { statuses } : {}), ...(custom.length ? { custom_fields: custom } : {}), date_format: format ?? "iso", timezone: "UTC", missing: DEFAULT_MISSING },
    problems,
  };
}
