import { table } from "../store/schema.js";
import { validateCalendar } from "../calendar/index.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { UserError } from "../errors/user-error.js";
import { parseAgents, parseReports, parseRules } from "../alerts/rules.js";
import { defaultSettings, type WorkspaceSettings } from "./settings.js";

const SETTINGS = table("settings");
const NAME = "workspace";

/** Settings live in the store (one JSON document per workspace) so every process sees the same ones. */
export async function loadSettings(store: Store, workspace: string): Promise<WorkspaceSettings> {
  const rows = await store.query<{ value: string }>(
    `SELECT value FROM settings WHERE workspace = ${ph(store, 1)} AND name = ${ph(store, 2)} ORDER BY updated_at DESC LIMIT 1`,
    [workspace, NAME],
  );
  const saved = rows[0] ? (JSON.parse(rows[0].value) as Partial<WorkspaceSettings>) : {};
  return { ...defaultSettings(), ...saved };
}

export async function saveSettings(store: Store, workspace: string, patch: Partial<WorkspaceSettings>): Promise<WorkspaceSettings> {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch))
    throw new UserError("invalid_settings", "settings must be a JSON object of the fields to change");
  const known = defaultSettings();
  for (const k of Object.keys(patch))
    if (!(k in known)) throw new UserError("invalid_settings", `unknown setting "${k}"; known: ${Object.keys(known).join(", ")}`);
  if (patch.calendar) validateCalendar(patch.calendar);
  for (const [team, cal] of Object.entries(patch.team_calendars ?? {})) {
    try {
      validateCalendar(cal);
    } catch (e) {
      throw new UserError("invalid_calendar", `team_calendars.${team}: ${(e as Error).message}`);
    }
  }
  if (patch.timezone) validateCalendar({ timezone: patch.timezone, hours: {} });
  if (patch.sla_policies !== undefined) {
    if (!Array.isArray(patch.sla_policies)) throw new UserError("invalid_settings", "sla_policies must be a list of policies");
    patch.sla_policies.forEach((p, i) => {
      if (!p || typeof p !== "object" || typeof p.name !== "string") throw new UserError("invalid_settings", `sla_policies[${i}] needs a name`);
      if (p.clock !== "calendar" && p.clock !== "business") throw new UserError("invalid_settings", `sla_policies[${i}].clock must be "calendar" or "business"`);
      for (const k of ["first_reply_s", "next_reply_s", "resolution_s"] as const)
        if (p[k] !== undefined && !(typeof p[k] === "number" && p[k]! > 0)) throw new UserError("invalid_settings", `sla_policies[${i}].${k} must be a positive number of seconds`);
    });
  }
  for (const [k, v] of Object.entries(patch.targets ?? {}))
    if (typeof v !== "number" || !Number.isFinite(v)) throw new UserError("invalid_settings", `targets.${k} must be a number`);
  // Alert rules, agent contacts and report schedules: the same schemas as the alert API.
  if (patch.alert_rules !== undefined) patch.alert_rules = parseRules(patch.alert_rules);
  if (patch.agents !== undefined) patch.agents = parseAgents(patch.agents);
  if (patch.reports !== undefined) patch.reports = parseReports(patch.reports);
  const current = await loadSettings(store, workspace);
  const next: WorkspaceSettings = { ...current, ...patch };
  if (patch.targets) next.targets = { ...current.targets, ...patch.targets };
  await store.deleteWhereIn(SETTINGS, workspace, "name", [NAME]);
  await store.insertRows(SETTINGS, [{ workspace, name: NAME, value: JSON.stringify(next), updated_at: Date.now() }]);
  return next;
}
