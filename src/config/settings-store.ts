import { validateCalendar } from "../calendar/index.js";
import { UserError } from "../errors/user-error.js";
import { table } from "../store/schema.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { isSealed, seal, unseal } from "./secret-box.js";
import { parseAgents, parseReports, parseRules } from "../alerts/rules.js";
import { defaultSettings, type WorkspaceSettings } from "./settings.js";
import { checkSettingsPatch, settingIsValid } from "./settings-schema.js";

const SETTINGS = table("settings");
const NAME = "workspace";

async function loadStored(store: Store, workspace: string): Promise<Record<string, unknown>> {
  const rows = await store.query<{ value: string }>(
    `SELECT value FROM settings WHERE workspace = ${ph(store, 1)} AND name = ${ph(store, 2)} ORDER BY updated_at DESC LIMIT 1`,
    [workspace, NAME],
  );
  return rows[0] ? (JSON.parse(rows[0].value) as Record<string, unknown>) : {};
}

/**
 * Settings live in the store (one JSON document per workspace) so every process sees the same
 * ones. A stored field that no longer passes its schema (saved before settings were checked)
 * falls back to its default with a warning, so one bad value cannot fail every metric.
 */
export async function loadSettings(store: Store, workspace: string): Promise<WorkspaceSettings> {
  const saved = await loadStored(store, workspace);
  const out = defaultSettings() as unknown as Record<string, unknown>;
  for (const [k, val] of Object.entries(saved)) {
    if (!(k in out)) continue;
    if (k === "webhook_secrets" && val && typeof val === "object") {
      // A secret stored as a non-string is kept as it is: the webhook route refuses it (409)
      // rather than dropping the signature check.
      out[k] = Object.fromEntries(Object.entries(val).map(([vendor, s]) => [vendor, typeof s === "string" ? unseal(s) : s]));
    } else if (settingIsValid(k as keyof WorkspaceSettings, val)) out[k] = val;
    else
      console.warn(
        `settings of workspace "${workspace}": the stored ${k} ${JSON.stringify(val)?.slice(0, 80)} is not valid; using the default until it is set again`,
      );
  }
  return out as unknown as WorkspaceSettings;
}

export async function saveSettings(store: Store, workspace: string, input: unknown): Promise<WorkspaceSettings> {
  const next = await mergeSettings(store, workspace, input);
  await store.deleteWhereIn(SETTINGS, workspace, "name", [NAME]);
  await store.insertRows(SETTINGS, [settingsRow(workspace, next)]);
  return next;
}

/** The stored row of a workspace's settings document: webhook secrets sealed (src/config/secret-box.ts). */
export function settingsRow(workspace: string, settings: WorkspaceSettings): { workspace: string; name: string; value: string; updated_at: number } {
  const sealed = Object.fromEntries(Object.entries(settings.webhook_secrets ?? {}).map(([k, s]) => [k, isSealed(s) ? s : seal(String(s))]));
  return { workspace, name: NAME, value: JSON.stringify({ ...settings, webhook_secrets: sealed }), updated_at: Date.now() };
}

/** Checks a patch (every field against its schema, before anything is saved) and returns the settings it would make. */
export async function mergeSettings(store: Store, workspace: string, input: unknown): Promise<WorkspaceSettings> {
  const patch = checkSettingsPatch(input);
  if (patch.calendar) validateCalendar(patch.calendar);
  for (const [team, cal] of Object.entries(patch.team_calendars ?? {})) {
    try {
      validateCalendar(cal);
    } catch (e) {
      throw new UserError("invalid_calendar", `team_calendars.${team}: ${(e as Error).message}`);
    }
  }
  // Alert rules, agent contacts and report schedules: the same schemas as the alert API.
  if (patch.alert_rules !== undefined) patch.alert_rules = parseRules(patch.alert_rules);
  if (patch.agents !== undefined) patch.agents = parseAgents(patch.agents);
  if (patch.reports !== undefined) patch.reports = parseReports(patch.reports);
  const current = await loadSettings(store, workspace);
  const next: WorkspaceSettings = { ...current, ...patch };
  if (patch.targets) next.targets = { ...current.targets, ...patch.targets };
  return next;
}
