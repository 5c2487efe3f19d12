/**
 * Every table, as data. Both stores create their tables from this one list, so a column is
 * declared once. Times are epoch milliseconds (`ms`), durations seconds (`float`).
 * Every table starts with `workspace`: no query reads a table without a workspace condition.
 *
 * Fact tables are derived: `deskpulse rebuild` recreates them from `events`.
 */
export type ColumnType = "string" | "int" | "float" | "bool" | "ms" | "json";
export interface Column {
  name: string;
  type: ColumnType;
  /** absent value allowed (everything except keys) */
  nullable?: boolean;
}
export interface TableDef {
  name: string;
  columns: Column[];
  /** the columns that identify one row (used for sort keys, replacement, dedup) */
  key: string[];
  /** derived from events by the projector (rebuildable) */
  derived: boolean;
  /**
   * The column that, with the workspace, spreads the rows over the shards of a ClickHouse
   * cluster: every row of one entity (a ticket, a customer…) lands on the same shard.
   */
  shardKey: string;
}

const c = (name: string, type: ColumnType, nullable = true): Column => ({ name, type, nullable });
const ws = c("workspace", "string", false);

/** Dimensions every ticket-scoped fact carries, so any metric can be grouped or filtered by them. */
const ticketDims = [
  c("channel", "string"),
  c("priority", "string"),
  c("team_id", "string"),
  c("agent_id", "string"),
  c("topic", "string"),
  c("customer_id", "string"),
];

export const TABLES: TableDef[] = [
  {
    name: "events",
    derived: false,
    key: ["workspace", "id"],
    shardKey: "entity",
    columns: [
      ws,
      c("id", "string", false),
      c("type", "string", false),
      c("ts", "ms", false),
      c("received_at", "ms", false),
      /** "ticket:T1" etc. — which entity the projector rebuilds from this event */
      c("entity", "string", false),
      c("ticket_id", "string"),
      c("customer_id", "string"),
      c("agent_id", "string"),
      /** the whole validated event as JSON (the truth the projector reads) */
      c("body", "json", false),
      /** position in the workspace's log: 1, 2, 3… in append order (the projector's checkpoint counts these) */
      c("pos", "int"),
    ],
  },
  {
    name: "projection",
    derived: false,
    key: ["workspace"],
    shardKey: "workspace",
    columns: [
      ws,
      /** the log position the derived facts include, committed together with them */
      c("pos", "int", false),
      c("updated_at", "ms", false),
    ],
  },
  {
    name: "rejected",
    derived: false,
    key: ["workspace", "seq"],
    shardKey: "seq",
    columns: [
      ws,
      c("seq", "int", false),
      c("received_at", "ms", false),
      /** "api", "import:<file>", "webhook:<vendor>" */
      c("origin", "string", false),
      /** record index in the batch / row or line number in the file */
      c("position", "int", false),
      c("field", "string"),
      c("reason", "string", false),
      /** the record as it was sent, verbatim */
      c("record", "string"),
    ],
  },
  {
    name: "api_keys",
    derived: false,
    key: ["key_hash"],
    shardKey: "key_hash",
    columns: [
      ws,
      c("key_hash", "string", false),
      c("name", "string"),
      /** comma-separated: ingest,read,admin */
      c("scopes", "string", false),
      c("created_at", "ms", false),
    ],
  },
  {
    name: "settings",
    derived: false,
    key: ["workspace", "name"],
    shardKey: "name",
    columns: [ws, c("name", "string", false), c("value", "json", false), c("updated_at", "ms", false)],
  },
  {
    /** outbound webhooks waiting for a retry (src/notify/retry-queue.ts), so a restart does not lose them */
    name: "outbox",
    derived: false,
    key: ["workspace", "id"],
    shardKey: "id",
    columns: [
      ws,
      c("id", "string", false),
      /** who asked for it: "alert:<rule>", "report:<id>", "survey:invite" */
      c("origin", "string", false),
      c("attempts", "int", false),
      c("next_at", "ms", false),
      /** the whole delivery as JSON: destination, the exact body, the signing secret */
      c("delivery", "json", false),
    ],
  },
  {
    name: "ticket_facts",
    derived: true,
    key: ["workspace", "ticket_id"],
    shardKey: "ticket_id",
    columns: [
      ws,
      c("ticket_id", "string", false),
      c("created_at", "ms"),
      /** customer | agent | system */
      c("created_by", "string"),
      ...ticketDims,
      /** the customer's segment at projection time (from customer.created) */
      c("segment", "string"),
      /** "|billing|refund|" so a tag filter is a LIKE on a delimited string, in any SQL */
      c("tags", "string"),
      /** custom fields as a JSON object */
      c("fields", "json"),
      c("status", "string"),
      c("is_open", "bool"),
      c("assigned", "bool"),
      /** when the clock of first response starts: created_at, or first customer message on agent-opened tickets */
      c("frt_start_at", "ms"),
      c("first_reply_at", "ms"),
      c("first_reply_agent_id", "string"),
      c("frt_s", "float"),
      c("frt_bs", "float"),
      c("first_solved_at", "ms"),
      c("last_solved_at", "ms"),
      c("res_first_s", "float"),
      c("res_first_bs", "float"),
      c("res_full_s", "float"),
      c("res_full_bs", "float"),
      /** time the ticket became closed (status closed), if ever */
      c("closed_at", "ms"),
      c("reopens", "int"),
      /** time of the first reopen (solved → not solved) */
      c("reopened_at", "ms"),
      c("transfers", "int"),
      c("agent_replies", "int"),
      c("customer_messages", "int"),
      c("bot_messages", "int"),
      c("internal_notes", "int"),
      /** pending / on-hold seconds (calendar) — the time spent waiting on the customer */
      c("pending_s", "float"),
      c("bot_handled", "bool"),
      c("bot_resolved", "bool"),
      c("bot_handoff", "bool"),
      c("fcr", "bool"),
      c("fcr_eligible", "bool"),
      c("sla_policy", "string"),
      c("sla_frt_target_s", "float"),
      c("sla_frt_met", "bool"),
      c("sla_frt_due_at", "ms"),
      /** when the first-reply target was settled: the first reply, else its due time (SLA metrics place the outcome there) */
      c("sla_frt_at", "ms"),
      c("sla_nrt_target_s", "float"),
      /** next-reply targets met / measured (every response after the first) */
      c("sla_nrt_met_n", "int"),
      c("sla_nrt_n", "int"),
      c("sla_res_target_s", "float"),
      c("sla_res_met", "bool"),
      c("sla_res_due_at", "ms"),
      /** when the resolution target was settled: the judged solve, else its due time */
      c("sla_res_at", "ms"),
      /** when the channel's expected first-response time was met (channel_expectations) */
      c("channel_target_s", "float"),
      c("channel_target_met", "bool"),
      c("last_event_at", "ms"),
      c("last_customer_message_at", "ms"),
      c("last_agent_reply_at", "ms"),
      /** comma-separated data-quality flags, e.g. reply_before_created,ts_out_of_range */
      c("flags", "string"),
    ],
  },
  {
    name: "response_facts",
    derived: true,
    key: ["workspace", "ticket_id", "seq"],
    shardKey: "ticket_id",
    columns: [
      ws,
      c("ticket_id", "string", false),
      c("seq", "int", false),
      ...ticketDims,
      c("segment", "string"),
      c("tags", "string"),
      c("fields", "json"),
      /** the first message of a run of customer messages (or the ticket start for the first response) */
      c("asked_at", "ms", false),
      c("replied_at", "ms"),
      /** the agent who replied */
      c("reply_agent_id", "string"),
      c("response_s", "float"),
      c("response_bs", "float"),
      c("is_first", "bool", false),
      c("sla_target_s", "float"),
      c("sla_met", "bool"),
      /** data-quality flags: the ticket's (ts_out_of_range, reply_before_created, merged, deleted) and negative_response */
      c("flags", "string"),
    ],
  },
  {
    name: "status_intervals",
    derived: true,
    key: ["workspace", "ticket_id", "start_at"],
    shardKey: "ticket_id",
    columns: [
      ws,
      c("ticket_id", "string", false),
      c("status", "string", false),
      c("start_at", "ms", false),
      /** null while the ticket is still in this status */
      c("end_at", "ms"),
      /** the ticket's creation, so the backlog can age tickets without a join */
      c("ticket_created_at", "ms"),
      ...ticketDims,
    ],
  },
  {
    name: "contact_facts",
    derived: true,
    key: ["workspace", "contact_id"],
    shardKey: "contact_id",
    columns: [
      ws,
      c("contact_id", "string", false),
      c("ticket_id", "string"),
      c("customer_id", "string"),
      c("channel", "string"),
      c("queue", "string"),
      c("agent_id", "string"),
      c("team_id", "string"),
      c("priority", "string"),
      c("topic", "string"),
      c("segment", "string"),
      c("tags", "string"),
      c("fields", "json"),
      c("offered_at", "ms"),
      c("answered_at", "ms"),
      c("ended_at", "ms"),
      c("wait_s", "float"),
      c("talk_s", "float"),
      c("hold_s", "float"),
      c("acw_s", "float"),
      c("handle_s", "float"),
      c("answered", "bool"),
      c("abandoned", "bool"),
      /** ivr | queue | transfer | waiting */
      c("abandon_step", "string"),
      c("flags", "string"),
    ],
  },
  {
    name: "survey_facts",
    derived: true,
    key: ["workspace", "survey_id", "question"],
    shardKey: "survey_id",
    columns: [
      ws,
      c("survey_id", "string", false),
      /** "" for single-question surveys */
      c("question", "string", false),
      c("kind", "string", false),
      c("ticket_id", "string"),
      c("customer_id", "string"),
      c("agent_id", "string"),
      c("team_id", "string"),
      c("channel", "string"),
      c("priority", "string"),
      c("topic", "string"),
      c("segment", "string"),
      c("tags", "string"),
      c("fields", "json"),
      c("touchpoint", "string"),
      c("sent_at", "ms"),
      c("responded_at", "ms"),
      c("score", "float"),
      c("scale", "float"),
      /** score mapped to 0..1 on its scale: (score - min) / (max - min) */
      c("score_norm", "float"),
      c("comment", "string"),
      c("referred", "bool"),
      c("referral_converted", "bool"),
    ],
  },
  {
    name: "customer_facts",
    derived: true,
    key: ["workspace", "customer_id"],
    shardKey: "customer_id",
    columns: [
      ws,
      c("customer_id", "string", false),
      c("segment", "string"),
      c("created_at", "ms"),
      c("churned_at", "ms"),
      c("purchases", "int"),
      c("first_purchase_at", "ms"),
      c("second_purchase_at", "ms"),
      c("products", "int"),
    ],
  },
  {
    name: "purchase_facts",
    derived: true,
    key: ["workspace", "event_id"],
    shardKey: "customer_id",
    columns: [
      ws,
      c("event_id", "string", false),
      c("customer_id", "string", false),
      c("ts", "ms", false),
      c("amount", "float"),
      c("product", "string"),
      c("ticket_id", "string"),
      c("agent_id", "string"),
      c("segment", "string"),
    ],
  },
  {
    name: "session_facts",
    derived: true,
    key: ["workspace", "session_id"],
    shardKey: "session_id",
    columns: [
      ws,
      c("session_id", "string", false),
      c("customer_id", "string"),
      c("started_at", "ms", false),
      c("ended_at", "ms", false),
      c("searches", "int"),
      c("views", "int"),
    ],
  },
  {
    name: "agent_intervals",
    derived: true,
    key: ["workspace", "agent_id", "start_at"],
    shardKey: "agent_id",
    columns: [ws, c("agent_id", "string", false), c("status", "string", false), c("start_at", "ms", false), c("end_at", "ms"), c("team_id", "string")],
  },
  // Rollups (src/rollups): sums kept from ticket_facts in the same commit, rebuilt with them. Not
  // `derived`: the projector emits no rows for them; the store's facts hook writes them.
  {
    name: "ticket_rollup",
    derived: false,
    key: ["workspace", "grp", "day"],
    shardKey: "day",
    columns: [
      ws,
      /** the metrics' time column and quality flags (one compiler scan) */
      c("grp", "string", false),
      /** local day of the workspace's zone, as a bucket label (local midnight read as UTC) */
      c("day", "ms", false),
      c("channel", "string"),
      c("priority", "string"),
      c("team_id", "string"),
      /** the records carry a flag that leaves them out of these metrics (counted apart) */
      c("x", "bool"),
      ...Array.from({ length: 48 }, (_, i) => c(`a${i}`, "float")),
    ],
  },
  {
    name: "ticket_rollup_hist",
    derived: false,
    key: ["workspace", "sketch", "day"],
    shardKey: "day",
    /** a log-bucketed histogram of one duration's values (src/rollups/ticket-rollup.ts) by local day and channel */
    columns: [ws, c("sketch", "string", false), c("day", "ms", false), c("channel", "string"), c("bin", "int", false), c("n", "int", false)],
  },
  {
    name: "rollup_state",
    derived: false,
    key: ["workspace"],
    shardKey: "workspace",
    columns: [ws, c("zone", "string", false), c("built_at", "ms", false)],
  },
  {
    /**
     * Beside the rollup: the fact rows (ticket_facts' columns) of the few open tickets whose
     * metrics still depend on the clock (an SLA target not met yet, with a due time), so the
     * planner adds the part of "{now}" a stored sum cannot hold (src/rollups/ticket-rollup.ts).
     */
    name: "ticket_rollup_due",
    derived: false,
    key: ["workspace", "ticket_id"],
    shardKey: "ticket_id",
    columns: [],
  },
];
// same columns as ticket_facts, so the compiler's expressions read both
table("ticket_rollup_due").columns = table("ticket_facts").columns;

export function table(name: string): TableDef {
  const t = TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
}

/** Row shapes of the fact tables, as the projector emits them (column name → value). */
export type Row = Record<string, string | number | boolean | null>;
