import type { Facts } from "../projector/types.js";
import type { Row } from "../store/schema.js";
import { type SurveyDef, surveysOf } from "./definitions.js";
import { alreadySent, recentlySurveyed, type SurveyEnv, surveyIdOf } from "./invitations.js";
import { surveySecret } from "./secret.js";
import { type Deliver, sendInvitation } from "./send.js";

/** Where links point when no request tells us the host: DESKPULSE_PUBLIC_URL, else this server. */
export function publicBaseUrl(): string {
  return process.env.DESKPULSE_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 8080}`;
}

const MINUTE = 60_000;

interface Candidate {
  def: SurveyDef;
  ticket_id?: string;
  contact_id?: string;
  customer_id: string;
}

/** Facts of history (an import, a late webhook) older than this after their trigger never send a survey. */
export const FRESH_MS = 24 * 60 * MINUTE;

/**
 * Which surveys a batch of freshly projected facts calls for: tickets solved and chats or calls
 * ended within the last day (so importing last year's tickets surveys nobody).
 */
export function candidatesOf(defs: SurveyDef[], facts: Pick<Facts, "ticket_facts" | "contact_facts">, now = Date.now()): { c: Candidate; delayMs: number }[] {
  const fresh = (at: Row[string]) => typeof at === "number" && at >= now - FRESH_MS && at <= now + MINUTE;
  const out: { c: Candidate; delayMs: number }[] = [];
  for (const def of defs) {
    if (!def.enabled) continue;
    const t = def.trigger;
    if (t.on === "solved") {
      for (const r of facts.ticket_facts) {
        if ((r.status !== "solved" && r.status !== "closed") || !r.customer_id || !fresh(r.last_solved_at)) continue;
        if (!matches(t.channels, r.channel) || !matches(t.teams, r.team_id)) continue;
        out.push({ c: { def, ticket_id: String(r.ticket_id), customer_id: String(r.customer_id) }, delayMs: t.delay_minutes * MINUTE });
      }
    } else if (t.on === "contact") {
      for (const r of facts.contact_facts) {
        if (!r.answered || !fresh(r.ended_at) || !r.customer_id || !matches(t.channels, r.channel)) continue;
        out.push({
          c: { def, contact_id: String(r.contact_id), ticket_id: (r.ticket_id as string | null) ?? undefined, customer_id: String(r.customer_id) },
          delayMs: 0,
        });
      }
    }
  }
  return out;
}

const matches = (allowed: string[] | undefined, value: Row[string]) => !allowed?.length || (typeof value === "string" && allowed.includes(value));

/**
 * The one hook into the pipeline: told about every projected batch, it sends the surveys the
 * batch calls for (after the survey's delay), once per ticket or contact, never to a customer
 * surveyed in the last `fatigue_days`. Delays are timers in this process: a restart before one
 * fires drops that invitation (the ticket is not surveyed twice either way).
 */
export class SurveyTriggers {
  private readonly pending = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** told of each send, for tests and logs */
  onSent?: (workspace: string, surveyId: string, errors: string[]) => void;

  constructor(
    private readonly env: SurveyEnv,
    private readonly deliver: Deliver,
    private readonly baseUrl: () => string = publicBaseUrl,
  ) {}

  /** Reacts to one projected batch; returns at once (sending happens in the background). */
  factsProjected(workspace: string, facts: Facts): void {
    if (facts.ticket_facts.length === 0 && facts.contact_facts.length === 0) return;
    const p = this.evaluate(workspace, facts).catch((e) => console.error(`survey triggers (${workspace}):`, e));
    this.inFlight.add(p);
    p.finally(() => this.inFlight.delete(p));
  }

  private async evaluate(workspace: string, facts: Facts): Promise<void> {
    const defs = surveysOf(await this.env.settings(workspace)).filter((d) => d.trigger.on === "solved" || d.trigger.on === "contact");
    if (defs.length === 0) return;
    const secret = await surveySecret(this.env.store, workspace);
    for (const { c, delayMs } of candidatesOf(defs, facts)) {
      const surveyId = surveyIdOf(c.def, c, secret);
      const key = `${workspace}\u0000${surveyId}`;
      if (this.pending.has(key) || (await alreadySent(this.env.store, workspace, surveyId))) continue;
      this.pending.add(key);
      const run = () => {
        const p = this.sendOne(workspace, c, surveyId)
          .catch((e) => console.error(`survey ${surveyId}:`, e))
          .finally(() => this.pending.delete(key));
        this.inFlight.add(p);
        p.finally(() => this.inFlight.delete(p));
      };
      if (delayMs <= 0) run();
      else {
        const t = setTimeout(() => {
          this.timers.delete(t);
          run();
        }, delayMs);
        t.unref();
        this.timers.add(t);
      }
    }
  }

  private async sendOne(workspace: string, c: Candidate, surveyId: string): Promise<void> {
    if (await alreadySent(this.env.store, workspace, surveyId)) return;
    if (await recentlySurveyed(this.env.store, workspace, c.customer_id, c.def.fatigue_days, surveyId)) return;
    const r = await sendInvitation(this.env, this.deliver, workspace, c.def, c, this.baseUrl());
    if (r.errors.length) console.error(`survey ${surveyId}: ${r.errors.join("; ")}`);
    this.onSent?.(workspace, surveyId, r.errors);
  }

  /** Waits for sends in progress (tests, shutdown); pending delays are dropped. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
