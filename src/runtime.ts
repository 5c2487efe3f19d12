import { join } from "node:path";
import { ROLLUP_MIN_TICKETS } from "./metrics/planner.js";
import { ticketRollups } from "./rollups/maintain.js";
import type { Clock } from "./alerts/clock.js";
import { AlertEngine } from "./alerts/engine.js";
import { PROJECTION_SETTINGS, type WorkspaceSettings } from "./config/settings.js";
import { loadSettings, mergeSettings, saveSettings, settingsRow } from "./config/settings-store.js";
import { LiveState } from "./live/live-state.js";
import { SseHub } from "./live/sse-hub.js";
import { Follower } from "./pipeline/follower.js";
import { createMailer } from "./notify/mailer.js";
import { Outbox } from "./notify/outbox.js";
import { appendValidated, type BatchResult, keepRejected, validateRecords } from "./pipeline/ingest.js";
import { Projection } from "./pipeline/projection.js";
import { KeyedMutex } from "./store/mutex.js";
import { openStore } from "./store/open-store.js";
import { table } from "./store/schema.js";
import type { Store } from "./store/store.js";
import { KeyRing } from "./server/keys.js";

/** Where the embedded store lives unless DESKPULSE_STORE says otherwise. */
export function dataDir(): string {
  return process.env.DESKPULSE_DATA ?? join(process.cwd(), "data");
}

export interface IngestOptions {
  /** answer once the batch is in the log ("stored"), or once its facts are too ("projected", the default in-process) */
  wait?: "stored" | "projected";
  /** longest wait for the projection, in ms (the answer then says how far it got) */
  timeoutMs?: number;
}

export interface IngestResult extends BatchResult {
  /** log position of the batch's last event (the log's end when nothing was new) */
  appended_through: number;
  /** log position the derived facts include when answering */
  projected_through: number;
}

/**
 * The composition root: one store, the projection following its log, live state and the SSE hub
 * fed by every projected batch. The server and the CLI both start from here.
 */
export class Runtime {
  readonly projection: Projection;
  readonly follower: Follower;
  readonly live: LiveState;
  readonly hub: SseHub;
  readonly keys: KeyRing;
  private readonly appendLock = new KeyedMutex();
  /** every outbound webhook and mail (alerts, reports, surveys) */
  readonly outbox: Outbox;
  /** alert rules and scheduled reports; started by the server (`startAlerts`), not by CLI one-shots */
  readonly alerts: AlertEngine;
  private alertsStarted: Promise<void> | null = null;
  private readonly settingsCache = new Map<string, Promise<WorkspaceSettings>>();

  constructor(
    readonly store: Store,
    opts: { clock?: Clock } = {},
  ) {
    const settingsOf = (ws: string) => this.settings(ws);
    // the ticket rollups (src/rollups) move with every commit of facts; ClickHouse reads the facts
    if (store.kind === "duckdb") store.factsHook ??= ticketRollups(store, { minTickets: ROLLUP_MIN_TICKETS });
    this.projection = new Projection(store, settingsOf);
    this.follower = new Follower(store, this.projection);
    this.live = new LiveState(store, settingsOf);
    // The live stream also carries the alert summary, so the dashboard's bell needs no stream of its own.
    this.hub = new SseHub(async (ws) => ({ ...(await this.live.snapshot(ws)), alerts: this.alerts.summary(ws) }));
    this.keys = new KeyRing(store);
    // the live state and the stream follow the projector, not the requests
    this.outbox = new Outbox({ store, mailer: createMailer(), clock: opts.clock });
    this.alerts = new AlertEngine({ store, settingsOf, outbox: this.outbox, clock: opts.clock, onChange: (ws) => this.hub.changed(ws) });
    this.projection.onFacts((ws, facts, entities) => {
      this.live.apply(ws, facts, entities);
      this.hub.changed(ws);
      if (this.alertsStarted) this.alerts.onFacts(ws, facts, entities);
    });
    this.projection.onReset((ws) => {
      this.live.reset(ws);
      this.hub.changed(ws);
    });
  }

  /** Starts alert evaluation and report schedules (once), and the retries of webhooks an earlier process left waiting. */
  startAlerts(): Promise<void> {
    this.alertsStarted ??= Promise.all([this.alerts.start(), this.outbox.resume()]).then(() => undefined);
    return this.alertsStarted;
  }

  /** Opens the store and resumes projecting wherever facts are behind the log (after a crash, say). */
  static async open(target = process.env.DESKPULSE_STORE): Promise<Runtime> {
    const rt = new Runtime(await openStore(target ?? join(dataDir(), "deskpulse.duckdb")));
    await rt.follower.resumeAll();
    return rt;
  }

  settings(workspace: string): Promise<WorkspaceSettings> {
    let p = this.settingsCache.get(workspace);
    if (!p) {
      p = loadSettings(this.store, workspace);
      this.settingsCache.set(workspace, p);
      p.catch(() => this.settingsCache.delete(workspace));
    }
    return p;
  }

  /**
   * Saves settings. A change that alters derived facts (calendars, SLA…) is tried first: the facts
   * are rebuilt with the new settings beside the old ones, and the settings are saved in the same
   * swap. If the rebuild fails, neither is changed and the error is thrown.
   */
  async saveSettings(workspace: string, patch: Partial<WorkspaceSettings>): Promise<WorkspaceSettings> {
    const projected = patch && typeof patch === "object" && Object.keys(patch).some((k) => PROJECTION_SETTINGS.includes(k as keyof WorkspaceSettings));
    if (!projected) {
      const next = await saveSettings(this.store, workspace, patch);
      this.settingsCache.set(workspace, Promise.resolve(next));
      // alert rules, agents and report schedules are settings too: the engine re-reads them
      if (this.alertsStarted) await this.alerts.settingsChanged(workspace);
      return next;
    }
    const next = await mergeSettings(this.store, workspace, patch);
    await this.follower.rebuild(workspace, {
      settings: next,
      strict: true,
      alsoCommit: [{ table: table("settings"), keyColumn: "name", keys: ["workspace"], rows: [settingsRow(workspace, next)] }],
      // inside the lane, before the next batch projects: it must see the new settings
      onSwapped: () => this.settingsCache.set(workspace, Promise.resolve(next)),
    });
    this.alerts.reset(workspace);
    if (this.alertsStarted) await this.alerts.settingsChanged(workspace);
    return next;
  }

  /** Recomputes a workspace's facts from its log (swapped in whole; on failure the old facts stay). */
  rebuild(workspace: string, progress?: (done: number) => void): Promise<{ events: number; quarantined: number }> {
    return this.follower.rebuild(workspace, { progress });
  }

  /**
   * Validates and appends a batch; acknowledged once it is in the log. Projection follows the log;
   * with `wait: "projected"` (the default for in-process callers) this also waits for the batch's facts.
   */
  async ingest(workspace: string, records: unknown[], origin: string, positions?: number[], opts: IngestOptions = {}): Promise<IngestResult> {
    // Validation needs no log state: outside the workspace's lock, so it overlaps another batch's append.
    const batch = validateRecords(workspace, records, { origin, positions });
    await keepRejected(this.store, batch);
    const r = await this.appendLock.run(workspace, async () => {
      // the next projection step waits for this append (acknowledgements come first)
      const done = this.follower.appending();
      try {
        const res = await appendValidated(this.store, workspace, batch);
        // under the lock, so the follower hears of appends in log order
        this.follower.appended(workspace, res.appended.events, res.appended.last);
        return res;
      } finally {
        done();
      }
    });
    if ((opts.wait ?? "projected") === "projected") await this.follower.waitFor(workspace, r.appended.last, opts.timeoutMs);
    return { ...r, appended_through: r.appended.last, projected_through: this.follower.projectedThrough(workspace) };
  }

  async close(): Promise<void> {
    this.hub.close();
    await this.follower.close();
    this.alerts.close();
    this.outbox.close();
    await this.store.close();
  }
}
