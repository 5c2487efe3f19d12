import { TICKET_STATUSES } from "../events/types.js";
import { parseDate } from "./dates.js";
import { externalSort } from "./external-sort.js";
import { DEFAULT_MISSING, guessStatus, type Mapping } from "./mapping.js";
import type { ImportItem } from "./source.js";

/** A file row as named cells, with its row number and raw text. */
export interface SourceRow {
  position: number;
  values: Record<string, string>;
  raw: string;
}

type Fields = Record<string, string>;
class RowError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {}
}

/** The values that mean "no value" in each column: the column's own list, else the mapping's. */
function missingOf(m: Mapping): (col: string) => Set<string> {
  const all = new Set(m.missing ?? DEFAULT_MISSING);
  const own = new Map(Object.entries(m.missing_by_column ?? {}).map(([c, list]) => [c, new Set(list)]));
  return (col) => own.get(col) ?? all;
}

/** Reads one row through the mapping: fields by name, times as epoch ms, statuses canonical. */
function readRow(row: SourceRow, m: Mapping): { f: Fields; times: Record<string, number>; custom: Record<string, string> } {
  const missing = missingOf(m);
  const f: Fields = {};
  const times: Record<string, number> = {};
  for (const [col, field] of Object.entries(m.columns)) {
    const v = row.values[col];
    if (v === undefined || missing(col).has(v.trim())) continue;
    if (field === "ts" || field.endsWith("_at")) {
      const t = parseDate(v, m.date_format ?? "iso", m.timezone ?? "UTC");
      if (Number.isNaN(t)) throw new RowError(col, `"${v}" is not a time in the format ${m.date_format ?? "iso"} (row ${row.position}, column ${col})`);
      times[field] = t;
    } else if (field === "status") {
      // the mapping's own word first; a value it does not list but whose words are unambiguous (Resolved, On hold…) still reads
      const s = m.statuses?.[v] ?? guessStatus(v);
      if (!s)
        throw new RowError(col, `unknown status "${v}" (row ${row.position}, column ${col}); map it in "statuses" to one of ${TICKET_STATUSES.join(", ")}`);
      f.status = s;
    } else f[field] = v.trim();
  }
  const custom: Record<string, string> = {};
  for (const col of m.custom_fields ?? []) {
    const v = row.values[col];
    if (v !== undefined && !missing(col).has(v.trim())) custom[col] = v.trim();
  }
  return { f, times, custom };
}

function reject(row: SourceRow, e: unknown): ImportItem {
  if (e instanceof RowError) return { kind: "reject", position: row.position, field: e.field, reason: e.reason, raw: row.raw };
  throw e;
}

/** Event rows through a mapping: columns renamed, times converted. */
export async function* eventRows(rows: AsyncIterable<SourceRow>, m: Mapping): AsyncGenerator<ImportItem> {
  for await (const row of rows) {
    try {
      const { f, times, custom } = readRow(row, m);
      const rec: Record<string, unknown> = { ...f };
      for (const [k, t] of Object.entries(times)) rec[k] = t;
      if (Object.keys(custom).length) rec.fields = custom;
      yield { kind: "record", position: row.position, record: rec };
    } catch (e) {
      yield reject(row, e);
    }
  }
}

/**
 * Snapshot rows — each the whole current state of a ticket at an update time — become events
 * from the differences between a ticket's consecutive rows (status changes, reopens,
 * reassignments, field changes). Rows are sorted by ticket and time on disk, so any size fits.
 */
export async function* snapshotRows(rows: AsyncIterable<SourceRow>, m: Mapping): AsyncGenerator<ImportItem> {
  type Snap = { ticket: string; at: number; created: number | null; position: number; f: Fields; custom: Record<string, string> };
  const bad: ImportItem[] = [];
  async function* read(): AsyncGenerator<Snap> {
    for await (const row of rows) {
      try {
        const { f, times, custom } = readRow(row, m);
        if (!f.ticket_id) throw new RowError("ticket_id", `row ${row.position} has no ticket id`);
        const at = times.updated_at ?? times.ts ?? times.created_at;
        if (at === undefined) throw new RowError("updated_at", `row ${row.position} has no update time`);
        yield { ticket: f.ticket_id, at, created: times.created_at ?? null, position: row.position, f, custom };
      } catch (e) {
        bad.push(reject(row, e));
      }
    }
  }
  let prev: Snap | null = null;
  /** how many earlier rows of this ticket share this row's time */
  let same = 0;
  for await (const s of externalSort(read(), (a, b) => (a.ticket < b.ticket ? -1 : a.ticket > b.ticket ? 1 : a.at - b.at || a.position - b.position))) {
    while (bad.length) yield bad.shift()!;
    same = prev && prev.ticket === s.ticket && prev.at === s.at ? same + 1 : 0;
    // One id per source row: several updates of a ticket in the same minute are not duplicates of
    // each other. The first row at a time keeps the plain id (re-imports stay idempotent); later
    // ones add "@0001"…, which sorts after ":" so same-instant events fold in file order.
    const at = same === 0 ? `${s.at}` : `${s.at}@${String(same).padStart(4, "0")}`;
    const id = (kind: string) => `${s.ticket}:${at}:${kind}`;
    const base = { ticket_id: s.ticket, source: "snapshot" };
    const emit = (type: string, kind: string, ts: number, extra: Record<string, unknown>): ImportItem => ({
      kind: "record",
      position: s.position,
      record: { id: id(kind), type, ts, ...base, ...extra },
    });
    if (!prev || prev.ticket !== s.ticket) {
      const created = s.created ?? s.at;
      yield emit("ticket.created", "created", created, {
        channel: s.f.channel,
        priority: s.f.priority,
        topic: s.f.topic,
        subject: s.f.subject,
        customer_id: s.f.customer_id,
        ...(Object.keys(s.custom).length ? { fields: s.custom } : {}),
      });
      if (s.f.agent_id || s.f.team_id) yield emit("ticket.assigned", "assigned", s.at, { agent_id: s.f.agent_id, team_id: s.f.team_id });
      if (s.f.status && s.f.status !== "new") yield emit("ticket.status_changed", "status", s.at, { status: s.f.status });
    } else {
      const p: Snap = prev;
      if ((s.f.agent_id ?? null) !== (p.f.agent_id ?? null) || (s.f.team_id ?? null) !== (p.f.team_id ?? null))
        yield emit("ticket.assigned", "assigned", s.at, { agent_id: s.f.agent_id, team_id: s.f.team_id });
      const changed: Record<string, unknown> = {};
      for (const k of ["priority", "channel", "topic"]) if ((s.f[k] ?? null) !== (p.f[k] ?? null) && s.f[k]) changed[k] = s.f[k];
      const fields = Object.fromEntries(Object.entries(s.custom).filter(([k, v]) => p.custom[k] !== v));
      if (Object.keys(changed).length || Object.keys(fields).length)
        yield emit("ticket.updated", "updated", s.at, { ...changed, ...(Object.keys(fields).length ? { fields } : {}) });
      if (s.f.status && s.f.status !== p.f.status) yield emit("ticket.status_changed", "status", s.at, { status: s.f.status });
    }
    prev = s;
  }
  while (bad.length) yield bad.shift()!;
}

/** Ticket rows — one per ticket with its times as columns — become created, assigned, first reply, solved and closed events. */
export async function* ticketRows(rows: AsyncIterable<SourceRow>, m: Mapping): AsyncGenerator<ImportItem> {
  for await (const row of rows) {
    let parsed: ReturnType<typeof readRow>;
    try {
      parsed = readRow(row, m);
      if (!parsed.f.ticket_id) throw new RowError("ticket_id", `row ${row.position} has no ticket id`);
      if (parsed.times.created_at === undefined) throw new RowError("created_at", `row ${row.position} has no creation time`);
    } catch (e) {
      yield reject(row, e);
      continue;
    }
    const { f, times, custom } = parsed;
    const t = f.ticket_id;
    const rec = (kind: string, type: string, ts: number, extra: Record<string, unknown>): ImportItem => ({
      kind: "record",
      position: row.position,
      record: { id: `${t}:${kind}`, type, ts, ticket_id: t, source: "ticket_rows", ...extra },
    });
    yield rec("created", "ticket.created", times.created_at, {
      channel: f.channel,
      priority: f.priority,
      topic: f.topic,
      subject: f.subject,
      customer_id: f.customer_id,
      created_by: "customer",
      ...(Object.keys(custom).length ? { fields: custom } : {}),
    });
    if (f.agent_id || f.team_id) yield rec("assigned", "ticket.assigned", times.created_at, { agent_id: f.agent_id, team_id: f.team_id });
    if (times.first_reply_at !== undefined) {
      if (times.first_reply_at < times.created_at) yield { kind: "flag", position: row.position, reason: `row ${row.position}: first reply before creation` };
      yield rec("first_reply", "message.created", times.first_reply_at, { author_type: "agent", agent_id: f.agent_id, public: true });
    }
    if (times.solved_at !== undefined) yield rec("solved", "ticket.status_changed", times.solved_at, { status: "solved" });
    if (times.closed_at !== undefined) yield rec("closed", "ticket.status_changed", times.closed_at, { status: "closed" });
    else if (f.status && times.solved_at === undefined && f.status !== "new") {
      // "Solved" without a solved time: the ticket is solved, but when is unknown; placing the solve
      // at creation would read as a 0 s resolution, so the event says so and the projector flags it
      const unknown = f.status === "solved" || f.status === "closed";
      if (unknown)
        yield {
          kind: "flag",
          position: row.position,
          reason: `row ${row.position}: status ${f.status} without a solved time; counted as ${f.status}, left out of resolution times`,
        };
      yield rec("status", "ticket.status_changed", times.created_at, { status: f.status, ...(unknown ? { time_unknown: true } : {}) });
    }
  }
}
