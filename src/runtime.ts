import { join } from "node:path";
import type { Clock } from "./alerts/clock.js";
import { AlertEngine } from "./alerts/engine.js";
import { PROJECTION_SETTINGS, type WorkspaceSettings } from "./config/settings.js";
import { loadSettings, saveSettings } from "./config/settings-store.js";
import { LiveState } from "./live/live-state.js";
import { SseHub } from "./live/sse-hub.js";
import { createMailer } from "./notify/mailer.js";
import { Outbox } from "./notify/outbox.js";
import { type BatchResult, ingestRecords } from "./pipeline/ingest.js";
import { Projection } from "./pipeline/projection.js";
import { KeyedMutex } from "./store/mutex.js";
import { openStore } from "./store/open-store.js";
import type { Store } from "./store/store.js";
import { KeyRing } from "./server/keys.js";

/** Where the embedded store lives unless DESKPULSE_STORE says otherwise. */
export function dataDir(): string {
  return process.env.DESKPULSE_DATA ?? join(process.cwd(), "data");
}

/**
 * The composition root: one store, the projection on top of it, live state and the SSE hub
 * fed by every projected batch. The server and the CLI both start from here.
 */
export class Runtime {
  readonly projection: Projection;
  readonly live: LiveState;
  readonly hub: SseHub;
  readonly keys: KeyRing;
  /** every outbound webhook and mail (alerts, reports, surveys) */
  readonly outbox: Outbox;
  /** alert rules and scheduled reports; started by the server (`startAlerts`), not by CLI one-shots */
  readonly alerts: AlertEngine;
  private alertsStarted: Promise<void> | null = null;
  private readonly ingestLock = new KeyedMutex();
  private readonly settingsCache = new Map<string, Promise<WorkspaceSettings>>();

  constructor(
    readonly store: Store,
    opts: { clock?: Clock } = {},
  ) {
    const settingsOf = (ws: string) => this.settings(ws);
    this.projection = new Projection(store, settingsOf);
    this.live = new LiveState(store, settingsOf);
    // The live stream also carries the alert summary, so the dashboard's bell needs no stream of its own.
    this.hub = new SseHub(async (ws) => ({ ...(await this.live.snapshot(ws)), alerts: this.alerts.summary(ws) }));
    this.keys = new KeyRing(store);
    this.outbox = new Outbox({ store, mailer: createMailer(), clock: opts.clock });
    this.alerts = new AlertEngine({ store, settingsOf, outbox: this.outbox, clock: opts.clock, onChange: (ws) => this.hub.changed(ws) });
    this.projection.onFacts((ws, facts, entities) => {
      this.live.apply(ws, facts, entities);
      this.hub.changed(ws);
      if (this.alertsStarted) this.alerts.onFacts(ws, facts, entities);
    });
  }

  /** Starts alert evaluation and report schedules (once). */
  startAlerts(): Promise<void> {
    this.alertsStarted ??= this.alerts.start();
    return this.alertsStarted;
  }

  static async open(target = process.env.DESKPULSE_STORE): Promise<Runtime> {
    return new Runtime(await openStore(target ?? join(dataDir(), "deskpulse.duckdb")));
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

  /** Saves settings; when a change alters derived facts (calendars, SLA…), rebuilds them. */
  async saveSettings(workspace: string, patch: Partial<WorkspaceSettings>): Promise<WorkspaceSettings> {
    const next = await saveSettings(this.store, workspace, patch);
    this.settingsCache.set(workspace, Promise.resolve(next));
    if (Object.keys(patch).some((k) => PROJECTION_SETTINGS.includes(k as keyof WorkspaceSettings))) {
      await this.projection.rebuild(workspace);
      this.live.reset(workspace);
      this.alerts.reset(workspace);
      this.hub.changed(workspace);
    }
    if (this.alertsStarted) await this.alerts.settingsChanged(workspace);
    return next;
  }

  /** Batches of one workspace are stored and projected in arrival order, so facts never go stale. */
  ingest(workspace: string, records: unknown[], origin: string, positions?: number[]): Promise<BatchResult> {
    return this.ingestLock.run(workspace, () => ingestRecords(this.store, this.projection, workspace, records, { origin, positions, project: true }));
  }

  async close(): Promise<void> {
    this.hub.close();
    this.alerts.close();
    this.outbox.close();
    await this.store.close();
  }
}
