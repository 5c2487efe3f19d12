import { factRow } from "./rows.js";
import type { DeskEvent } from "../events/types.js";
import { canonical } from "./order.js";
import { type Facts, NO_TICKET_DIMS, type ProjectorContext, type TicketDims } from "./types.js";

const SurveyFact = factRow("survey_facts");

/** One row per question of a survey: sent, answered (the latest answer wins), normalized score. */
export function projectSurvey(surveyId: string, raw: DeskEvent[], ctx: ProjectorContext, out: Facts, ticket: (id: string) => TicketDims | undefined): void {
  const events = canonical(raw);
  let sentAt: number | null = null;
  const answers = new Map<string, DeskEvent>();
  let base: DeskEvent = events[0];
  for (const e of events) {
    if (e.type === "survey.sent") sentAt ??= e.ts;
    else {
      answers.set(e.question ?? "", e);
      base = e;
    }
  }
  const rows = answers.size ? [...answers.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) : [["", null] as const];
  const pick = <K extends keyof DeskEvent>(k: K): DeskEvent[K] | undefined => {
    for (let i = events.length - 1; i >= 0; i--) if (events[i][k] !== undefined) return events[i][k];
    return undefined;
  };
  const ticketId = pick("ticket_id") ?? null;
  const d = ticketId ? (ticket(ticketId) ?? NO_TICKET_DIMS) : NO_TICKET_DIMS;
  const customerId = pick("customer_id") ?? d.customer_id;
  for (const [question, e] of rows) {
    const kind = (e ?? base).kind!;
    const scale = e?.scale ?? null;
    const score = e?.score ?? null;
    const min = kind === "nps" || kind === "enps" || scale === 1 ? 0 : 1;
    out.survey_facts.push(
      new SurveyFact({
        workspace: ctx.workspace,
        survey_id: surveyId,
        question,
        kind,
        ticket_id: ticketId,
        customer_id: customerId,
        agent_id: pick("agent_id") ?? d.agent_id,
        team_id: pick("team_id") ?? d.team_id,
        channel: pick("channel") ?? d.channel,
        priority: d.priority,
        topic: d.topic,
        segment: d.segment ?? (customerId ? (ctx.segmentOf(customerId) ?? null) : null),
        tags: d.tags,
        fields: d.fields,
        touchpoint: pick("touchpoint") ?? null,
        sent_at: sentAt,
        responded_at: e?.ts ?? null,
        score,
        scale,
        score_norm: score !== null && scale !== null && scale > min ? (score - min) / (scale - min) : null,
        comment: e?.comment ?? null,
        referred: e?.referred ?? null,
        referral_converted: e?.referral_converted ?? null,
      }),
    );
  }
}
