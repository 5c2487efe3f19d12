import { type DeskEvent, type EntityKind, entityKindOf } from "../events/types.js";
import { ticketDimsOf } from "../projector/index.js";
import type { TicketDims } from "../projector/types.js";
import { IdFilter } from "../store/id-filter.js";
import type { Row } from "../store/schema.js";
import { inList, ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { splitEntity } from "./entities.js";

/** Past this many remembered values a map starts again empty (a miss only costs a look-up). */
const MAX_ENTRIES = 1_000_000;
const DIM_KEYS: (keyof TicketDims)[] = ["channel", "priority", "team_id", "agent_id", "topic", "customer_id", "segment", "tags", "fields"];
const TICKET_DIMS = ["ticket_id", ...DIM_KEYS].join(", ");

/**
 * The attributes that one entity's facts copy from another — a customer's segment into its
 * tickets, a ticket's dimensions into its surveys and contacts — as the stored facts of one
 * workspace hold them, in memory: read once, then kept up to date from each commit (one lane
 * projects a workspace, so nothing else changes them; a rebuild or a failure forgets them).
 * Folding needs no look-up for what was seen before, and knowing the stored value, a commit
 * re-projects the dependents only of entities whose copied attributes changed.
 */
export class CopiedAttributes {
  /** customer → stored segment (undefined: no segment, or no row) */
  private readonly segments = new Map<string, string | undefined>();
  /** ticket → stored dimensions (undefined: no row) */
  private readonly tickets = new Map<string, TicketDims | undefined>();
  /**
   * Tickets that some survey or contact with stored facts names, customers that some other such
   * entity names (entity kind → filter of the ids): no other ticket or customer has dependents to
   * re-project but those folded in the same commit, which see its new values anyway.
   */
  private named: Promise<Map<EntityKind, IdFilter>> | null = null;

  constructor(
    private readonly store: Store,
    private readonly workspace: string,
  ) {}

  segment(customer: string): string | undefined {
    return this.segments.get(customer);
  }

  ticket(ticket: string): TicketDims | undefined {
    return this.tickets.get(ticket);
  }

  /** After the commit of `fresh`: notes the tickets and customers they name. */
  async namedBy(fresh: DeskEvent[]): Promise<void> {
    if (!this.named) return; // read in full from the log when next needed
    const named = await this.named;
    for (const e of fresh) {
      if (e.ticket_id && namesTicket(e)) named.get("ticket")!.add(e.ticket_id);
      if (e.customer_id && namesCustomer(e)) named.get("customer")!.add(e.customer_id);
    }
  }

  /**
   * Reads what folding `events` will copy and is not known yet (nor in this commit's
   * `segments`/`tickets`); `mayHaveRow(entity)` false means that entity has no stored facts.
   */
  async load(events: DeskEvent[], segments: Map<string, unknown>, tickets: Map<string, unknown>, mayHaveRow: (entity: string) => boolean): Promise<void> {
    // start again when full, never between a look-up and the fold that uses it
    if (this.segments.size >= MAX_ENTRIES) this.segments.clear();
    if (this.tickets.size >= MAX_ENTRIES) this.tickets.clear();
    const customers = new Set<string>();
    const ticketIds = new Set<string>();
    for (const e of events) {
      const c = e.customer_id;
      if (c && namesCustomer(e) && !segments.has(c) && !this.segments.has(c)) {
        if (mayHaveRow(`customer:${c}`)) customers.add(c);
        else this.segments.set(c, undefined);
      }
      const t = e.ticket_id;
      if (t && namesTicket(e) && !tickets.has(t) && !this.tickets.has(t)) {
        if (mayHaveRow(`ticket:${t}`)) ticketIds.add(t);
        else this.tickets.set(t, undefined);
      }
    }
    if (customers.size > 0) {
      const rows = await this.selectIn("customer_facts", "customer_id", [...customers], "customer_id, segment");
      const found = new Map(rows.map((r) => [r.customer_id as string, (r.segment as string | null) || undefined]));
      for (const c of customers) this.segments.set(c, found.get(c));
    }
    if (ticketIds.size > 0) {
      const rows = await this.selectIn("ticket_facts", "ticket_id", [...ticketIds], TICKET_DIMS);
      const found = new Map(rows.map((r) => [r.ticket_id as string, ticketDimsOf(r)]));
      for (const t of ticketIds) this.tickets.set(t, found.get(t));
    }
  }

  /**
   * The entities whose facts copy from the `folded` ones and must be re-projected in the same
   * commit (not already in `done`): tickets of customers whose segment changed, surveys and
   * contacts of tickets whose dimensions changed, judged against the stored values.
   */
  async dependents(
    through: number | undefined,
    done: Set<string>,
    folded: string[],
    brandNew: Set<string>,
    segments: Map<string, string | undefined>,
    tickets: Map<string, TicketDims | undefined>,
  ): Promise<string[]> {
    const customers: string[] = [];
    const changedTickets: string[] = [];
    const named = await this.namedIds(through);
    for (const e of folded) {
      const { kind, key } = splitEntity(e);
      // a brand-new entity has no stored row: its old value is "none"
      const isNew = brandNew.has(e);
      if (!named.get(kind)?.mayContain(key)) continue;
      if (kind === "customer") {
        const before = isNew ? undefined : this.segments.get(key);
        if (!(isNew || this.segments.has(key)) || before !== segments.get(key)) customers.push(key);
      } else if (kind === "ticket") {
        const before = isNew ? undefined : this.tickets.get(key);
        if (!(isNew || this.tickets.has(key)) || !sameDims(before, tickets.get(key))) changedTickets.push(key);
      }
    }
    const out: string[] = [];
    const add = (rows: Row[]) => {
      for (const r of rows) {
        const e = `${r.kind}:${r.id}`;
        if (!done.has(e)) {
          done.add(e);
          out.push(e);
        }
      }
    };
    // tickets, surveys and contacts copy their customer's segment; surveys and contacts their ticket's dimensions
    if (customers.length > 0) add(await this.idsWhereIn("customer_id", customers, ["ticket", "survey", "contact"]));
    if (changedTickets.length > 0) add(await this.idsWhereIn("ticket_id", changedTickets, ["survey", "contact"]));
    return out;
  }

  /** After the commit of `segments` and `tickets`: they are what the facts hold now. */
  committed(segments: Map<string, string | undefined>, tickets: Map<string, TicketDims | undefined>): void {
    for (const [k, v] of segments) this.segments.set(k, v);
    for (const [k, v] of tickets) this.tickets.set(k, v);
  }

  /** `through`: the log position the facts include (undefined: take the whole log, as on ClickHouse, where rows may run ahead of the checkpoint). */
  private namedIds(through: number | undefined): Promise<Map<EntityKind, IdFilter>> {
    this.named ??= (async () => {
      const tickets = new IdFilter();
      const customers = new IdFilter();
      const rows = await this.store.query<{ t: string | null; c: string | null }>(
        `SELECT DISTINCT CASE WHEN entity LIKE 'survey:%' OR entity LIKE 'contact:%' THEN ticket_id END AS t,
                CASE WHEN entity NOT LIKE 'customer:%' THEN customer_id END AS c
           FROM events WHERE workspace = ${ph(this.store, 1)} AND (ticket_id IS NOT NULL OR customer_id IS NOT NULL)${
             through === undefined ? "" : ` AND pos <= ${ph(this.store, 2, through)}`
           }`,
        through === undefined ? [this.workspace] : [this.workspace, through],
      );
      for (const r of rows) {
        if (r.t) tickets.add(r.t);
        if (r.c) customers.add(r.c);
      }
      return new Map<EntityKind, IdFilter>([
        ["ticket", tickets],
        ["customer", customers],
      ]);
    })();
    const p = this.named;
    p.catch(() => {
      if (this.named === p) this.named = null;
    });
    return p;
  }

  /** The entities of `kinds` whose facts have `column` in `values`, in one round trip (the same parameters serve every list). */
  private idsWhereIn(column: string, values: string[], kinds: ("ticket" | "survey" | "contact")[]): Promise<Row[]> {
    const w = ph(this.store, 1);
    const list = inList(this.store, 2, values);
    const sql = kinds.map((k) => `SELECT '${k}' AS kind, ${k}_id AS id FROM ${k}_facts WHERE workspace = ${w} AND ${column} IN (${list})`).join(" UNION ALL ");
    return this.store.query<Row>(sql, [this.workspace, ...values]);
  }

  private selectIn(tableName: string, column: string, values: string[], cols: string): Promise<Row[]> {
    return this.store.query<Row>(
      `SELECT ${cols} FROM ${tableName} WHERE workspace = ${ph(this.store, 1)} AND ${column} IN (${inList(this.store, 2, values)})`,
      [this.workspace, ...values],
    );
  }
}

/** Surveys and contacts copy the dimensions of the ticket they name. */
function namesTicket(e: DeskEvent): boolean {
  const kind = entityKindOf(e.type);
  return kind === "survey" || kind === "contact";
}

/** Every entity but the customer itself copies the segment of the customer it names. */
function namesCustomer(e: DeskEvent): boolean {
  return entityKindOf(e.type) !== "customer";
}

function sameDims(a: TicketDims | undefined, b: TicketDims | undefined): boolean {
  if (!a || !b) return a === b;
  return DIM_KEYS.every((k) => a[k] === b[k]);
}
