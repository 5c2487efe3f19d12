import { startOfLocalDay } from "../calendar/tz.js";
import type { WorkspaceSettings } from "../config/settings.js";
import { DEFAULT_PAUSE_STATUSES } from "../events/types.js";
import type { Facts } from "../projector/types.js";
import { splitEntity } from "../pipeline/entities.js";
import type { Row } from "../store/schema.js";
import type { LiveSnapshot } from "../api/types.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";

/** What the wall screen shows "now": one type for server and dashboard (src/api/types.ts). */
export type { LiveSnapshot };

interface OpenTicket {
  id: string;
  status: string;
  agent_id: string | null;
  created_at: number;
  waitSince: number | null;
  /** the SLA policy that matched, whose pause statuses stop `dueAt` (read at snapshot time: settings change) */
  policy: string | null;
  dueAt: number | null;
  targetMs: number | null;
}

/** As the alert rules read it (alerts/ticket-conditions.ts): a ticket in a default pause status waits on the customer, not on an agent. */
const WAITS_ON_CUSTOMER = new Set(DEFAULT_PAUSE_STATUSES);

function toOpen(r: Row): OpenTicket {
  const replied = r.first_reply_at != null;
  const lastCust = (r.last_customer_message_at as number | null) ?? null;
  const lastAgent = (r.last_agent_reply_at as number | null) ?? null;
  let waitSince: number | null = null;
  if (!WAITS_ON_CUSTOMER.has(r.status as string)) {
    if (!replied) waitSince = (r.frt_start_at as number | null) ?? (r.created_at as number);
    else if (lastCust != null && (lastAgent == null || lastCust > lastAgent)) waitSince = lastCust;
  }
  // The SLA that is running now: first reply until it happens, then resolution.
  const dueAt = (replied ? r.sla_res_due_at : r.sla_frt_due_at) as number | null;
  const target = (replied ? r.sla_res_target_s : r.sla_frt_target_s) as number | null;
  return {
    id: r.ticket_id as string,
    status: r.status as string,
    agent_id: (r.agent_id as string | null) ?? null,
    created_at: r.created_at as number,
    waitSince,
    policy: (r.sla_policy as string | null) ?? null,
    dueAt: dueAt ?? null,
    targetMs: target == null ? null : target * 1000,
  };
}

/**
 * Open tickets and agent presence per workspace, in memory, so every "now" tile costs
 * O(open tickets) and no query. Kept current by the projection's facts listener.
 */
export class LiveState {
  private readonly open = new Map<string, Map<string, OpenTicket>>();
  private readonly agents = new Map<string, Map<string, string>>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly settingsOf: (workspace: string) => Promise<WorkspaceSettings>,
  ) {}

  private ensure(workspace: string): Promise<void> {
    let p = this.loading.get(workspace);
    if (!p) {
      p = this.load(workspace);
      this.loading.set(workspace, p);
    }
    return p;
  }

  private async load(workspace: string): Promise<void> {
    const rows = await this.store.query<Row>(`SELECT * FROM ticket_facts WHERE workspace = ${ph(this.store, 1)} AND is_open`, [workspace]);
    const m = new Map<string, OpenTicket>();
    for (const r of rows) m.set(r.ticket_id as string, toOpen(r));
    this.open.set(workspace, m);
    const agents = await this.store.query<{ agent_id: string; status: string }>(
      `SELECT agent_id, status FROM agent_intervals WHERE workspace = ${ph(this.store, 1)} AND end_at IS NULL`,
      [workspace],
    );
    this.agents.set(workspace, new Map(agents.map((a) => [a.agent_id, a.status])));
  }

  /** Forgets a workspace's state (after a rebuild); the next snapshot reloads it. */
  reset(workspace: string): void {
    this.loading.delete(workspace);
    this.open.delete(workspace);
    this.agents.delete(workspace);
  }

  /** Applies freshly projected facts (called by the projection for every batch). */
  apply(workspace: string, facts: Facts, entities: string[]): void {
    const m = this.open.get(workspace);
    if (!m) return; // not loaded yet: the first snapshot will read the store
    for (const e of entities) {
      const { kind, key } = splitEntity(e);
      if (kind === "ticket") m.delete(key);
    }
    for (const r of facts.ticket_facts) if (r.is_open) m.set(r.ticket_id as string, toOpen(r));
    const a = this.agents.get(workspace)!;
    for (const r of facts.agent_intervals) if (r.end_at == null) a.set(r.agent_id as string, r.status as string);
  }

  async snapshot(workspace: string, now = Date.now()): Promise<LiveSnapshot> {
    await this.ensure(workspace);
    const settings = await this.settingsOf(workspace);
    const m = this.open.get(workspace)!;
    let nNew = 0;
    let waiting = 0;
    let unassigned = 0;
    let longest = 0;
    let longestTicket: string | null = null;
    let atRisk = 0;
    let breached = 0;
    const load = new Map<string, number>();
    // each policy's clock stops in its own pause statuses
    const paused = new Map(settings.sla_policies.map((pol) => [pol.name, new Set(pol.pause_statuses ?? DEFAULT_PAUSE_STATUSES)]));
    const defaultPaused = new Set(DEFAULT_PAUSE_STATUSES);
    for (const t of m.values()) {
      if (t.status === "new") nNew++;
      if (!t.agent_id) unassigned++;
      else load.set(t.agent_id, (load.get(t.agent_id) ?? 0) + 1);
      if (t.waitSince != null) {
        waiting++;
        const w = now - t.waitSince;
        if (w > longest) {
          longest = w;
          longestTicket = t.id;
        }
      }
      if (t.dueAt != null && !(paused.get(t.policy ?? "") ?? defaultPaused).has(t.status)) {
        if (t.dueAt < now) breached++;
        else if (t.targetMs != null && t.dueAt - now <= settings.sla_risk_fraction * t.targetMs) atRisk++;
      }
    }
    const presence = this.agents.get(workspace)!;
    const agentIds = new Set([...presence.keys(), ...load.keys()]);
    const agents = [...agentIds]
      .map((id) => ({ agent_id: id, status: presence.get(id) ?? "unknown", open_tickets: load.get(id) ?? 0 }))
      .sort((a, b) => b.open_tickets - a.open_tickets || a.agent_id.localeCompare(b.agent_id));
    const dayStart = startOfLocalDay(now, settings.timezone);
    const today = await this.store.query<{ created: number; solved: number }>(
      `SELECT count(CASE WHEN created_at >= ${ph(this.store, 2, dayStart)} THEN 1 END) AS created,
              count(CASE WHEN last_solved_at >= ${ph(this.store, 3, dayStart)} THEN 1 END) AS solved
       FROM ticket_facts WHERE workspace = ${ph(this.store, 1)} AND (created_at >= ${ph(this.store, 4, dayStart)} OR last_solved_at >= ${ph(this.store, 5, dayStart)})`,
      [workspace, dayStart, dayStart, dayStart, dayStart],
    );
    return {
      at: new Date(now).toISOString(),
      open: m.size,
      new: nNew,
      waiting,
      unassigned,
      longest_wait_s: Math.round(longest / 1000),
      longest_wait_ticket: longestTicket,
      sla_at_risk: atRisk,
      sla_breached: breached,
      agents_online: [...presence.values()].filter((s) => s === "online").length,
      agents,
      today: { created: Number(today[0]?.created ?? 0), solved: Number(today[0]?.solved ?? 0) },
    };
  }
}
