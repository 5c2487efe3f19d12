import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { api, startTestServer, type TestServer } from "../helpers/server.js";
import { type ReceivedMail, startReceiver, startSmtp } from "./receivers.js";

const Y = new Date().getUTCFullYear();
const RANGE = `from=${Y - 1}-01-01&to=${Y + 1}-01-01`;

describe("hosted surveys over HTTP", () => {
  let s: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let hooks: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    smtp = await startSmtp();
    hooks = await startReceiver();
    s = await startTestServer({ env: { DESKPULSE_SMTP_URL: smtp.url } });
  });
  after(async () => {
    await s?.stop();
    await smtp?.close();
    await hooks?.close();
  });

  const admin = (path: string, init: RequestInit = {}) => api(s, s.adminKey, path, init);
  const post = (path: string, body: unknown) => admin(path, { method: "POST", body: JSON.stringify(body) });
  const events = async (list: Record<string, unknown>[]) => {
    const r = await post("/api/v1/events", list);
    assert.equal(r.status, 200, await r.clone().text());
    return r.json();
  };
  const metric = async (id: string) => {
    const r = await admin(`/api/v1/metrics?metrics=${id}&${RANGE}`);
    const body = (await r.json()) as { rows: { metric: string; value: number | null; numerator?: number; denominator?: number }[] };
    return body.rows.find((x) => x.metric === id)!;
  };
  const invite = async (body: Record<string, unknown>) => {
    if (body.ticket_id && body.ticket_id !== "T1")
      await events([
        { id: `${body.ticket_id}-c`, type: "ticket.created", ts: now(), ticket_id: body.ticket_id, customer_id: body.customer_id, channel: "web" },
      ]);
    const r = await post("/api/v1/surveys/invitations", body);
    assert.equal(r.status, 201, await r.clone().text());
    return (await r.json()) as { url: string; expires_at: string; survey_id: string };
  };
  const answer = (url: string, fields: Record<string, string>) => fetch(url, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
  const ticketSurveys = async (id: string) => ((await (await admin(`/api/v1/tickets/${id}`)).json()) as { surveys: Record<string, unknown>[] }).surveys;
  const now = () => new Date().toISOString();

  it("definitions are admin data, checked field by field", async () => {
    const bad = await post("/api/v1/surveys", { id: "x", kind: "csat", trigger: { on: "solved", delay_minutes: -5 } });
    assert.equal(bad.status, 400);
    const err = (await bad.json()) as { error: { code: string; message: string } };
    assert.equal(err.error.code, "invalid_survey");
    assert.match(err.error.message, /trigger\.delay_minutes/);
    assert.equal((await post("/api/v1/surveys", { id: "csat", kind: "csat" })).status, 201);
    const ok = await post("/api/v1/surveys", { id: "single", kind: "csat", edit_hours: 0, email: false });
    assert.equal(ok.status, 201);
    assert.equal((await post("/api/v1/surveys", { id: "single", kind: "nps" })).status, 409);
    const put = await admin("/api/v1/surveys/single", { method: "PUT", body: JSON.stringify({ kind: "csat", edit_hours: 0, email: false, name: "One shot" }) });
    assert.equal(put.status, 200);
    const list = (await (await admin("/api/v1/surveys")).json()) as { surveys: { id: string; name?: string }[] };
    assert.deepEqual(
      list.surveys.map((x) => [x.id, x.name]),
      [
        ["csat", undefined],
        ["single", "One shot"],
      ],
    );
    const keyRes = await post("/api/v1/keys", { name: "reader", scopes: ["read"] });
    const reader = ((await keyRes.json()) as { key: string }).key;
    assert.equal((await api(s, reader, "/api/v1/surveys", { method: "POST", body: JSON.stringify({ id: "y", kind: "nps" }) })).status, 403);
    // the link-signing secret is not part of the settings anyone can read
    const settings = JSON.stringify(await (await admin("/api/v1/settings")).json());
    assert.ok(!settings.includes("survey_link_secret"));
  });

  it("the interface: a link for a ticket renders in Persian (RTL), a form POST stores one survey.responded, csat.response_rate counts the sent", async () => {
    await events([{ id: "t1-c", type: "ticket.created", ts: now(), ticket_id: "T1", customer_id: "C1", channel: "email", team_id: "billing" }]);
    const inv = await invite({ survey: "csat", ticket_id: "T1", customer_id: "C1", lang: "fa" });
    assert.match(inv.url, /\/s\/[\w-]+\.[\w-]+$/);
    assert.ok(Date.parse(inv.expires_at) > Date.now());
    const page = await fetch(inv.url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="fa" dir="rtl">/);
    assert.match(html, /تیکت T1/);
    assert.match(html, /<legend[^>]*>از پشتیبانی‌ای که دریافت کردید چقدر راضی هستید؟<\/legend>/);
    assert.match(html, /<label for="score-5"[^>]*>۵<\/label>/, "Persian digits");
    assert.equal(page.headers.get("content-security-policy")?.includes("default-src 'none'"), true);
    // sent, not answered yet
    assert.deepEqual(await ticketSurveys("T1"), [
      {
        survey_id: "csat:T1",
        question: "",
        kind: "csat",
        sent_at: (await ticketSurveys("T1"))[0].sent_at,
        responded_at: null,
        score: null,
        scale: null,
        comment: null,
      },
    ]);
    const r = await answer(inv.url, { score: "4", comment: "پاسخ سریع بود" });
    assert.equal(r.status, 303);
    const rows = await ticketSurveys("T1");
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0].score, rows[0].scale, rows[0].comment], [4, 5, "پاسخ سریع بود"]);
    const ev = (await (
      await admin("/api/v1/metrics/drilldown", { method: "POST", body: JSON.stringify({ metric: "csat", from: `${Y - 1}-01-01`, to: `${Y + 1}-01-01` }) })
    ).json()) as {
      rows?: Record<string, unknown>[];
      items?: Record<string, unknown>[];
    };
    const drill = ev.rows ?? ev.items ?? [];
    assert.equal(drill.find((x) => x.ticket_id === "T1")?.comment, "پاسخ سریع بود", "the comment is in the drill-down");
    assert.deepEqual(await metric("csat.response_rate").then((m) => [m.numerator, m.denominator]), [1, 1]);
    await invite({ survey: "csat", ticket_id: "T2", customer_id: "C2", lang: "en" });
    assert.deepEqual(await metric("csat.response_rate").then((m) => [m.numerator, m.denominator, m.value]), [1, 2, 50]);
    // the customer page shows the comment too
    const customer = (await (await admin("/api/v1/customers/C1")).json()) as { touchpoints: { kind: string; summary: { comment?: string } }[] };
    assert.equal(customer.touchpoints.find((t) => t.kind === "survey")?.summary.comment, "پاسخ سریع بود");
  });

  it("a tampered link answers 403 on GET and POST and stores nothing", async () => {
    const inv = await invite({ survey: "csat", ticket_id: "T3", customer_id: "C3", lang: "ar" });
    const [payload, sig] = inv.url.split("/s/")[1].split(".");
    const flipped = sig[5] === "A" ? "B" : "A";
    const badSig = inv.url.replace(sig, sig.slice(0, 5) + flipped + sig.slice(6));
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const otherTicket = inv.url.replace(payload, Buffer.from(JSON.stringify({ ...claims, t: "T1", i: "csat:T1" })).toString("base64url"));
    for (const url of [badSig, otherTicket, `${inv.url}x`]) {
      const g = await fetch(url);
      assert.equal(g.status, 403, url);
      const html = await g.text();
      assert.match(html, /<html lang="ar" dir="rtl">/);
      assert.match(html, /هذا الرابط غير صالح/);
      assert.equal((await answer(url, { score: "1" })).status, 403);
    }
    assert.equal(
      (await ticketSurveys("T3")).every((r) => r.responded_at === null),
      true,
    );
    assert.deepEqual(
      (await ticketSurveys("T1")).map((r) => r.score),
      [4],
    );
    // a link naming a workspace that has no secret at all
    const forged = Buffer.from(JSON.stringify({ ...claims, w: "nobody" })).toString("base64url");
    assert.equal((await fetch(inv.url.replace(payload, forged), { headers: { "accept-language": "zh-TW" } })).status, 403);
  });

  it("an expired link answers 410 and stores nothing", async () => {
    const inv = await invite({ survey: "csat", ticket_id: "T4", customer_id: "C4", lang: "zh-Hant", expires_in_s: 1 });
    await new Promise((r) => setTimeout(r, 1200));
    const g = await fetch(inv.url);
    assert.equal(g.status, 410);
    assert.match(await g.text(), /此問卷連結已過期/);
    assert.equal((await answer(inv.url, { score: "5" })).status, 410);
    assert.equal(
      (await ticketSurveys("T4")).every((r) => r.responded_at === null),
      true,
    );
  });

  it("single use: replaying the form after the answer is refused (409), the first score stays", async () => {
    const inv = await invite({ survey: "single", ticket_id: "T5", customer_id: "C5" });
    assert.equal((await answer(inv.url, { score: "2" })).status, 303);
    const replay = await answer(inv.url, { score: "5" });
    assert.equal(replay.status, 409);
    assert.match(await replay.text(), /already been answered/);
    assert.equal((await fetch(inv.url)).status, 409);
    assert.deepEqual(
      (await ticketSurveys("T5")).map((r) => r.score),
      [2],
    );
  });

  it("a change of mind within the edit window updates the one answer; a scanner's GET with a score votes nothing", async () => {
    const before = await metric("csat");
    const inv = await invite({ survey: "csat", ticket_id: "T6", customer_id: "C6" });
    const scanned = await fetch(`${inv.url}?score=5`);
    assert.match(await scanned.text(), /id="score-5" name="score" value="5" checked/);
    assert.equal((await ticketSurveys("T6"))[0].responded_at, null);
    assert.equal((await answer(inv.url, { score: "1" })).status, 303);
    const mid = await metric("csat");
    assert.deepEqual([mid.numerator, mid.denominator], [before.numerator, before.denominator! + 1]);
    const again = await fetch(inv.url);
    assert.equal(again.status, 200);
    assert.match(await again.text(), /id="score-1" name="score" value="1" checked/);
    assert.equal((await answer(inv.url, { score: "5" })).status, 303);
    const end = await metric("csat");
    assert.deepEqual([end.numerator, end.denominator], [before.numerator! + 1, before.denominator! + 1]);
    assert.deepEqual(
      (await ticketSurveys("T6")).map((r) => r.score),
      [5],
    );
    // a score off the scale is re-asked, not stored
    const off = await answer(inv.url, { score: "9" });
    assert.equal(off.status, 422);
    assert.deepEqual(
      (await ticketSurveys("T6")).map((r) => r.score),
      [5],
    );
  });

  it("after a solve: the survey is mailed over SMTP with one-click scores and posted to the webhook, once, within the fatigue rule", async () => {
    const created = await post("/api/v1/surveys", {
      id: "after-solve",
      kind: "csat",
      trigger: { on: "solved", delay_minutes: 0, channels: ["email"] },
      fatigue_days: 30,
      webhook: { url: hooks.url },
    });
    assert.equal(created.status, 201, await created.clone().text());
    const t = Date.now();
    await events([
      { id: "c9", type: "customer.created", ts: t - 7_200_000, customer_id: "C9", email: "layla@example.com", lang: "ar" },
      { id: "t9-c", type: "ticket.created", ts: t - 3_600_000, ticket_id: "T9", customer_id: "C9", channel: "email" },
      { id: "t9-s", type: "ticket.status_changed", ts: t - 1000, ticket_id: "T9", status: "solved" },
    ]);
    const mail: ReceivedMail = await smtp.waitFor((m) => m.to.includes("layla@example.com"));
    assert.equal(mail.subject, "كيف كانت تجربتك مع فريق الدعم؟");
    assert.match(mail.html, /<html lang="ar" dir="rtl">/);
    const links = [...mail.text.matchAll(/(http:\/\/\S+\/s\/\S+\?score=(\d))/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(
      links.map((l) => l[1]),
      ["5", "4", "3", "2", "1"],
    );
    await hooks.waitFor(1);
    const hook = hooks.hooks[0];
    const { secret } = (await (await admin("/api/v1/surveys/after-solve/webhook-secret")).json()) as { secret: string };
    assert.match(secret, /^[0-9a-f]{64}$/);
    assert.equal(hook.headers["x-deskpulse-signature"], `sha256=${createHmac("sha256", secret).update(hook.body).digest("hex")}`);
    const payload = JSON.parse(hook.body) as { url: string; ticket_id: string; email: string; lang: string };
    assert.deepEqual([payload.ticket_id, payload.email, payload.lang], ["T9", "layla@example.com", "ar"]);
    assert.equal(links[0][0], `${payload.url}?score=5`);
    // one tap in the mail opens the page with 5 chosen; the confirmation POST stores it
    const tap = await fetch(links[0][0]);
    assert.match(await tap.text(), /value="5" checked/);
    assert.equal((await ticketSurveys("T9"))[0].responded_at, null);
    assert.equal((await answer(payload.url, { score: "5" })).status, 303);
    assert.deepEqual(
      (await ticketSurveys("T9")).map((r) => [r.survey_id, r.score]),
      [["after-solve:T9", 5]],
    );

    // solved again after a reopen: no second survey for the ticket; another ticket of C9: fatigue; another customer: mailed
    await events([
      { id: "t9-o", type: "ticket.status_changed", ts: Date.now() - 500, ticket_id: "T9", status: "open" },
      { id: "t9-s2", type: "ticket.status_changed", ts: Date.now() - 400, ticket_id: "T9", status: "solved" },
      { id: "t10-c", type: "ticket.created", ts: Date.now() - 300, ticket_id: "T10", customer_id: "C9", channel: "email" },
      { id: "t10-s", type: "ticket.status_changed", ts: Date.now() - 200, ticket_id: "T10", status: "solved" },
    ]);
    await events([
      { id: "t11-c", type: "ticket.created", ts: Date.now() - 300, ticket_id: "T11", customer_id: "omid@example.com", channel: "email" },
      { id: "t11-s", type: "ticket.status_changed", ts: Date.now() - 200, ticket_id: "T11", status: "solved" },
    ]);
    await smtp.waitFor((m) => m.to.includes("omid@example.com"));
    await hooks.waitFor(2);
    assert.equal(smtp.mails.filter((m) => m.to.includes("layla@example.com")).length, 1);
    assert.deepEqual(
      hooks.hooks.map((h) => (JSON.parse(h.body) as { ticket_id: string }).ticket_id),
      ["T9", "T11"],
    );

    const stats = (await (await admin("/api/v1/surveys/after-solve/stats?by=channel")).json()) as { funnel: unknown[] };
    assert.deepEqual(stats.funnel, [{ group: "email", sent: 2, opened: 1, answered: 1, response_rate: 50, open_rate: 50 }]);
  });

  it("without a language in the invitation, the page follows Accept-Language", async () => {
    const inv = await invite({ survey: "csat", ticket_id: "T7", customer_id: "C7" });
    const zh = await (await fetch(inv.url, { headers: { "accept-language": "zh-TW,zh;q=0.9,en;q=0.5" } })).text();
    assert.match(zh, /<html lang="zh-Hant" dir="ltr">/);
    assert.match(zh, /工單 T7/);
    const ar = await (await fetch(inv.url, { headers: { "accept-language": "ar-SA" } })).text();
    assert.match(ar, /<html lang="ar" dir="rtl">/);
    assert.match(ar, /<label for="score-5"[^>]*>٥<\/label>/, "Arabic-Indic digits");
    assert.equal((await post("/api/v1/surveys/invitations", { survey: "csat", ticket_id: "T7", lang: "de" })).status, 400);
    assert.equal((await post("/api/v1/surveys/invitations", { survey: "nope", ticket_id: "T7" })).status, 404);
  });

  it("after a chat: a CES survey to the customer of an answered, ended chat", async () => {
    assert.equal(
      (await post("/api/v1/surveys", { id: "after-chat", kind: "ces", trigger: { on: "contact", channels: ["chat"] }, fatigue_days: 0 })).status,
      201,
    );
    const t = Date.now();
    await events([
      { id: "k1-o", type: "contact.offered", ts: t - 600_000, contact_id: "K1", channel: "chat", customer_id: "mei@example.com" },
      { id: "k1-a", type: "contact.answered", ts: t - 590_000, contact_id: "K1", agent_id: "a1" },
      { id: "k1-e", type: "contact.ended", ts: t - 1000, contact_id: "K1" },
    ]);
    const mail = await smtp.waitFor((m) => m.to.includes("mei@example.com"));
    assert.match(mail.text, /How easy was it to get your issue resolved\?/);
    const url = /(http:\/\/\S+\/s\/[\w.-]+)\?score=7/.exec(mail.text)![1];
    assert.equal((await answer(url, { score: "6" })).status, 303);
    assert.equal((await metric("ces")).value, 6);
  });

  it("employee surveys: eNPS and the S4 target questions, mailed to agents, hidden below the anonymity threshold", async () => {
    assert.equal((await post("/api/v1/surveys", { id: "pulse", kind: "enps", anonymous_min: 3 })).status, 201);
    const agents = ["a1", "a2", "a3"].map((a) => ({ agent_id: a, email: `${a}@team.example.com`, lang: "fa" }));
    const sent = await post("/api/v1/surveys/pulse/send", { round: "2026-q4", agents });
    assert.equal(sent.status, 200, await sent.clone().text());
    const urls: string[] = [];
    for (const a of agents) {
      const m = await smtp.waitFor((x) => x.to.includes(a.email));
      assert.match(m.text, /این نظرسنجی ناشناس است/);
      urls.push(/(http:\/\/\S+\/s\/[\w.-]+)(?=\s|$)/m.exec(m.text)![1]);
    }
    const answers = [
      { score: "10", score_targets_understood: "5", score_targets_accepted: "4" },
      { score: "3", score_targets_understood: "4", score_targets_accepted: "2" },
      { score: "9", score_targets_understood: "2", score_targets_accepted: "5" },
    ];
    const page = await (await fetch(urls[0])).text();
    assert.equal((page.match(/<fieldset/g) ?? []).length, 3);
    assert.equal((await answer(urls[0], answers[0])).status, 303);
    assert.equal((await answer(urls[1], answers[1])).status, 303);
    const hidden = (await (await admin("/api/v1/surveys/pulse/stats")).json()) as { results: unknown };
    assert.deepEqual(hidden.results, { hidden: true, answers: 2, anonymous_min: 3 });
    assert.equal((await answer(urls[2], answers[2])).status, 303);
    const shown = (await (await admin("/api/v1/surveys/pulse/stats")).json()) as { results: unknown; funnel: unknown[] };
    // eNPS: promoters 10, 9 (2), detractor 3 (1) of 3 → 33.3; understood 5,4 of 3 → 66.7; accepted 4,5 of 3 → 66.7
    assert.deepEqual(shown.results, { hidden: false, answers: 3, enps: 33.3, targets_understood: 66.7, targets_accepted: 66.7 });
    // only the first agent opened the page before answering (the others posted straight away)
    assert.deepEqual(shown.funnel, [{ group: null, sent: 3, opened: 1, answered: 3, response_rate: 100, open_rate: 33.3 }]);
    const enps = await metric("employee_experience");
    assert.ok(Math.abs(enps.value! - 100 / 3) < 1e-9, String(enps.value));
    assert.equal((await metric("employee_experience.targets_understood")).value, (2 / 3) * 100);
    // nothing in the stored answers names the agent
    const drill = JSON.stringify(
      await (
        await admin("/api/v1/metrics/drilldown", {
          method: "POST",
          body: JSON.stringify({ metric: "employee_experience", from: `${Y - 1}-01-01`, to: `${Y + 1}-01-01` }),
        })
      ).json(),
    );
    for (const a of ["a1", "a2", "a3"]) assert.ok(!drill.includes(`"${a}"`), a);
    assert.equal((await admin("/api/v1/surveys/pulse/stats?by=team_id")).status, 400);
  });
});
