import { createHmac } from "node:crypto";
import type { Lang } from "../metrics/catalog.js";
import type { Mail, Mailer } from "../notify/mailer.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { isEmployeeSurvey, questionsOf, type SurveyDef } from "./definitions.js";
import { createInvitation, type Invitation, type InviteTarget, type SurveyEnv } from "./invitations.js";
import { esc } from "./page.js";
import { webhookSecret } from "./secret.js";
import { fill, isRtl, langOf, LOCALE, WORDS } from "./wording.js";

/**
 * How invitations leave: the shared SMTP mailer, and a signed JSON POST for help desks and chat
 * tools that deliver the link themselves. Kept behind this one interface so it can move onto the
 * notify outbox (retries, dead letters) once that lands, without touching the survey code.
 */
export interface Deliver {
  mail(workspace: string, mail: Mail): Promise<void>;
  webhook(workspace: string, url: string, payload: unknown, secret?: string): Promise<void>;
}

/** The signature header every Deskpulse webhook carries: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const SIGNATURE_HEADER = "x-deskpulse-signature";

export function directDeliver(mailer: Mailer | null): Deliver {
  return {
    async mail(_ws, mail) {
      if (!mailer) throw new Error("no mailer: set DESKPULSE_SMTP_URL (e.g. smtp://user:pass@mail.example.com:587?from=support@example.com)");
      await mailer.send(mail);
    },
    async webhook(_ws, url, payload, secret) {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Deskpulse" };
      if (secret) headers[SIGNATURE_HEADER] = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
      const res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`webhook ${url} answered ${res.status}`);
    },
  };
}

/**
 * Where to reach a customer: the customer id when it is an address, else the latest `email` (or
 * `customer_email`) any of their events carried, with their `lang` / `locale` when given.
 */
export async function customerContact(store: Store, workspace: string, customerId: string): Promise<{ email?: string; lang?: Lang }> {
  const rows = await store.query<{ body: string }>(
    `SELECT body FROM events WHERE workspace = ${ph(store, 1)} AND customer_id = ${ph(store, 2)} ORDER BY ts DESC LIMIT 200`,
    [workspace, customerId],
  );
  let email = customerId.includes("@") ? customerId : undefined;
  let lang: Lang | undefined;
  for (const r of rows) {
    const b = JSON.parse(r.body) as { attrs?: Record<string, unknown> };
    const a = b.attrs ?? {};
    const found = a.email ?? a.customer_email;
    if (!email && typeof found === "string" && found.includes("@")) email = found;
    const l = a.lang ?? a.locale ?? a.language;
    if (!lang && typeof l === "string") lang = langOf(l) ?? langOf(l.split(/[-_]/)[0]);
    if (email && lang) break;
  }
  return { email, lang };
}

/** One link per score of the main question: a tap opens the page with that score chosen, to confirm. */
export function oneClickLinks(def: SurveyDef, inv: Invitation): { score: number; url: string }[] {
  const q = questionsOf(def)[0];
  const out: { score: number; url: string }[] = [];
  for (let s = q.max; s >= q.min; s--) out.push({ score: s, url: `${inv.url}?score=${s}` });
  return out;
}

export function invitationMail(def: SurveyDef, inv: Invitation, to: string, lang: Lang): Mail {
  const W = WORDS[lang];
  const q = questionsOf(def)[0];
  const nf = new Intl.NumberFormat(LOCALE[lang]);
  const links = oneClickLinks(def, inv);
  const label = (s: number) => (q.thumbs ? W.anchors.thumbs[s] : nf.format(s));
  const intro = isEmployeeSurvey(def) ? W.employee_intro : fill(W.mail_intro, { id: inv.claims.t ?? "" });
  const question = def.wording?.[lang]?.question ?? q.text[lang];
  const dir = isRtl(lang) ? "rtl" : "ltr";
  const cells = links
    .map(
      (l) =>
        `<a href="${esc(l.url)}" style="display:inline-block;min-width:2.4em;margin:3px;padding:10px 12px;border:2px solid #0b57d0;border-radius:8px;color:#0b57d0;font-weight:bold;text-decoration:none;text-align:center">${esc(label(l.score))}</a>`,
    )
    .join("");
  return {
    to,
    subject: W.mail_subject,
    text: `${intro}\n\n${question}\n\n${links.map((l) => `${label(l.score)}: ${l.url}`).join("\n")}\n\n${W.mail_open}: ${inv.url}\n`,
    html: `<!doctype html><html lang="${lang}" dir="${dir}"><body style="font-family:system-ui,sans-serif;color:#1a1a1a"><p>${esc(intro)}</p><p><strong>${esc(question)}</strong></p><p dir="ltr" style="text-align:center">${cells}</p><p><a href="${esc(inv.url)}">${esc(W.mail_open)}</a></p></body></html>`,
  };
}

export interface SendResult {
  invitation: Invitation;
  emailed: string | null;
  webhook: boolean;
  errors: string[];
}

/** Creates the invitation and sends it every way the survey asks for. A failed delivery is reported, not thrown. */
export async function sendInvitation(
  env: SurveyEnv,
  deliver: Deliver,
  workspace: string,
  def: SurveyDef,
  target: InviteTarget & { email?: string },
  baseUrl: string,
): Promise<SendResult> {
  const contact = target.customer_id && !target.email ? await customerContact(env.store, workspace, target.customer_id) : {};
  const email = target.email ?? contact.email;
  const lang = target.lang ?? contact.lang ?? "en";
  const via = [def.email && email ? "email" : null, def.webhook ? "webhook" : null].filter(Boolean).join("+") || "link";
  const inv = await createInvitation(env, workspace, def, { ...target, lang }, { baseUrl, via });
  const errors: string[] = [];
  let emailed: string | null = null;
  if (def.email && email) {
    try {
      await deliver.mail(workspace, invitationMail(def, inv, email, lang));
      emailed = email;
    } catch (e) {
      errors.push(`mail to ${email}: ${(e as Error).message}`);
    }
  }
  let webhook = false;
  if (def.webhook) {
    try {
      await deliver.webhook(
        workspace,
        def.webhook.url,
        {
          type: "survey.invitation",
          workspace,
          survey: def.id,
          kind: def.kind,
          survey_id: inv.survey_id,
          ticket_id: target.ticket_id ?? null,
          customer_id: target.customer_id ?? null,
          contact_id: target.contact_id ?? null,
          email: email ?? null,
          lang,
          url: inv.url,
          expires_at: inv.expires_at,
          scores: oneClickLinks(def, inv),
        },
        await webhookSecret(env.store, workspace, def.id),
      );
      webhook = true;
    } catch (e) {
      errors.push(`webhook ${def.webhook.url}: ${(e as Error).message}`);
    }
  }
  return { invitation: inv, emailed, webhook, errors };
}
