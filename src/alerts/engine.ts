import { addBusinessMs, isOpen } from "../calendar/index.js";
import type { WorkspaceSettings } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";
import type { Outbox } from "../notify/outbox.js";
import { JsonRecords } from "../notify/records.js";
import { splitEntity } from "../pipeline/entities.js";
import { calendarFor } from "../projector/clock.js";
import type { Facts } from "../projector/types.js";
import type { Row } from "../store/schema.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import type { Alert, AlertSummary } from "./alert.js";
import { type Clock, schedule, systemClock } from "./clock.js";
import { deliver } from "./deliver.js";
import { type Digest, sendReport } from "./reports.js";
import { evaluateScheduledRule } from "./scheduled-rules.js";
import { evaluateTicketRule, type Finding, TICKET_KINDS } from "./ticket-conditions.js";
import { type AlertRule, newId } from "./rules.js";

export interface EngineOptions {
  store: Store;
  settingsOf: (workspace: string) => Promise<WorkspaceSettings>;
  outbox: Outbox;
  clock?: Clock;
  /** where links in notifications point (DESKPULSE_PUBLIC_URL, else http://localhost:PORT) */
  baseUrl?: string;
  /** told whenever a workspace's alerts change (the SSE hub listens) */
  onChange?: (workspace: string) => void;
}

interface WorkspaceState {
  open: Map<string, Row> | null;
  alerts: Map<string, Alert>;
  /** rule id + key → the firing alert */
  active: Map<string, Alert>;
  wake: (() => void) | null;
  wakeAt: number | null;
  schedules: Map<string, { signature: string; stop: () => void }>;
  pending: Promise<void> | null;
  again: boolean;
}

const MIN = 60_000;
const HISTORY_DAYS = 90;

/**
 * Watches every workspace's alert rules. Ticket-level rules run on the open tickets after each
 * projected batch and again at the next instant one can become true (a timer on the injected
 * clock); metric and anomaly rules run on their cron schedules. An alert fires once, notifies
 * again every `renotify_minutes` until acknowledged, is silent while snoozed or (with
 * `quiet_outside_hours`) while its team's business calendar is closed, and resolves when its
 * condition clears.
 */
export class AlertEngine {
  readonly clock: Clock;
  private readonly ws = new Map<string, WorkspaceState>();
  private readonly history: JsonRecords<Alert>;
  private closed = false;
  private readonly scheduledRuns = new Set<Promise<void>>();

  constructor(private readonly opts: EngineOptions) {
    this.clock = opts.clock ?? systemClock;
    this.history = new JsonRecords<Alert>(opts.store, "alert");
  }

  /** Loads history and schedules for every workspace that has saved settings. */
  async start(): Promise<void> {
    const rows = await this.opts.store.query<{ workspace: string }>(`SELECT DISTINCT workspace FROM settings WHERE name = ${ph(this.opts.store, 1)}`, [
      "workspace",
    ]);
    for (const r of rows) await this.settingsChanged(r.workspace);
  }

  private async state(workspace: string): Promise<WorkspaceState> {
    let s = this.ws.get(workspace);
    if (!s) {
      s = { open: null, alerts: new Map(), active: new Map(), wake: null, wakeAt: null, schedules: new Map(), pending: null, again: false };
      this.ws.set(workspace, s);
      const keepSince = this.clock.now() - HISTORY_DAYS * 24 * 60 * MIN;
      for (const a of await this.history.list(workspace)) {
        // History is kept for HISTORY_DAYS after an alert resolves; older ones are dropped on load.
        if (a.state === "resolved" && (a.resolved_at ?? 0) < keepSince) {
          await this.history.remove(workspace, a.id);
          continue;
        }
        s.alerts.set(a.id, a);
        if (a.state === "firing") s.active.set(`${a.rule_id}|${a.key}`, a);
      }
    }
    return s;
  }

  /** After the workspace's rules may have changed: re-arm schedules and re-evaluate. */
  async settingsChanged(workspace: string): Promise<void> {
    const s = await this.state(workspace);
    const settings = await this.opts.settingsOf(workspace);
    const scheduled = settings.alert_rules.filter((r) => r.enabled && !TICKET_KINDS.has(r.condition.kind));
    const keep = new Set<string>();
    for (const rule of scheduled) {
      const c = rule.condition as { schedule: string };
      const signature = JSON.stringify(rule);
      keep.add(rule.id);
      if (s.schedules.get(rule.id)?.signature === signature) continue;
      s.schedules.get(rule.id)?.stop();
      const stop = schedule(this.clock, c.schedule, settings.timezone, () => {
        const p = this.runScheduled(workspace, rule.id);
        this.scheduledRuns.add(p);
        return p.finally(() => this.scheduledRuns.delete(p));
      });
      s.schedules.set(rule.id, { signature, stop });
    }
    // Scheduled KPI digests share the same clock and the same schedule bookkeeping.
    for (const report of settings.reports) {
      const id = `report:${report.id}`;
      const signature = JSON.stringify(report);
      keep.add(id);
      if (s.schedules.get(id)?.signature === signature) continue;
      s.schedules.get(id)?.stop();
      const stop = schedule(this.clock, report.cron, report.timezone ?? settings.timezone, () => {
        const p = this.sendReport(workspace, report.id).then(() => undefined);
        this.scheduledRuns.add(p);
        return p.finally(() => this.scheduledRuns.delete(p));
      });
      s.schedules.set(id, { signature, stop });
    }
    for (const [id, job] of s.schedules)
      if (!keep.has(id)) {
        job.stop();
        s.schedules.delete(id);
      }
    await this.evaluate(workspace);
  }

  /** Called by the projection for every batch: keep the open tickets current, then evaluate. */
  onFacts(workspace: string, facts: Facts, entities: string[]): void {
    const s = this.ws.get(workspace);
    if (!s || this.closed) return;
    if (s.open) {
      for (const e of entities) {
        const { kind, key } = splitEntity(e);
        if (kind === "ticket") s.open.delete(key);
      }
      for (const r of facts.ticket_facts) if (r.is_open) s.open.set(String(r.ticket_id), r);
    }
    void this.evaluate(workspace).catch((e) => console.error("alert evaluation failed:", e));
  }

  /** Forgets the open tickets of a workspace (after a rebuild); the next evaluation reloads them. */
  reset(workspace: string): void {
    const s = this.ws.get(workspace);
    if (s) s.open = null;
  }

  /**
   * Evaluates the ticket-level rules of a workspace now. Calls that arrive while one runs are
   * folded into one more run after it, so a burst of batches costs two evaluations, not one each.
   */
  async evaluate(workspace: string): Promise<void> {
    const s = await this.state(workspace);
    if (s.pending) {
      s.again = true;
      return s.pending;
    }
    s.pending = (async () => {
      try {
        do {
          s.again = false;
          await this.evaluateOnce(workspace, s);
        } while (s.again && !this.closed);
      } finally {
        s.pending = null;
      }
    })();
    return s.pending;
  }

  private async evaluateOnce(workspace: string, s: WorkspaceState): Promise<void> {
    if (this.closed) return;
    const settings = await this.opts.settingsOf(workspace);
    const rules = settings.alert_rules.filter((r) => r.enabled);
    const ticketRules = rules.filter((r) => TICKET_KINDS.has(r.condition.kind));
    const now = this.clock.now();
    let nextAt: number | null = null;
    const later = (t: number | null) => {
      if (t !== null && t > now && (nextAt === null || t < nextAt)) nextAt = t;
    };
    if (ticketRules.length > 0 && !s.open) {
      const rows = await this.opts.store.query<Row>(`SELECT * FROM ticket_facts WHERE workspace = ${ph(this.opts.store, 1)} AND is_open`, [workspace]);
      s.open = new Map(rows.map((r) => [String(r.ticket_id), r]));
    }
    let changed = false;
    for (const rule of ticketRules) {
      const ev = evaluateTicketRule(rule, s.open!.values(), settings, now);
      later(ev.nextAt);
      changed = (await this.reconcile(workspace, s, rule, ev.findings, now, settings)) || changed;
    }
    // Alerts of rules that were deleted or disabled resolve without a notification.
    const live = new Set(rules.map((r) => r.id));
    for (const a of [...s.active.values()])
      if (!live.has(a.rule_id)) {
        this.resolve(s, a, now);
        await this.persist(workspace, a);
        changed = true;
      }
    // Re-notifications, snooze ends and quiet hours ending are instants too.
    for (const a of s.active.values()) {
      const rule = rules.find((r) => r.id === a.rule_id);
      if (!rule) continue;
      changed = (await this.maybeNotify(workspace, rule, a, now, settings)) || changed;
      later(this.nextNotifyAt(rule, a, now, settings));
    }
    this.arm(workspace, s, nextAt);
    if (changed) this.opts.onChange?.(workspace);
  }

  private arm(workspace: string, s: WorkspaceState, at: number | null): void {
    if (s.wakeAt === at) return;
    s.wake?.();
    s.wake = null;
    s.wakeAt = at;
    if (at === null || this.closed) return;
    s.wake = this.clock.at(at, () => {
      s.wake = null;
      s.wakeAt = null;
      void this.evaluate(workspace).catch((e) => console.error("alert evaluation failed:", e));
    });
  }

  /** Metric and anomaly rules, on their schedule. */
  async runScheduled(workspace: string, ruleId: string): Promise<void> {
    const settings = await this.opts.settingsOf(workspace);
    const rule = settings.alert_rules.find((r) => r.id === ruleId && r.enabled);
    if (!rule || this.closed) return;
    const s = await this.state(workspace);
    const now = this.clock.now();
    const findings = await evaluateScheduledRule(this.opts.store, workspace, settings, rule, now);
    let changed = await this.reconcile(workspace, s, rule, findings, now, settings);
    for (const a of s.active.values()) if (a.rule_id === rule.id) changed = (await this.maybeNotify(workspace, rule, a, now, settings)) || changed;
    if (changed) this.opts.onChange?.(workspace);
  }

  /** Opens alerts for new findings, updates the values of firing ones, resolves the ones that cleared. */
  private async reconcile(
    workspace: string,
    s: WorkspaceState,
    rule: AlertRule,
    findings: (Finding & { metric?: string | null; band?: Alert["band"] })[],
    now: number,
    settings: WorkspaceSettings,
  ): Promise<boolean> {
    let changed = false;
    const seen = new Set<string>();
    for (const f of findings) {
      const k = `${rule.id}|${f.key}`;
      seen.add(k);
      const a = s.active.get(k);
      if (a) {
        a.value = f.value;
        a.due_at = f.due_at;
        a.band = f.band ?? a.band;
        continue;
      }
      const alert: Alert = {
        id: newId("alert"),
        rule_id: rule.id,
        rule_name: rule.name,
        key: f.key,
        kind: rule.condition.kind,
        state: "firing",
        ticket_id: f.ticket_id,
        team: f.team,
        channel: f.channel,
        priority: f.priority,
        agent_id: f.agent_id,
        metric: f.metric ?? null,
        value: f.value,
        threshold: f.threshold,
        unit: f.unit,
        due_at: f.due_at,
        band: f.band ?? null,
        fired_at: now,
        resolved_at: null,
        last_notified_at: null,
        notifications: 0,
        acked_at: null,
        acked_by: null,
        snoozed_until: null,
        updated_at: now,
      };
      s.active.set(k, alert);
      s.alerts.set(alert.id, alert);
      await this.persist(workspace, alert);
      changed = true;
    }
    for (const [k, a] of [...s.active])
      if (a.rule_id === rule.id && !seen.has(k)) {
        this.resolve(s, a, now);
        if (rule.notify_resolved && a.notifications > 0) await deliver(this.opts.outbox, this.opts.store, workspace, settings, rule, a, this.baseUrl());
        await this.persist(workspace, a);
        changed = true;
      }
    return changed;
  }

  private resolve(s: WorkspaceState, a: Alert, now: number): void {
    a.state = "resolved";
    a.resolved_at = now;
    a.updated_at = now;
    s.active.delete(`${a.rule_id}|${a.key}`);
  }

  /** Quiet hours: the team's business calendar (the workspace's when the alert has no team) is closed. */
  private quietUntil(rule: AlertRule, a: Alert, now: number, settings: WorkspaceSettings): number | null {
    if (!rule.quiet_outside_hours) return null;
    const cal = calendarFor(settings, a.team ?? (rule.filters.team?.length === 1 ? rule.filters.team[0] : null));
    if (isOpen(cal, now)) return null;
    return addBusinessMs(cal, now, 1) - 1;
  }

  private due(rule: AlertRule, a: Alert, now: number): boolean {
    if (a.snoozed_until !== null && now < a.snoozed_until) return false;
    if (a.notifications === 0) return true;
    if (!rule.renotify_minutes || a.acked_at !== null) return false;
    // A snooze that ended also brings the reminder back.
    const from = Math.max(a.last_notified_at ?? 0, a.snoozed_until ?? 0);
    return a.snoozed_until !== null && a.snoozed_until > (a.last_notified_at ?? 0) ? now >= a.snoozed_until : now >= from + rule.renotify_minutes * MIN;
  }

  private nextNotifyAt(rule: AlertRule, a: Alert, now: number, settings: WorkspaceSettings): number | null {
    const quiet = this.quietUntil(rule, a, now, settings);
    if (quiet !== null) return quiet;
    if (a.snoozed_until !== null && now < a.snoozed_until) return a.snoozed_until;
    if (rule.renotify_minutes && a.acked_at === null && a.last_notified_at !== null) return a.last_notified_at + rule.renotify_minutes * MIN;
    return null;
  }

  private async maybeNotify(workspace: string, rule: AlertRule, a: Alert, now: number, settings: WorkspaceSettings): Promise<boolean> {
    if (!this.due(rule, a, now) || this.quietUntil(rule, a, now, settings) !== null) return false;
    a.notifications++;
    a.last_notified_at = now;
    a.updated_at = now;
    await deliver(this.opts.outbox, this.opts.store, workspace, settings, rule, a, this.baseUrl());
    await this.persist(workspace, a);
    return true;
  }

  private baseUrl(): string {
    return this.opts.baseUrl ?? process.env.DESKPULSE_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 8080}`;
  }

  private persist(workspace: string, a: Alert): Promise<void> {
    return this.history.put(workspace, a.id, a, a.updated_at);
  }

  private async find(workspace: string, id: string): Promise<Alert> {
    const a = (await this.state(workspace)).alerts.get(id);
    if (!a) throw new UserError("not_found", `no alert "${id}" in this workspace; GET /api/v1/alerts lists them`, 404);
    return a;
  }

  /** Stops re-notifications of a firing alert (it still resolves, and says so). */
  async acknowledge(workspace: string, id: string, by: string): Promise<Alert> {
    const a = await this.find(workspace, id);
    a.acked_at = this.clock.now();
    a.acked_by = by;
    a.updated_at = a.acked_at;
    await this.persist(workspace, a);
    this.opts.onChange?.(workspace);
    return a;
  }

  /** Silences an alert until `until`; if it still fires then, it notifies again. */
  async snooze(workspace: string, id: string, minutes: number): Promise<Alert> {
    if (!(minutes > 0 && minutes <= 7 * 24 * 60)) throw new UserError("invalid_request", '"minutes" must be a number between 1 and 10080 (a week)');
    const a = await this.find(workspace, id);
    const now = this.clock.now();
    a.snoozed_until = now + minutes * MIN;
    a.updated_at = now;
    await this.persist(workspace, a);
    await this.evaluate(workspace);
    this.opts.onChange?.(workspace);
    return a;
  }

  async list(workspace: string, opts: { state?: string; rule?: string; limit?: number } = {}): Promise<Alert[]> {
    const s = await this.state(workspace);
    return [...s.alerts.values()]
      .filter((a) => (!opts.state || a.state === opts.state) && (!opts.rule || a.rule_id === opts.rule))
      .sort((a, b) => b.updated_at - a.updated_at || b.fired_at - a.fired_at)
      .slice(0, opts.limit ?? 200);
  }

  summary(workspace: string): AlertSummary {
    const s = this.ws.get(workspace);
    const firing = s ? [...s.active.values()] : [];
    const latest = s ? [...s.alerts.values()].sort((a, b) => b.updated_at - a.updated_at).slice(0, 10) : [];
    return {
      firing: firing.length,
      unacknowledged: firing.filter((a) => a.acked_at === null).length,
      latest: latest.map(({ id, rule_name, kind, state, ticket_id, metric, value, threshold, unit, fired_at, acked_at }) => ({
        id,
        rule_name,
        kind,
        state,
        ticket_id,
        metric,
        value,
        threshold,
        unit,
        fired_at,
        acked_at,
      })),
    };
  }

  /** Builds and mails a scheduled report now (its schedule, or `POST /api/v1/reports/:id/send`). */
  async sendReport(workspace: string, reportId: string): Promise<{ sent: number; digest: Digest }> {
    return sendReport(this.opts.store, this.opts.outbox, workspace, await this.opts.settingsOf(workspace), reportId, this.clock.now());
  }

  /** Runs a scheduled rule now (the API's "test this rule" and the tests). */
  async runNow(workspace: string, ruleId: string): Promise<void> {
    const settings = await this.opts.settingsOf(workspace);
    const rule = settings.alert_rules.find((r) => r.id === ruleId);
    if (!rule) throw new UserError("not_found", `no alert rule "${ruleId}"`, 404);
    if (TICKET_KINDS.has(rule.condition.kind)) await this.evaluate(workspace);
    else await this.runScheduled(workspace, ruleId);
  }

  /** Resolves when no evaluation is running (tests step the clock, then wait for this). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.ws.values()].map((s) => s.pending).filter((p): p is Promise<void> => p !== null);
      if (running.length === 0 && this.scheduledRuns.size === 0) return;
      await Promise.allSettled([...running, ...this.scheduledRuns]);
    }
  }

  close(): void {
    this.closed = true;
    for (const s of this.ws.values()) {
      s.wake?.();
      for (const j of s.schedules.values()) j.stop();
    }
  }
}
