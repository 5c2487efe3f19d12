import { UserError } from "../errors/user-error.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { getOrInit } from "../util/maps.js";
import { isEmployeeSurvey, questionsOf, type SurveyDef } from "./definitions.js";
import { openedIds } from "./invitations.js";

export const STATS_BY = ["channel", "team_id"] as const;

export interface FunnelRow {
  group: string | null;
  sent: number;
  opened: number;
  answered: number;
  /** answered ÷ sent × 100 (null when nothing was sent) */
  response_rate: number | null;
  open_rate: number | null;
}

interface FactRow {
  survey_id: string;
  question: string;
  channel: string | null;
  team_id: string | null;
  sent_at: number | null;
  responded_at: number | null;
  score: number | null;
}

const pct = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : null);

async function factsOf(store: Store, workspace: string, def: SurveyDef): Promise<FactRow[]> {
  // survey ids of a definition all start with "<id>:" — a range, so '_' in ids is no LIKE wildcard
  return store.query<FactRow>(
    `SELECT survey_id, question, channel, team_id, sent_at, responded_at, score FROM survey_facts
     WHERE workspace = ${ph(store, 1)} AND survey_id >= ${ph(store, 2)} AND survey_id < ${ph(store, 3)}`,
    [workspace, `${def.id}:`, `${def.id};`],
  );
}

/**
 * The survey's own funnel — sent, opened, answered — overall or per channel or team. One survey
 * counts once (its main question). Employee surveys are never split by group, and their scores
 * stay hidden until `anonymous_min` colleagues have answered.
 */
export async function surveyStats(store: Store, workspace: string, def: SurveyDef, by?: string) {
  if (by !== undefined && !(STATS_BY as readonly string[]).includes(by)) throw new UserError("invalid_group", `by must be one of ${STATS_BY.join(", ")}`);
  const employee = isEmployeeSurvey(def);
  if (employee && by) throw new UserError("anonymous_survey", "employee surveys are anonymous: they are not split by channel or team");
  const [rows, opened] = await Promise.all([factsOf(store, workspace, def), openedIds(store, workspace, def.id)]);
  const main = questionsOf(def)[0].id;
  const groups = new Map<string | null, FunnelRow>();
  const seen = new Set<string>();
  for (const r of rows) {
    // an unanswered survey has one row with question ""; answered ones one row per question
    if (r.question !== main && !(r.question === "" && r.responded_at == null)) continue;
    if (seen.has(r.survey_id)) continue;
    seen.add(r.survey_id);
    const key = by ? ((r[by as "channel" | "team_id"] as string | null) ?? null) : null;
    const g = getOrInit(groups, key, () => ({ group: key, sent: 0, opened: 0, answered: 0, response_rate: null, open_rate: null }));
    if (r.sent_at != null) g.sent++;
    if (opened.has(r.survey_id)) g.opened++;
    if (r.responded_at != null) g.answered++;
  }
  const funnel = [...groups.values()]
    .map((g) => ({ ...g, response_rate: pct(g.answered, g.sent), open_rate: pct(g.opened, g.sent) }))
    .sort((a, b) => String(a.group).localeCompare(String(b.group)));
  if (!employee) return { survey: def.id, kind: def.kind, by: by ?? null, funnel };
  return { survey: def.id, kind: def.kind, by: null, funnel, results: employeeResults(def, rows) };
}

/** eNPS and the share agreeing (4–5 of 5) that they understand and accept their targets — or nothing below the threshold. */
export function employeeResults(def: SurveyDef, rows: FactRow[]) {
  const answered = rows.filter((r) => r.score != null);
  const of = (q: string) => answered.filter((r) => r.question === q).map((r) => r.score!);
  const enps = of("");
  if (enps.length < def.anonymous_min) return { hidden: true as const, answers: enps.length, anonymous_min: def.anonymous_min };
  const agree = (xs: number[]) => pct(xs.filter((x) => x >= 4).length, xs.length);
  const promoters = enps.filter((x) => x >= 9).length;
  const detractors = enps.filter((x) => x <= 6).length;
  return {
    hidden: false as const,
    answers: enps.length,
    enps: Math.round(((promoters - detractors) / enps.length) * 1000) / 10,
    targets_understood: agree(of("targets_understood")),
    targets_accepted: agree(of("targets_accepted")),
  };
}
