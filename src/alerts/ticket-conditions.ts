import { addBusinessMs } from "../calendar/index.js";
import type { WorkspaceSettings } from "../config/settings.js";
import { DEFAULT_PAUSE_STATUSES } from "../events/types.js";
import { calendarFor } from "../projector/clock.js";
import type { Row } from "../store/schema.js";
import type { AlertRule, SlaTarget } from "./rules.js";

/** One thing that is true now: a ticket (or the backlog) matching a rule's condition. */
export interface Finding {
  /** identifies the alert within its rule: the ticket id, or "backlog" */
  key: string;
  ticket_id: string | null;
  team: string | null;
  channel: string | null;
  priority: string | null;
  agent_id: string | null;
  value: number;
  threshold: number;
  unit: "minutes" | "count" | "hours";
  due_at: number | null;
}

export interface Evaluation {
  findings: Finding[];
  /** the earliest future instant at which the condition can become true without a new event */
  nextAt: number | null;
}

const MIN = 60_000;
const DEFAULT_PAUSE = DEFAULT_PAUSE_STATUSES;

type Filters = AlertRule["filters"];

export function passes(filters: Filters, t: { team_id?: unknown; channel?: unknown; priority?: unknown; agent_id?: unknown }): boolean {
  const ok = (list: string[] | undefined, v: unknown) => !list?.length || list.includes(String(v ?? ""));
  return ok(filters.team, t.team_id) && ok(filters.channel, t.channel) && ok(filters.priority, t.priority) && ok(filters.agent, t.agent_id);
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * When a running SLA target of an open ticket falls due, from its projected facts: first reply
 * and resolution are projected (`sla_frt_due_at`, `sla_res_due_at`); the next reply runs from
 * the customer's last unanswered message on the policy's clock. Null when the target does not
 * run (met, no policy, or the ticket sits in a status that pauses the SLA clock).
 */
export function dueOf(row: Row, target: SlaTarget, settings: WorkspaceSettings): number | null {
  const policy = settings.sla_policies.find((p) => p.name === row.sla_policy);
  const paused = new Set(policy?.pause_statuses ?? DEFAULT_PAUSE);
  if (paused.has(String(row.status))) return null;
  const replied = row.first_reply_at != null;
  if (target === "first_reply") return replied ? null : num(row.sla_frt_due_at);
  if (target === "resolution") return num(row.sla_res_due_at);
  const targetS = num(row.sla_nrt_target_s);
  const lastCust = num(row.last_customer_message_at);
  const lastAgent = num(row.last_agent_reply_at);
  if (!replied || targetS == null || lastCust == null || (lastAgent != null && lastAgent >= lastCust)) return null;
  if (policy?.clock === "business") return addBusinessMs(calendarFor(settings, (row.team_id as string | null) ?? null), lastCust, targetS * 1000);
  return lastCust + targetS * 1000;
}

/** When the ticket started waiting on an agent (no reply yet, or the customer spoke last); null when it is not waiting. */
function waitingSince(row: Row): number | null {
  if (DEFAULT_PAUSE.includes(String(row.status))) return null;
  if (row.first_reply_at == null) return num(row.frt_start_at) ?? num(row.created_at);
  const lastCust = num(row.last_customer_message_at);
  const lastAgent = num(row.last_agent_reply_at);
  return lastCust != null && (lastAgent == null || lastCust > lastAgent) ? lastCust : null;
}

function finding(row: Row, value: number, threshold: number, unit: Finding["unit"], due: number | null): Finding {
  const s = (k: string) => (row[k] == null ? null : String(row[k]));
  return {
    key: String(row.ticket_id),
    ticket_id: String(row.ticket_id),
    team: s("team_id"),
    channel: s("channel"),
    priority: s("priority"),
    agent_id: s("agent_id"),
    value,
    threshold,
    unit,
    due_at: due,
  };
}

/**
 * Evaluates a ticket-level rule on the open tickets at `now`. Pure: the engine calls it after
 * every projected batch and at `nextAt`, which is how "due − N minutes" fires at that instant.
 */
export function evaluateTicketRule(rule: AlertRule, open: Iterable<Row>, settings: WorkspaceSettings, now: number): Evaluation {
  const c = rule.condition;
  const findings: Finding[] = [];
  let nextAt: number | null = null;
  const later = (t: number) => {
    if (t > now && (nextAt === null || t < nextAt)) nextAt = t;
  };
  const targets = (t: string): SlaTarget[] => (t === "any" ? ["first_reply", "next_reply", "resolution"] : [t as SlaTarget]);
  let backlog = 0;
  for (const row of open) {
    if (!passes(rule.filters, row)) continue;
    switch (c.kind) {
      case "sla_due": {
        const due = dueOf(row, c.target, settings);
        if (due === null) break;
        const from = due - c.within_minutes * MIN;
        // Stays true past the due time: the reminder resolves when the target is met, not when it is missed.
        if (now >= from) findings.push(finding(row, Math.round((due - now) / MIN), c.within_minutes, "minutes", due));
        else later(from);
        break;
      }
      case "sla_breached": {
        let first: number | null = null;
        for (const t of targets(c.target)) {
          const due = dueOf(row, t, settings);
          if (due === null) continue;
          if (due < now) first = first === null ? due : Math.min(first, due);
          else later(due + 1);
        }
        if (first !== null) findings.push(finding(row, Math.round((now - first) / MIN), 0, "minutes", first));
        break;
      }
      case "unassigned":
      case "waiting": {
        const since = c.kind === "unassigned" ? (row.agent_id ? null : num(row.created_at)) : waitingSince(row);
        if (since === null) break;
        const at = since + c.longer_than_minutes * MIN;
        if (now >= at) findings.push(finding(row, Math.round((now - since) / MIN), c.longer_than_minutes, "minutes", null));
        else later(at);
        break;
      }
      case "backlog_age": {
        const created = num(row.created_at);
        if (created === null) break;
        const at = created + c.older_than_hours * 3_600_000;
        if (now >= at) backlog++;
        else later(at);
        break;
      }
      default:
        return { findings: [], nextAt: null };
    }
  }
  if (c.kind === "backlog_age" && backlog > c.above)
    findings.push({
      key: "backlog",
      ticket_id: null,
      team: rule.filters.team?.length === 1 ? rule.filters.team[0] : null,
      channel: null,
      priority: null,
      agent_id: null,
      value: backlog,
      threshold: c.above,
      unit: "count",
      due_at: null,
    });
  return { findings, nextAt };
}

export const TICKET_KINDS = new Set(["sla_due", "sla_breached", "unassigned", "waiting", "backlog_age"]);
