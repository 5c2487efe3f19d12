import type { WorkspaceSettings } from "../config/settings.js";
import { type ChatMessage, slackBody, teamsBody } from "../notify/chat-bodies.js";
import type { Outbox } from "../notify/outbox.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import type { Alert } from "./alert.js";
import type { AlertRule, Lang } from "./rules.js";
import { fmtNum, fmtTime, text } from "./texts.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Links into the dashboard: the alert on the alerts page, the ticket's timeline. */
export function links(baseUrl: string, a: Alert): Record<string, string> {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    alert: `${base}/?page=alerts&id=${encodeURIComponent(a.id)}`,
    ...(a.ticket_id ? { ticket: `${base}/?page=ticket&id=${encodeURIComponent(a.ticket_id)}` } : {}),
    dashboard: `${base}/`,
  };
}

/** The JSON a webhook destination receives (documented in README: "Alerts"). */
export function webhookPayload(workspace: string, a: Alert, baseUrl: string): Record<string, unknown> {
  return {
    rule_id: a.rule_id,
    rule_name: a.rule_name,
    alert_id: a.id,
    state: a.state,
    kind: a.kind,
    workspace,
    ticket_id: a.ticket_id,
    team: a.team,
    channel: a.channel,
    priority: a.priority,
    agent_id: a.agent_id,
    metric: a.metric,
    value: a.value,
    threshold: a.threshold,
    unit: a.unit,
    band: a.band,
    due_at: iso(a.due_at),
    fired_at: iso(a.fired_at),
    resolved_at: iso(a.resolved_at),
    notification: a.notifications,
    links: links(baseUrl, a),
  };
}

/** A person-readable description of the alert in `lang`. */
export function describe(a: Alert, rule: AlertRule, lang: Lang, tz: string, baseUrl: string): ChatMessage {
  const c = rule.condition;
  const what =
    c.kind === "sla_due" || (c.kind === "sla_breached" && c.target !== "any")
      ? `${text(lang, c.kind)} (${text(lang, c.target as "first_reply")})`
      : text(lang, c.kind);
  const unit = a.unit === "minutes" ? ` ${text(lang, "minutes")}` : a.unit === "hours" ? ` ${text(lang, "hours")}` : a.unit === "percent" ? " %" : "";
  const lines = [
    what,
    ...(a.ticket_id ? [`${text(lang, "ticket")}: ${a.ticket_id}`] : []),
    ...(a.team ? [`${text(lang, "team")}: ${a.team}`] : []),
    ...(a.agent_id ? [`${text(lang, "agent")}: ${a.agent_id}`] : []),
    ...(a.metric ? [a.metric] : []),
    `${text(lang, "value")}: ${fmtNum(lang, a.value)}${unit} · ${text(lang, "threshold")}: ${fmtNum(lang, a.threshold)}${unit}`,
    ...(a.due_at !== null ? [`${text(lang, "due")}: ${fmtTime(lang, a.due_at, tz)}`] : []),
  ];
  const l = links(baseUrl, a);
  return { title: `${text(lang, a.state)}: ${rule.name}`, lines, tone: a.state, link: { label: text(lang, "open_dashboard"), url: l.ticket ?? l.alert } };
}

/** An agent's address: the settings' agents directory first, else an `email`/`agent_email` field on the agent's latest events. */
export async function agentAddress(store: Store, workspace: string, settings: WorkspaceSettings, agentId: string): Promise<string | null> {
  const known = settings.agents[agentId]?.email;
  if (known) return known;
  const rows = await store.query<{ body: string }>(
    `SELECT body FROM events WHERE workspace = ${ph(store, 1)} AND agent_id = ${ph(store, 2)} ORDER BY ts DESC LIMIT 50`,
    [workspace, agentId],
  );
  for (const r of rows) {
    const b = JSON.parse(r.body) as { type?: string; attrs?: Record<string, unknown> };
    const a = b.attrs ?? {};
    const email = typeof a.agent_email === "string" ? a.agent_email : b.type === "agent.status" && typeof a.email === "string" ? a.email : null;
    if (email) return email;
  }
  return null;
}

/** Sends one notification of an alert (firing or resolved) to every destination of its rule, through the outbox. */
export async function deliver(
  outbox: Outbox,
  store: Store,
  workspace: string,
  settings: WorkspaceSettings,
  rule: AlertRule,
  a: Alert,
  baseUrl: string,
): Promise<void> {
  const origin = `alert:${rule.id}`;
  for (const d of rule.destinations) {
    if (d.type === "webhook") outbox.enqueueWebhook(workspace, d.url, webhookPayload(workspace, a, baseUrl), { secret: d.secret, origin });
    else if (d.type === "slack") outbox.enqueueWebhook(workspace, d.url, slackBody(describe(a, rule, rule.lang, settings.timezone, baseUrl)), { origin });
    else if (d.type === "teams") outbox.enqueueWebhook(workspace, d.url, teamsBody(describe(a, rule, rule.lang, settings.timezone, baseUrl)), { origin });
    else {
      // Ticket reminders reach the assignee when we know the address; the team's list otherwise.
      const agentEmail = d.assignee && a.ticket_id && a.agent_id ? await agentAddress(store, workspace, settings, a.agent_id) : null;
      const to = agentEmail ? [agentEmail] : (d.to ?? []);
      if (to.length === 0) continue;
      const lang = (agentEmail && a.agent_id && settings.agents[a.agent_id]?.lang) || rule.lang;
      const m = describe(a, rule, lang, settings.timezone, baseUrl);
      outbox.enqueueMail(workspace, { to, subject: `[Deskpulse] ${m.title}`, text: `${m.lines.join("\n")}\n\n${m.link!.label}: ${m.link!.url}\n` }, origin);
    }
  }
}
