import { type Context, Hono } from "hono";
import { UserError } from "../errors/user-error.js";
import type { Lang } from "../metrics/catalog.js";
import { findSurvey, isEmployeeSurvey, parseSurvey, questionsOf, type SurveyDef, surveysOf } from "../surveys/definitions.js";
import { answerState, createInvitation, editableUntil, markOpened, parseScores, recentlySurveyed, recordAnswer, surveyIdOf } from "../surveys/invitations.js";
import { type LinkClaims, peekLink, verifyLink } from "../surveys/links.js";
import { formatUntil, messagePage, surveyPage } from "../surveys/page.js";
import { existingSurveySecret, surveySecret, webhookSecret } from "../surveys/secret.js";
import { outboxDeliver, sendInvitation } from "../surveys/send.js";
import { surveyStats } from "../surveys/stats.js";
import { SurveyTriggers } from "../surveys/triggers.js";
import { langOf, negotiateLang } from "../surveys/wording.js";
import type { AppEnv, ServerDeps } from "./context.js";
import { invitationRequestSchema, jsonObject, surveySendRequestSchema } from "./schemas.js";
import { scope } from "./scope.js";

/** Pages from a link: nothing cached, nothing loaded from elsewhere, forms post only here. */
const PAGE_HEADERS = {
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

/** An id as the schema let it through (text or a number), empty for none. */
const ref = (x: string | number | null | undefined): string | undefined => (x === undefined || x === null || x === "" ? undefined : String(x));
const lang = (x: string | null | undefined): Lang | undefined => (x ? langOf(x) : undefined);

/** The server's own origin as the caller reached it, unless DESKPULSE_PUBLIC_URL says where links must point. */
const baseUrlOf = (c: Context) => process.env.DESKPULSE_PUBLIC_URL ?? new URL(c.req.url).origin;

/**
 * Hosted surveys: definitions (admin), invitations for external delivery, on-demand sending,
 * the survey's funnel, and the public pages at `/s/<signed token>` that need no account.
 */
export function surveysRoutes(deps: ServerDeps): Hono<AppEnv> {
  const { rt } = deps;
  const app = new Hono<AppEnv>();
  const deliver = outboxDeliver(rt.outbox);
  const triggers = new SurveyTriggers(rt, deliver);
  rt.projection.onFacts((ws, facts) => triggers.factsProjected(ws, facts));

  const list = async (ws: string) => surveysOf(await rt.settings(ws));
  const save = (ws: string, surveys: SurveyDef[]) => rt.saveSettings(ws, { surveys: surveys as unknown as Record<string, unknown>[] });

  app.get("/surveys", scope("read"), async (c) => {
    const caller = c.get("caller");
    return c.json({ surveys: await list(caller.workspace) });
  });

  app.post("/surveys", scope("admin"), async (c) => {
    const caller = c.get("caller");
    const def = parseSurvey(await deps.body(c, jsonObject, "invalid_survey"));
    const all = await list(caller.workspace);
    if (all.some((s) => s.id === def.id))
      throw new UserError("survey_exists", `a survey "${def.id}" exists; change it with PUT /api/v1/surveys/${def.id}`, 409);
    await save(caller.workspace, [...all, def]);
    return c.json(def, 201);
  });

  // Links for a help desk or chat tool to deliver: `{ survey, ticket_id, customer_id, lang }` → `{ url, expires_at }`.
  app.post("/surveys/invitations", scope("ingest"), async (c) => {
    const caller = c.get("caller");
    const b = await deps.body(c, invitationRequestSchema);
    const def = findSurvey(await list(caller.workspace), String(b.survey));
    const expires = b.expires_in_s;
    if (expires !== undefined && expires > def.expires_hours * 3600)
      throw new UserError("invalid_expiry", `expires_in_s must be a whole number of seconds from 1 to ${def.expires_hours * 3600}`, 400, {
        path: "expires_in_s",
      });
    const inv = await createInvitation(
      rt,
      caller.workspace,
      def,
      {
        ticket_id: ref(b.ticket_id),
        customer_id: ref(b.customer_id),
        contact_id: ref(b.contact_id),
        agent_id: ref(b.agent_id),
        round: ref(b.round),
        lang: lang(b.lang),
      },
      { baseUrl: baseUrlOf(c), via: "api", expiresInS: expires },
    );
    return c.json({ url: inv.url, expires_at: inv.expires_at, survey_id: inv.survey_id }, 201);
  });

  app.get("/surveys/:id", scope("read"), async (c) => {
    const caller = c.get("caller");
    return c.json(findSurvey(await list(caller.workspace), c.req.param("id")));
  });

  app.put("/surveys/:id", scope("admin"), async (c) => {
    const caller = c.get("caller");
    const id = c.req.param("id");
    const def = parseSurvey({ ...(await deps.body(c, jsonObject, "invalid_survey")), id });
    const all = await list(caller.workspace);
    const i = all.findIndex((s) => s.id === id);
    await save(caller.workspace, i < 0 ? [...all, def] : all.map((s) => (s.id === id ? def : s)));
    return c.json(def, i < 0 ? 201 : 200);
  });

  app.delete("/surveys/:id", scope("admin"), async (c) => {
    const caller = c.get("caller");
    const id = c.req.param("id");
    const all = await list(caller.workspace);
    if (!all.some((s) => s.id === id)) throw new UserError("unknown_survey", `no survey "${id}" in this workspace`, 404);
    await save(
      caller.workspace,
      all.filter((s) => s.id !== id),
    );
    return c.body(null, 204);
  });

  // Send now, by e-mail and/or webhook: one customer (`ticket_id`/`customer_id`/`email`) or, for employee surveys, `agents: [{ agent_id, email, lang }]`.
  app.post("/surveys/:id/send", scope("admin"), async (c) => {
    const caller = c.get("caller");
    const ws = caller.workspace;
    const def = findSurvey(await list(ws), c.req.param("id"));
    const b = await deps.body(c, surveySendRequestSchema);
    const base = baseUrlOf(c);
    if (isEmployeeSurvey(def)) {
      if (!b.agents?.length) throw new UserError("agents_required", "an employee survey is sent to agents: agents: [{ agent_id, email, lang }]");
      const round = ref(b.round);
      const sent = [];
      for (const a of b.agents) {
        const agent_id = ref(a.agent_id);
        if (!agent_id) throw new UserError("agent_required", "every agent needs an agent_id");
        const r = await sendInvitation(rt, deliver, ws, def, { agent_id, round, email: ref(a.email), lang: lang(a.lang) }, base);
        // the agent is named in the answer to the admin only, never in the survey data
        sent.push({ agent_id, emailed: r.emailed !== null, webhook: r.webhook, errors: r.errors });
      }
      return c.json({ sent });
    }
    const target = { ticket_id: ref(b.ticket_id), customer_id: ref(b.customer_id), contact_id: ref(b.contact_id), email: ref(b.email), lang: lang(b.lang) };
    if (target.customer_id) {
      const surveyId = surveyIdOf(def, target, await surveySecret(rt.store, ws));
      if (await recentlySurveyed(rt.store, ws, target.customer_id, def.fatigue_days, surveyId))
        return c.json({ sent: false, reason: "fatigue", message: `this customer was sent a survey in the last ${def.fatigue_days} days` });
    }
    const r = await sendInvitation(rt, deliver, ws, def, target, base);
    return c.json({ sent: true, url: r.invitation.url, expires_at: r.invitation.expires_at, emailed: r.emailed, webhook: r.webhook, errors: r.errors });
  });

  // what a webhook receiver verifies `x-deskpulse-signature: sha256=<hex HMAC of the body>` with
  app.get("/surveys/:id/webhook-secret", scope("admin"), async (c) => {
    const caller = c.get("caller");
    const def = findSurvey(await list(caller.workspace), c.req.param("id"));
    return c.json({ survey: def.id, secret: await webhookSecret(rt.store, caller.workspace, def.id) });
  });

  app.get("/surveys/:id/stats", scope("read"), async (c) => {
    const caller = c.get("caller");
    const def = findSurvey(await list(caller.workspace), c.req.param("id"));
    return c.json(await surveyStats(rt.store, caller.workspace, def, c.req.query("by") || undefined));
  });
  return app;
}

/** The public survey pages at `/s/<signed token>`: no account, the link is the credential. */
export function surveyPagesRoutes(deps: ServerDeps): Hono<AppEnv> {
  const { rt } = deps;
  const app = new Hono<AppEnv>();
  // ── the public pages ──────────────────────────────────────────────────
  type Opened = { ok: true; claims: LinkClaims; def: SurveyDef; lang: Lang; timezone: string } | { ok: false; res: Response };

  const page = (c: Context, html: string, status: number) => {
    for (const [k, v] of Object.entries(PAGE_HEADERS)) c.header(k, v);
    return c.html(html, status as 200);
  };

  /** Verifies a link; a refusal is a page in the reader's language, never a stored score. */
  async function open(c: Context): Promise<Opened> {
    const token = c.req.param("token") ?? "";
    const peeked = peekLink(token);
    const lang = (peeked?.l && langOf(peeked.l)) || negotiateLang(c.req.header("accept-language"));
    const refuse = (kind: "invalid" | "expired", status: number): Opened => ({ ok: false, res: page(c, messagePage(lang, kind), status) });
    const secret = peeked ? await existingSurveySecret(rt.store, peeked.w) : null;
    if (!peeked || !secret) return refuse("invalid", 403);
    const check = verifyLink(token, secret);
    if (!check.ok) return check.reason === "expired" ? refuse("expired", 410) : refuse("invalid", 403);
    const settings = await rt.settings(check.claims.w);
    let def: SurveyDef;
    try {
      def = findSurvey(surveysOf(settings), check.claims.s);
    } catch {
      return refuse("expired", 410); // the survey was deleted since
    }
    return { ok: true, claims: check.claims, def, lang, timezone: settings.timezone };
  }

  const action = (c: Context) => `/s/${c.req.param("token")}`;

  app.get("/:token", async (c) => {
    const o = await open(c);
    if (!o.ok) return o.res;
    const ws = o.claims.w;
    const state = await answerState(rt.store, ws, o.claims.i);
    const until = editableUntil(o.def, state);
    if (until !== null && Date.now() >= until) return page(c, messagePage(o.lang, "answered"), 409);
    const chosen = new Map<string, number>();
    for (const [q, a] of state.latest) chosen.set(q, a.score);
    // a score in the link (one click in the mail) only pre-selects: a scanner's GET never votes
    const main = questionsOf(o.def)[0];
    const raw = c.req.query("score");
    const pick = raw && /^\d{1,2}$/.test(raw) ? Number(raw) : Number.NaN;
    if (Number.isInteger(pick) && pick >= main.min && pick <= main.max) chosen.set(main.id, pick);
    if (until === null) await markOpened(rt.store, ws, o.claims.i);
    return page(
      c,
      surveyPage({
        lang: o.lang,
        def: o.def,
        action: action(c),
        ticketId: o.claims.t,
        chosen,
        comment: [...state.latest.values()].find((a) => a.comment)?.comment,
        thanksUntil: until !== null ? formatUntil(o.lang, until, o.timezone) : undefined,
      }),
      200,
    );
  });

  app.post("/:token", async (c) => {
    const o = await open(c);
    if (!o.ok) return o.res;
    const form = (await c.req.parseBody()) as Record<string, unknown>;
    const scores = parseScores(o.def, form);
    const comment = typeof form.comment === "string" ? form.comment : undefined;
    if (!scores) {
      const chosen = new Map<string, number>();
      return page(c, surveyPage({ lang: o.lang, def: o.def, action: action(c), ticketId: o.claims.t, chosen, comment, error: true }), 422);
    }
    const r = await recordAnswer(rt, o.claims.w, o.def, o.claims, { scores, comment });
    if (!r.ok) return page(c, messagePage(o.lang, "answered"), 409);
    return c.redirect(action(c), 303);
  });
  return app;
}
