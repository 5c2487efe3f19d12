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
  /** per column, the values that mean "no value" there instead of `missing` (`?` may be a real value in one column) */
  missing_by_column?: Record<string, string[]>;
}

export const DEFAULT_MISSING = ["", "?", "NULL", "null", "N/A", "n/a", "NA", "-"];

/** Header words people use for each field (lower-case, letters and digits only). */
const SYNONYMS: Record<string, string[]> = {
  id: ["id", "eventid"],
  type: ["type", "eventtype"],
  ts: ["ts", "timestamp", "time", "eventtime", "occurredat"],
  ticket_id: ["ticketid", "ticket", "caseid", "case", "casenumber", "ticketnumber", "conversationid", "number", "incident", "incidentid"],
  updated_at: [
    "updatedat",
    "updated",
    "updatetime",
    "lastupdated",
    "lastupdatedat",
    "lastupdate",
    "updatedon",
    "updateddate",
    "modifiedat",
    "modified",
    "modifiedon",
    "lastmodified",
    "lastmodifieddate",
    "snapshottime",
    "changedat",
  ],
  created_at: ["createdat", "created", "createtime", "createdon", "createddate", "opened", "openedat", "openedon", "createdate", "dateopened", "opendate"],
  status: ["status", "state", "ticketstatus", "incidentstate", "casestatus", "stage", "pipelinestage"],
  agent_id: ["agentid", "agent", "assignee", "assigneeid", "assignedto", "owner", "ownerid", "responder", "responderid"],
  team_id: ["teamid", "team", "group", "groupid", "assignmentgroup", "queue", "department"],
  priority: ["priority", "urgency", "severity"],
  channel: ["channel", "source", "via", "medium", "contacttype"],
  topic: ["topic", "category", "type", "subcategory", "reason", "issuetype"],
  customer_id: ["customerid", "customer", "requester", "requesterid", "contact", "contactid", "caller", "callerid", "email", "userid"],
  first_reply_at: [
    "firstreplyat",
    "firstresponseat",
    "firstreply",
    "firstresponse",
    "firstreplytime",
    "firstresponded",
    "firstrespondedat",
    "firstresponsetime",
    "firstreplydate",
    "firstresponsedate",
  ],
  solved_at: [
    "solvedat",
    "resolvedat",
    "resolved",
    "solved",
    "resolvedon",
    "solvedon",
    "resolutiontime",
    "resolvedate",
    "resolveddate",
    "solveddate",
    "closedate",
  ],
  closed_at: ["closedat", "closed", "closedon", "closeddate"],
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
  awaitinguserinfo: "pending",
  awaitingcustomer: "pending",
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

/** A column the guess left out of `columns`, and why. */
export interface Unplaced {
  column: string;
  why: string;
}

/** Header words without a system prefix: ServiceNow writes sys_created_on, sys_updated_at… */
const fieldOf = (header: string, taken: Set<string>): string | undefined => {
  const n = norm(header);
  for (const cand of n.startsWith("sys") ? [n, n.slice(3)] : [n])
    for (const [field, words] of Object.entries(SYNONYMS)) if (!taken.has(field) && words.includes(cand)) return field;
  return undefined;
};

/** A mapping guessed from a file's headers and first rows, with the columns it could not place and why. */
export function guessMapping(headers: string[], rows: Record<string, string>[]): { mapping: Mapping; problems: string[]; unplaced: Unplaced[] } {
  const problems: string[] = [];
  const unplaced: Unplaced[] = [];
  const columns: Record<string, string> = {};
  const taken = new Set<string>();
  for (const h of headers) {
    const field = fieldOf(h, taken);
    if (field) {
      columns[h] = field;
      taken.add(field);
    }
  }
  const has = (f: string) => taken.has(f);
  const colOf = (f: string) => Object.keys(columns).find((c) => columns[c] === f);
  // A ticket id seen on several rows means one row per update: snapshots, whatever the headers say.
  const idCol = colOf("ticket_id");
  const ids = idCol ? rows.map((r) => r[idCol]).filter((v) => v !== undefined && !DEFAULT_MISSING.includes(v)) : [];
  const repeats = ids.length - new Set(ids).size;
  if (repeats > 0 && !has("updated_at") && has("ts") && !has("type")) {
    // the row's own time is then its update time
    columns[colOf("ts")!] = "updated_at";
    taken.delete("ts");
    taken.add("updated_at");
  }
  const shape: Shape =
    has("type") && has("ts")
      ? "events"
      : has("ticket_id") && (has("updated_at") || repeats > 0)
        ? "snapshots"
        : has("ticket_id") && has("created_at")
          ? "tickets"
          : "events";
  if (shape === "snapshots" && !has("updated_at"))
    problems.push(
      `ticket ids repeat (${repeats} of ${ids.length} sample rows), so rows look like updates of tickets (snapshots), but no column looks like the update time; name it "updated_at" in "columns"`,
    );
  if (shape === "events") for (const h of headers) if (!(h in columns)) columns[h] = h;
  const custom = shape === "events" ? [] : headers.filter((h) => !(h in columns));
  const timeCols = Object.entries(columns)
    .filter(([, f]) => f === "ts" || f.endsWith("_at"))
    .map(([c]) => c);
  const format = guessDateFormat(rows.flatMap((r) => timeCols.map((c) => r[c] ?? "")).filter((v) => !DEFAULT_MISSING.includes(v)));
  if (timeCols.length && !format)
    problems.push(
      `could not tell how the times in ${timeCols.join(", ")} are written; set "date_format" (${["iso", "d/m/yyyy HH:MM", "m/d/yyyy HH:MM", "epoch_s", "epoch_ms", "twitter"].join(", ")})`,
    );
  for (const h of custom) {
    const values = rows.map((r) => r[h] ?? "").filter((v) => !DEFAULT_MISSING.includes(v.trim()));
    const field = fieldOf(h, new Set());
    const timeLike = values.length > 0 && guessDateFormat(values) !== null;
    const why = field
      ? `its name says ${field}, but ${colOf(field)} already is; kept as a custom field`
      : timeLike
        ? `holds times but its name matches no known time (${["created_at", "first_reply_at", "solved_at", "closed_at", "updated_at"].join(", ")}); kept as a custom field — if it is one of them, move it to "columns"`
        : `its name matches no known field; kept as a custom field — if it is one, move it to "columns"`;
    unplaced.push({ column: h, why });
  }
  const statuses: Record<string, string> = {};
  const statusCol = colOf("status");
  if (statusCol)
    for (const r of rows) {
      const v = r[statusCol];
      if (v === undefined || DEFAULT_MISSING.includes(v) || v in statuses) continue;
      const g = guessStatus(v);
      if (g) statuses[v] = g;
      else problems.push(`status "${v}" (column ${statusCol}) means which of ${TICKET_STATUSES.join(", ")}? add it to "statuses"`);
    }
  if (shape !== "events" && !has("ticket_id")) problems.push('no column looks like the ticket id; name it in "columns"');
  return {
    mapping: {
      shape,
      columns,
      ...(statusCol ? { statuses } : {}),
      ...(custom.length ? { custom_fields: custom } : {}),
      date_format: format ?? "iso",
      timezone: "UTC",
      missing: DEFAULT_MISSING,
    },
    problems,
    unplaced,
  };
}
