import { tzOffset } from "../calendar/tz.js";
import type { WorkspaceSettings } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";
import type { Store } from "../store/store.js";
import { bucketList } from "./buckets.js";
import { runMetrics } from "./compiler.js";
import { resolveRequest } from "./request.js";

/**
 * Staffing (S1: "make sure you have enough agents for the ticket volume"): agents needed per
 * interval for a target service level, by Erlang C from volume and handle time. Erlang C assumes
 * Poisson arrivals, exponential handle times and no abandons, so it errs on the side of more agents.
 */

/** Probability that a contact waits (Erlang C) with `agents` agents and `erlangs` of traffic; 1 when agents ≤ traffic. */
export function erlangC(agents: number, erlangs: number): number {
  if (erlangs <= 0) return 0;
  if (agents <= erlangs) return 1;
  // Erlang B by its recurrence (no factorials, no overflow), then C from B.
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (erlangs * b) / (k + erlangs * b);
  return (agents * b) / (agents - erlangs * (1 - b));
}

export interface StaffingFigures {
  agents: number;
  /** share of contacts answered within the threshold, 0–100 */
  service_level: number;
  /** average speed of answer, seconds */
  asa_s: number;
  /** traffic ÷ agents, 0–100 */
  occupancy: number;
}

/** Service level, ASA and occupancy of `agents` agents for `erlangs` of traffic. */
export function staffingFigures(agents: number, erlangs: number, ahtS: number, thresholdS: number): StaffingFigures {
  const pw = erlangC(agents, erlangs);
  const stable = agents > erlangs;
  return {
    agents,
    service_level: erlangs <= 0 ? 100 : stable ? (1 - pw * Math.exp((-(agents - erlangs) * thresholdS) / ahtS)) * 100 : 0,
    asa_s: erlangs <= 0 ? 0 : stable ? (pw * ahtS) / (agents - erlangs) : Number.POSITIVE_INFINITY,
    occupancy: agents > 0 ? Math.min(erlangs / agents, 1) * 100 : 0,
  };
}

/** The fewest agents meeting the service-level target (percent) and the occupancy ceiling (percent). */
export function agentsNeeded(
  contacts: number,
  intervalS: number,
  ahtS: number,
  targetSl: number,
  thresholdS: number,
  maxOccupancy = 100,
): StaffingFigures & { erlangs: number } {
  const erlangs = (contacts * ahtS) / intervalS;
  if (erlangs <= 0) return { ...staffingFigures(0, 0, ahtS, thresholdS), erlangs: 0 };
  let n = Math.max(1, Math.floor(erlangs) + 1);
  for (; n < 100_000; n++) {
    const f = staffingFigures(n, erlangs, ahtS, thresholdS);
    if (f.service_level >= targetSl && f.occupancy <= maxOccupancy) return { ...f, erlangs };
  }
  return { ...staffingFigures(n, erlangs, ahtS, thresholdS), erlangs };
}

export interface StaffingRequest {
  from: string;
  to: string;
  filters?: Record<string, string | string[]>;
  /** service-level target in percent (default: settings.targets.service_level, else 80) */
  target?: number;
  /** answer threshold in seconds (default: settings.service_level_threshold_s) */
  threshold_s?: number;
  /** handle time to plan with (default: the measured average handle time of the range) */
  aht_s?: number;
  /** occupancy ceiling in percent (default 100: none) */
  max_occupancy?: number;
}

export interface StaffingPlan {
  aht_s: number;
  target: number;
  threshold_s: number;
  /** one row per local weekday (0 = Sunday) and hour: mean offered contacts of that hour over the range, and the agents it needs */
  profile: ({ weekday: number; hour: number; hours_seen: number; contacts: number } & StaffingFigures & { erlangs: number })[];
}

/**
 * The weekday × hour profile of offered calls and chats over a range (each hour's mean over the
 * weeks in the range, empty hours counted as 0) and the agents each hour needs.
 */
export async function staffingPlan(store: Store, workspace: string, settings: WorkspaceSettings, req: StaffingRequest): Promise<StaffingPlan> {
  const base = { from: req?.from, to: req?.to, filters: req?.filters };
  const { fromMs, toMs } = resolveRequest({ metrics: ["abandonment_rate"], ...base }, settings.timezone);
  if (toMs - fromMs > 366 * 86_400_000) throw new UserError("invalid_request", "a staffing profile covers at most a year");
  const vol = await runMetrics(store, workspace, settings, { ...base, metrics: ["abandonment_rate"], grain: "hour" });
  const aht = req.aht_s ?? (await runMetrics(store, workspace, settings, { ...base, metrics: ["average_handle_time"] })).rows[0]?.mean ?? null;
  if (!(typeof aht === "number" && aht > 0)) throw new UserError("no_handle_time", "no answered contacts in the range to measure handle time from; pass aht_s");
  const target = req.target ?? settings.targets.service_level ?? 80;
  const threshold = req.threshold_s ?? settings.service_level_threshold_s;
  if (!(target > 0 && target < 100)) throw new UserError("invalid_request", "target must be a percentage between 0 and 100");
  // offered contacts per hour = abandonment_rate's denominator (short abandons left out, as there)
  const counts = new Map(vol.rows.map((r) => [r.bucket, Number(r.denominator ?? 0)]));
  const slots = new Map<number, { hours: number; contacts: number }>();
  for (const b of bucketList("hour", fromMs, toMs, settings.timezone, settings.week_start)) {
    const local = new Date(b.key + tzOffset(b.key, settings.timezone));
    const slot = local.getUTCDay() * 24 + local.getUTCHours();
    const s = slots.get(slot) ?? { hours: 0, contacts: 0 };
    s.hours += (b.end - b.start) / 3_600_000;
    s.contacts += counts.get(new Date(b.key).toISOString()) ?? 0;
    slots.set(slot, s);
  }
  const profile = [...slots.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([slot, s]) => {
      const perHour = s.hours > 0 ? s.contacts / s.hours : 0;
      return {
        weekday: Math.floor(slot / 24),
        hour: slot % 24,
        hours_seen: s.hours,
        contacts: perHour,
        ...agentsNeeded(perHour, 3600, aht, target, threshold, req.max_occupancy ?? 100),
      };
    });
  return { aht_s: aht, target, threshold_s: threshold, profile };
}
