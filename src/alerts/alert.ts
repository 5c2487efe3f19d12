import type { Condition } from "./rules.js";

/** One alert: a rule's condition that became true for a ticket, the backlog, a metric or an anomaly. */
export interface Alert {
  id: string;
  rule_id: string;
  rule_name: string;
  /** identifies the alert within its rule while it fires: ticket id, "backlog", "metric", "anomaly" */
  key: string;
  kind: Condition["kind"];
  state: "firing" | "resolved";
  ticket_id: string | null;
  team: string | null;
  channel: string | null;
  priority: string | null;
  agent_id: string | null;
  metric: string | null;
  value: number | null;
  threshold: number | null;
  unit: string | null;
  due_at: number | null;
  /** for anomalies: the band the value fell outside */
  band: { median: number; lower: number; upper: number } | null;
  fired_at: number;
  resolved_at: number | null;
  last_notified_at: number | null;
  notifications: number;
  acked_at: number | null;
  acked_by: string | null;
  snoozed_until: number | null;
  updated_at: number;
}

/** What the dashboard's bell needs, pushed over the live stream. */
export interface AlertSummary {
  firing: number;
  unacknowledged: number;
  latest: Pick<Alert, "id" | "rule_name" | "kind" | "state" | "ticket_id" | "metric" | "value" | "threshold" | "unit" | "fired_at" | "acked_at">[];
}
