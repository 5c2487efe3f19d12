import * as v from "valibot";
import { UserError } from "../errors/user-error.js";
import type { SurveyKind } from "../events/types.js";
import type { Lang } from "../metrics/catalog.js";
import { type AnchorKey, LANGS, type QuestionKey, WORDS } from "./wording.js";

const id = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "use 1–63 lowercase letters, digits, '-' or '_'"));
const strings = v.optional(v.array(v.pipe(v.string(), v.minLength(1))));
const wording = v.optional(
  v.record(
    v.picklist(LANGS),
    v.object({
      question: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(500))),
      follow_up_low: v.optional(v.pipe(v.string(), v.maxLength(500))),
      follow_up_high: v.optional(v.pipe(v.string(), v.maxLength(500))),
      comment: v.optional(v.pipe(v.string(), v.maxLength(500))),
    }),
  ),
);

const TriggerSchema = v.variant("on", [
  v.object({
    on: v.literal("solved"),
    /** minutes after the ticket is solved (0 = at once) */
    delay_minutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60 * 24 * 30)), 0),
    channels: strings,
    teams: strings,
  }),
  v.object({ on: v.literal("contact"), channels: v.optional(v.array(v.picklist(["chat", "phone"])), ["chat", "phone"]) }),
  v.object({ on: v.literal("demand") }),
]);

export const SurveySchema = v.object({
  id,
  name: v.optional(v.pipe(v.string(), v.maxLength(200))),
  kind: v.picklist(["csat", "nps", "ces", "enps", "custom"]),
  /** csat only: a 1–5 scale or thumbs up/down */
  csat_style: v.optional(v.picklist(["scale", "thumbs"]), "scale"),
  /** ces only: the question asks how much effort (lower is better) or how easy it was (higher is better) */
  ces_lower_is_better: v.optional(v.boolean(), false),
  /** custom only: the scale's top (1…max; 5 by default); answers count in the CX score with the survey id as question */
  custom_max: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(10)), 5),
  /** per-language overrides of the default wording */
  wording,
  /** ask "what could we have done better / what did we do well" above the comment box */
  follow_up: v.optional(v.boolean(), true),
  comment: v.optional(v.boolean(), true),
  trigger: v.optional(TriggerSchema, { on: "demand" }),
  /** no more than one survey per customer per this many days (0 = no limit) */
  fatigue_days: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(365)), 30),
  /** a link stops working after this many hours */
  expires_hours: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(24 * 90)), 24 * 14),
  /** after the first answer, the answer can be changed for this many hours (0 = single use) */
  edit_hours: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(24 * 30)), 24),
  /** employee surveys (enps): results stay hidden below this many answers so no one can be singled out */
  anonymous_min: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 5),
  /** deliveries: e-mail through DESKPULSE_SMTP_URL and/or a webhook that receives the link */
  email: v.optional(v.boolean(), true),
  /** signed with a key derived from the workspace's link secret (GET /surveys/:id/webhook-secret), so no secret sits in settings */
  webhook: v.optional(v.object({ url: v.pipe(v.string(), v.url()) })),
  enabled: v.optional(v.boolean(), true),
});

export type SurveyDef = v.InferOutput<typeof SurveySchema>;
export type SurveyInput = v.InferInput<typeof SurveySchema>;

/** Checks a definition as an admin sent it; the message names the field so it can be fixed. */
export function parseSurvey(input: unknown): SurveyDef {
  const r = v.safeParse(SurveySchema, input);
  if (r.success) return r.output;
  const issue = r.issues[0];
  const path = v.getDotPath(issue) ?? "survey";
  throw new UserError("invalid_survey", `${path}: ${issue.message}`, 400, { issues: r.issues.map((i) => ({ path: v.getDotPath(i), message: i.message })) });
}

/** One question of a hosted page and how its answer becomes an event. */
export interface Question {
  /** the event's `question` ("" for the main question of a single-question survey) */
  id: string;
  kind: SurveyKind;
  min: number;
  max: number;
  text: Record<Lang, string>;
  anchors: AnchorKey;
  thumbs: boolean;
}

const textOf = (key: QuestionKey, def: SurveyDef): Record<Lang, string> =>
  Object.fromEntries(LANGS.map((l) => [l, def.wording?.[l]?.question ?? WORDS[l].questions[key]])) as Record<Lang, string>;
const plain = (key: QuestionKey) => Object.fromEntries(LANGS.map((l) => [l, WORDS[l].questions[key]])) as Record<Lang, string>;

/**
 * The questions a survey asks. Employee surveys (enps) add the S4 questions on understanding and
 * accepting targets (agree 1–5), kept apart from the eNPS by their `question` id.
 */
export function questionsOf(def: SurveyDef): Question[] {
  switch (def.kind) {
    case "csat":
      return def.csat_style === "thumbs"
        ? [{ id: "", kind: "csat", min: 0, max: 1, text: textOf("csat", def), anchors: "thumbs", thumbs: true }]
        : [{ id: "", kind: "csat", min: 1, max: 5, text: textOf("csat", def), anchors: "satisfied", thumbs: false }];
    case "nps":
      return [{ id: "", kind: "nps", min: 0, max: 10, text: textOf("nps", def), anchors: "likely", thumbs: false }];
    case "ces":
      return def.ces_lower_is_better
        ? [{ id: "", kind: "ces", min: 1, max: 7, text: textOf("ces_effort", def), anchors: "effort", thumbs: false }]
        : [{ id: "", kind: "ces", min: 1, max: 7, text: textOf("ces_easy", def), anchors: "easy", thumbs: false }];
    case "enps":
      return [
        { id: "", kind: "enps", min: 0, max: 10, text: textOf("enps", def), anchors: "likely", thumbs: false },
        { id: "targets_understood", kind: "enps", min: 1, max: 5, text: plain("targets_understood"), anchors: "agree", thumbs: false },
        { id: "targets_accepted", kind: "enps", min: 1, max: 5, text: plain("targets_accepted"), anchors: "agree", thumbs: false },
      ];
    case "custom":
      return [{ id: def.id, kind: "cx", min: 1, max: def.custom_max, text: textOf("custom", def), anchors: "satisfied", thumbs: false }];
  }
}

/** Whether a score is in the lower half of its scale (the follow-up then asks what to do better). */
export function isLow(q: Question, score: number, def: SurveyDef): boolean {
  const mid = (q.min + q.max) / 2;
  return def.kind === "ces" && def.ces_lower_is_better ? score > mid : score < mid;
}

/** Employee surveys go to agents, anonymously; the rest to customers. */
export const isEmployeeSurvey = (def: SurveyDef) => def.kind === "enps";

/** The workspace's surveys from settings, each re-checked so a hand-edited settings file cannot break the pages. */
export function surveysOf(settings: { surveys?: unknown }): SurveyDef[] {
  const list = Array.isArray(settings.surveys) ? settings.surveys : [];
  const out: SurveyDef[] = [];
  for (const s of list) {
    const r = v.safeParse(SurveySchema, s);
    if (r.success) out.push(r.output);
  }
  return out;
}

const KINDS = ["csat", "nps", "ces", "enps"] as const;

/**
 * A survey by id, or the first enabled one of a kind ("csat"), as `POST /surveys/invitations`
 * accepts either; a kind with no definition yet gets the defaults, so links work out of the box.
 */
export function findSurvey(list: SurveyDef[], idOrKind: string): SurveyDef {
  const def =
    list.find((s) => s.id === idOrKind) ??
    list.find((s) => s.kind === idOrKind && s.enabled) ??
    ((KINDS as readonly string[]).includes(idOrKind) ? parseSurvey({ id: idOrKind, kind: idOrKind }) : undefined);
  if (!def)
    throw new UserError(
      "unknown_survey",
      `no survey "${idOrKind}" in this workspace; create one with POST /api/v1/surveys (known: ${list.map((s) => s.id).join(", ") || "none yet"})`,
      404,
    );
  return def;
}
