import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../helpers/browser.js";
import { api, ROOT, startTestServer, type TestServer } from "../helpers/server.js";

const SHOTS = join(ROOT, "test-output", "screenshots");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const Y = new Date().getUTCFullYear();
const PHONE = { width: 390, height: 844 };

/** What each language must show: direction, a word of the question, the thank-you, and how 5 is written. */
const LANGS = [
  { lang: "en", dir: "ltr", question: "How would you rate the support you received?", thanks: "Thank you!", five: "5", comment: "Quick and kind." },
  { lang: "ar", dir: "rtl", question: "ما مدى رضاك عن الدعم الذي تلقيته؟", thanks: "شكرًا لك!", five: "٥", comment: "ردّ سريع ولطيف." },
  { lang: "fa", dir: "rtl", question: "از پشتیبانی‌ای که دریافت کردید چقدر راضی هستید؟", thanks: "سپاسگزاریم!", five: "۵", comment: "پاسخ سریع و مؤدبانه بود." },
  { lang: "zh-Hant", dir: "ltr", question: "您對這次獲得的支援服務滿意嗎？", thanks: "謝謝您！", five: "5", comment: "回覆又快又親切。" },
] as const;

describe("survey pages in Chromium on a phone", () => {
  let s: TestServer;
  let browser: Browser;
  before(async () => {
    s = await startTestServer();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
    const r = await api(s, s.adminKey, "/api/v1/surveys", { method: "POST", body: JSON.stringify({ id: "csat", kind: "csat", name: undefined }) });
    assert.equal(r.status, 201);
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  const csat = async () => {
    const r = await api(s, s.adminKey, `/api/v1/metrics?metrics=csat&from=${Y - 1}-01-01&to=${Y + 1}-01-01`);
    const row = ((await r.json()) as { rows: { numerator?: number | null; denominator?: number | null }[] }).rows[0];
    return [row.numerator ?? 0, row.denominator ?? 0];
  };

  async function phonePage(): Promise<{ page: Page; errors: string[] }> {
    // bypassCSP only so the test can inject axe-core; the page itself allows no script
    const ctx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, bypassCSP: true });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    return { page, errors };
  }

  async function axeViolations(page: Page): Promise<string[]> {
    await page.addScriptTag({ path: AXE });
    const result = (await page.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as {
      violations: { id: string; impact: string; nodes: unknown[] }[];
    };
    return result.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
  }

  for (const [i, L] of LANGS.entries()) {
    it(`${L.lang}: opens the invitation, answers, changes the answer, and the CSAT moves`, async () => {
      const ticket = `T-${L.lang}`;
      await api(s, s.adminKey, "/api/v1/events", {
        method: "POST",
        body: JSON.stringify([
          { id: `${ticket}-c`, type: "ticket.created", ts: new Date().toISOString(), ticket_id: ticket, customer_id: `C-${L.lang}`, channel: "email" },
        ]),
      });
      const inv = (await (
        await api(s, s.adminKey, "/api/v1/surveys/invitations", {
          method: "POST",
          body: JSON.stringify({ survey: "csat", ticket_id: ticket, customer_id: `C-${L.lang}`, lang: L.lang }),
        })
      ).json()) as { url: string };
      const { page, errors } = await phonePage();
      await page.goto(inv.url);
      assert.equal(await page.getAttribute("html", "lang"), L.lang);
      assert.equal(await page.getAttribute("html", "dir"), L.dir);
      assert.equal(await page.textContent("legend"), L.question);
      assert.equal((await page.textContent('label[for="score-5"]'))?.trim(), L.five);
      assert.deepEqual(await axeViolations(page), []);
      // nothing wider than the phone
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
      await page.screenshot({ path: join(SHOTS, `survey-${L.lang}.png`), fullPage: true });

      const before = await csat();
      assert.deepEqual(before, [i, i]);
      if (L.lang === "en") {
        // keyboard only: Tab into the radio group, arrows to 2, Tab to the comment, type, Enter on the button
        await page.focus("body");
        await page.keyboard.press("Tab");
        await page.keyboard.press("ArrowRight");
        assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).value), "2");
        await page.keyboard.press("Space");
        await page.keyboard.press("Tab");
        await page.keyboard.type(L.comment);
        await page.keyboard.press("Tab");
        await page.keyboard.press("Enter");
      } else {
        await page.tap('label[for="score-2"]');
        await page.fill("#comment", L.comment);
        await page.tap('button[type="submit"]');
      }
      await page.waitForSelector('[role="status"]');
      assert.ok((await page.textContent('[role="status"]'))?.includes(L.thanks));
      assert.deepEqual(await csat(), [i, i + 1], "a 2 is not satisfied");
      assert.equal(await page.isChecked("#score-2"), true);
      assert.equal(await page.inputValue("#comment"), L.comment);

      await page.tap('label[for="score-5"]');
      await page.tap('button[type="submit"]');
      await page.waitForSelector("#score-5:checked");
      assert.deepEqual(await csat(), [i + 1, i + 1], "changed to 5: satisfied, still one response");
      await page.screenshot({ path: join(SHOTS, `survey-${L.lang}-answered.png`), fullPage: true });
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }

  it("the dashboard's CSAT drill-down lists the answers with their comments", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${s.url}/?range=30d`);
    await page.fill('input[name="key"]', s.adminKey);
    await page.click('button[type="submit"]');
    await page.click('[data-metric="csat"]');
    await page.waitForSelector("#drill tbody tr");
    const text = (await page.textContent("#drill")) ?? "";
    for (const L of LANGS) assert.ok(text.includes(L.comment), L.comment);
    await page.close();
  });

  for (const [kind, body, lang] of [
    ["nps", { id: "nps", kind: "nps" }, "ar"],
    ["thumbs", { id: "thumbs", kind: "csat", csat_style: "thumbs" }, "zh-Hant"],
    ["enps", { id: "pulse", kind: "enps" }, "fa"],
  ] as const) {
    it(`a ${kind} page fits the phone, is accessible, and takes its answer by tap`, async () => {
      assert.equal((await api(s, s.adminKey, "/api/v1/surveys", { method: "POST", body: JSON.stringify(body) })).status, 201);
      const target = kind === "enps" ? { agent_id: "agent-7" } : { ticket_id: `T-${kind}`, customer_id: `C-${kind}` };
      const inv = (await (
        await api(s, s.adminKey, "/api/v1/surveys/invitations", { method: "POST", body: JSON.stringify({ survey: body.id, lang, ...target }) })
      ).json()) as { url: string };
      const { page, errors } = await phonePage();
      await page.goto(inv.url);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
      assert.deepEqual(await axeViolations(page), []);
      await page.screenshot({ path: join(SHOTS, `survey-${kind}-${lang}.png`), fullPage: true });
      const top = kind === "nps" ? "score-10" : kind === "thumbs" ? "score-1" : "score-9";
      await page.tap(`label[for="${top}"]`);
      if (kind === "enps") {
        await page.tap('label[for="score_targets_understood-4"]');
        await page.tap('label[for="score_targets_accepted-5"]');
      }
      await page.tap('button[type="submit"]');
      await page.waitForSelector('[role="status"]');
      assert.equal(await page.isChecked(`#${top}`), true);
      assert.deepEqual(errors, []);
      await page.context().close();
    });
  }

  it("a refused link is a readable page in the reader's language", async () => {
    const { page } = await phonePage();
    await page.setExtraHTTPHeaders({ "accept-language": "fa-IR,fa;q=0.9" });
    const res = await page.goto(`${s.url}/s/bm90LWEtbGluaw.c2lnbmF0dXJl`);
    assert.equal(res?.status(), 403);
    assert.equal(await page.getAttribute("html", "dir"), "rtl");
    assert.match((await page.textContent('[role="alert"]')) ?? "", /این پیوند معتبر نیست/);
    assert.deepEqual(await axeViolations(page), []);
    await page.context().close();
  });
});
