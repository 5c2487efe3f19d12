import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../helpers/browser.js";
import { api, ROOT, startTestServer, type TestServer } from "../helpers/server.js";

const SHOTS = join(ROOT, "test-output", "screenshots");

describe("dashboard in Chromium", () => {
  let s: TestServer;
  let browser: Browser;
  before(async () => {
    s = await startTestServer({ demoTickets: 1500 });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  async function signedIn(path = "/"): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${s.url}${path}`);
    await page.fill('input[name="key"]', s.adminKey);
    await page.click('button[type="submit"]');
    return { page, errors };
  }

  const tileValue = (page: Page, tile: string) => page.locator(`[data-tile="${tile}"] .tile-value`).getAttribute("data-value");

  it("renders the overview of the demo data with no console errors", async () => {
    const { page, errors } = await signedIn("/?range=180d");
    await page.waitForFunction(() => !!document.querySelector('[data-tile="open"] .tile-value')?.getAttribute("data-value"));
    await page.waitForSelector(".kpi[data-metric='first_response_time']");
    const live = (await (await api(s, s.adminKey, "/api/v1/live")).json()) as { open: number };
    assert.equal(Number(await tileValue(page, "open")), live.open);
    assert.ok((await page.locator(".kpi").count()) >= 8);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(SHOTS, "overview-en.png"), fullPage: true });
    await page.close();
  });

  it("changes the live tile within 2 seconds of an event arriving at the API", async () => {
    const { page } = await signedIn();
    await page.waitForFunction(() => !!document.querySelector('[data-tile="open"] .tile-value')?.getAttribute("data-value"));
    const before = Number(await tileValue(page, "open"));
    const res = await api(s, s.adminKey, "/api/v1/events", {
      method: "POST",
      body: JSON.stringify([{ id: "live-1", type: "ticket.created", ts: new Date().toISOString(), ticket_id: "LIVE-1", channel: "chat" }]),
    });
    assert.equal(res.status, 200);
    await page.waitForFunction((n) => document.querySelector('[data-tile="open"] .tile-value')?.getAttribute("data-value") === String(n), before + 1, {
      timeout: 2000,
    });
    await page.close();
  });

  it("switches to Arabic: right-to-left, translated labels", async () => {
    const { page } = await signedIn();
    await page.waitForSelector('[data-tile="open"]');
    await page.selectOption("#lang", "ar");
    await page.waitForFunction(() => document.documentElement.dir === "rtl");
    assert.equal(await page.getAttribute("html", "lang"), "ar");
    assert.equal((await page.textContent('nav a[data-page="overview"]'))?.trim(), "نظرة عامة");
    assert.equal((await page.textContent('[data-tile="open"] .label'))?.trim(), "التذاكر المفتوحة");
    await page.close();
  });

  it("drills down to the tickets a number counted", async () => {
    const { page } = await signedIn("/?range=180d");
    await page.click(".kpi[data-metric='first_contact_resolution']");
    await page.waitForSelector("#explain #drill tbody tr");
    const shown = await page.$$eval("#explain #drill tbody tr td:first-child", (tds) => tds.map((td) => td.textContent));
    const from = await page.inputValue('input[name="from"]');
    const to = await page.inputValue('input[name="to"]');
    const dd = (await (
      await api(s, s.adminKey, "/api/v1/metrics/drilldown", {
        method: "POST",
        body: JSON.stringify({ metric: "first_contact_resolution", from, to, pageSize: 50 }),
      })
    ).json()) as { total: number; items: { ticket_id: string }[] };
    assert.ok(dd.total > 0);
    assert.deepEqual(
      shown,
      dd.items.map((i) => i.ticket_id),
    );
    assert.ok(((await page.textContent("#explain h3")) ?? "").includes(dd.total.toLocaleString("en-GB")));
    await page.close();
  });

  it("restores the same view from a shared URL", async () => {
    const url = "/?page=speed&range=90d&channel=email&clock=business&stat=median&lang=fa";
    const { page } = await signedIn(url);
    await page.waitForSelector(".kpi[data-metric='first_response_time']");
    assert.equal(await page.inputValue('select[name="range"]'), "90d");
    assert.equal(await page.inputValue("#filter-channel"), "email");
    assert.equal(await page.inputValue('select[name="clock"]'), "business");
    assert.equal(await page.inputValue('select[name="stat"]'), "median");
    assert.equal(await page.getAttribute("html", "lang"), "fa");
    assert.equal(await page.getAttribute('nav a[data-page="speed"]', "aria-current"), "page");
    await page.close();
  });

  it("keeps a target edited on the scorecard; a read-only key cannot edit", async () => {
    const { page } = await signedIn("/?page=scorecard&range=180d");
    const card = page.locator(".kpi[data-metric='first_response_time']");
    await card.locator("input[data-part=hours]").fill("2");
    await card.locator("input[data-part=minutes]").fill("30");
    await card.locator("button.primary").click();
    await page.waitForFunction(() => document.querySelector(".kpi[data-metric='first_response_time'] [role=status]")?.textContent !== "");
    const settings = (await (await api(s, s.adminKey, "/api/v1/settings")).json()) as { targets: Record<string, number> };
    assert.equal(settings.targets.first_response_time, 9000);
    await page.close();
    const key = (
      (await (await api(s, s.adminKey, "/api/v1/keys", { method: "POST", body: JSON.stringify({ name: "viewer", scopes: ["read"] }) })).json()) as {
        key: string;
      }
    ).key;
    const ro = await browser.newPage();
    await ro.goto(`${s.url}/?page=scorecard&range=180d`);
    await ro.fill('input[name="key"]', key);
    await ro.click('button[type="submit"]');
    await ro.waitForSelector(".kpi[data-metric='csat'] input");
    assert.equal(await ro.locator(".kpi[data-metric='csat'] input").isDisabled(), true);
    assert.equal(await ro.locator(".kpi[data-metric='csat'] button.primary").count(), 0);
    // the saved target, in hours and minutes
    assert.equal(await ro.inputValue(".kpi[data-metric='first_response_time'] input[data-part=hours]"), "2");
    assert.equal(await ro.inputValue(".kpi[data-metric='first_response_time'] input[data-part=minutes]"), "30");
    await ro.close();
  });

  it("saves overview screenshots in ar, fa and zh-Hant", async () => {
    for (const lang of ["ar", "fa", "zh-Hant"]) {
      const { page, errors } = await signedIn(`/?range=180d&lang=${lang}`);
      await page.waitForSelector(".kpi[data-metric='csat']");
      await page.waitForFunction(() => !!document.querySelector('[data-tile="open"] .tile-value')?.getAttribute("data-value"));
      assert.equal(await page.getAttribute("html", "lang"), lang);
      assert.deepEqual(errors, []);
      await page.screenshot({ path: join(SHOTS, `overview-${lang}.png`), fullPage: true });
      await page.close();
    }
  });
});
