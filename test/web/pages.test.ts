import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { fromPersian, toPersian } from "../../src/format/persian.js";
import { launchChromium } from "../helpers/browser.js";
import { api, ROOT, startTestServer, type TestServer } from "../helpers/server.js";

const SHOTS = join(ROOT, "test-output", "screenshots");
const AXE = join(ROOT, "node_modules", "axe-core", "axe.min.js");
const LANGS = ["en", "ar", "fa", "zh-Hant"] as const;
const VIEWPORTS = { desktop: { width: 1400, height: 1000 }, phone: { width: 390, height: 844 } } as const;
const PAGES = [
  "overview",
  "speed",
  "effectiveness",
  "volume",
  "surveys",
  "customers",
  "self_service",
  "agents",
  "scorecard",
  "staffing",
  "ticket",
  "customer",
  "alerts",
] as const;

/** Latin words allowed on ar / fa / zh-Hant pages: the brand, vendor names, and the acronyms support teams use as they are. */
const ALLOWED = new Set([
  "Deskpulse",
  "English",
  "SLA",
  "NPS",
  "eNPS",
  "CSAT",
  "CES",
  "FCR",
  "AHT",
  "NIA",
  "CSV",
  "IT",
  "CX",
  "WhatsApp",
  "Messenger",
  "Erlang",
  "C",
  "N",
]);

/**
 * The visible text of the page (not the language menu, whose entries name each language in itself),
 * plus the accessible names a screen reader reads out.
 */
function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest("select#lang, script, style, [hidden]")) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      out.push(n.textContent ?? "");
    }
    for (const el of document.querySelectorAll("[aria-label]")) if (!el.closest("select#lang")) out.push(el.getAttribute("aria-label") ?? "");
    for (const el of document.querySelectorAll("select:not(#lang) option")) out.push(el.textContent ?? "");
    return out.join("\n");
  });
}

/** Latin words that are neither allowed nor identifiers (ticket, customer and agent ids carry digits). */
function englishWords(text: string): string[] {
  const words = text.match(/[A-Za-z][A-Za-z0-9_.:@-]*/g) ?? [];
  return [...new Set(words.map((w) => w.replace(/[.:-]+$/, "")).filter((w) => !/\d/.test(w) && !ALLOWED.has(w)))];
}

describe("every dashboard page in four languages, on a desktop and a phone", () => {
  let s: TestServer;
  let browser: Browser;
  let ticketId = "";
  let customerId = "";
  const contexts = new Map<string, BrowserContext>();
  before(async () => {
    s = await startTestServer({ demoTickets: 1500 });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      const ctx = await browser.newContext({ viewport });
      const res = await ctx.request.post(`${s.url}/api/v1/session`, { data: { key: s.adminKey } });
      assert.equal(res.status(), 204);
      contexts.set(name, ctx);
    }
    // a customer with a full journey (tickets, calls or chats, surveys) and one of their tickets
    const dd = (await (
      await api(s, s.adminKey, "/api/v1/metrics/drilldown", {
        method: "POST",
        body: JSON.stringify({ metric: "csat", from: "2020-01-01", to: "2030-01-01", pageSize: 200 }),
      })
    ).json()) as { items: { customer_id: string | null; ticket_id: string | null }[] };
    const withBoth = dd.items.find((i) => i.customer_id && i.ticket_id)!;
    customerId = withBoth.customer_id!;
    ticketId = withBoth.ticket_id!;
  });
  after(async () => {
    for (const c of contexts.values()) await c.close();
    await browser?.close();
    await s?.stop();
  });

  async function open(viewport: keyof typeof VIEWPORTS, lang: string, pageName: string): Promise<{ page: Page; errors: string[] }> {
    const page = await contexts.get(viewport)!.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    const id = pageName === "ticket" ? `&id=${ticketId}` : pageName === "customer" ? `&id=${customerId}` : "";
    await page.goto(`${s.url}/?page=${pageName}&range=180d&lang=${lang}${id}`);
    await page.waitForSelector("main[data-ready]", { timeout: 30_000 });
    if (pageName === "overview") await page.waitForFunction(() => !!document.querySelector('[data-tile="open"] .tile-value')?.getAttribute("data-value"));
    return { page, errors };
  }

  /** Moves an open dashboard to another page the way its own links do (no reload: the test runs faster). */
  async function goTo(page: Page, lang: string, pageName: string): Promise<void> {
    const id = pageName === "ticket" ? `&id=${ticketId}` : pageName === "customer" ? `&id=${customerId}` : "";
    await page.evaluate((q) => {
      history.pushState(null, "", `/?${q}`);
      window.dispatchEvent(new PopStateEvent("popstate"));
    }, `page=${pageName}&range=180d&lang=${lang}${id}`);
    await page.waitForSelector("main[data-ready]", { timeout: 30_000 });
  }

  for (const lang of LANGS)
    for (const viewport of Object.keys(VIEWPORTS) as (keyof typeof VIEWPORTS)[])
      it(`${lang} on a ${viewport}: no horizontal overflow, native words only, screenshots`, async () => {
        const { page, errors } = await open(viewport, lang, "overview");
        for (const name of PAGES) {
          if (name !== "overview") await goTo(page, lang, name);
          assert.equal(await page.$(".error[role=alert]"), null, `${name}: ${await page.textContent("main")}`);
          const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
          assert.ok(scroll <= width, `${name} ${lang} ${viewport}: page is ${scroll}px wide on a ${width}px screen`);
          const text = await visibleText(page);
          if (lang !== "en") assert.deepEqual(englishWords(text), [], `${name} ${lang}: English words on the page`);
          if (lang === "fa") {
            assert.doesNotMatch(text, /بلیط|وضوح/, `${name}: بلیط / وضوح`);
            assert.doesNotMatch(text, /(?<![A-Za-z0-9_-])[0-9]+(?![A-Za-z0-9])/, `${name}: Latin digits in Persian text`);
          }
          if (lang === "ar") {
            assert.doesNotMatch(text, /تحويل الحالات/);
            assert.doesNotMatch(text, /(?<![A-Za-z0-9_-])[0-9]+(?![A-Za-z0-9])/, `${name}: Latin digits in Arabic text`);
          }
          if (lang === "zh-Hant") assert.doesNotMatch(text, /門票|票務|回复|渠道/, `${name}: not the words of a Traditional Chinese help desk`);
          assert.deepEqual(errors, [], `${name}: console errors`);
          // whole pages on the desktop; the first screen on the phone (what a phone user sees first)
          await page.screenshot({ path: join(SHOTS, `${name}-${lang}-${viewport}.png`), fullPage: viewport === "desktop" });
        }
        await page.close();
      });

  it("uses the native words for ticket and resolution", async () => {
    const fa = await open("desktop", "fa", "overview");
    assert.match((await fa.page.textContent('[data-tile="open"] .label')) ?? "", /تیکت/);
    assert.match((await fa.page.textContent(".kpi[data-metric='resolution_time'] .label")) ?? "", /حل/);
    await fa.page.close();
    const zh = await open("desktop", "zh-Hant", "volume");
    assert.match((await zh.page.textContent(".kpi[data-metric='ticket_volume'] .label")) ?? "", /工單/);
    await zh.page.close();
    const ar = await open("desktop", "ar", "self_service");
    const deflection = (await ar.page.textContent(".kpi[data-metric='case_deflection'] .label")) ?? "";
    assert.ok(deflection.length > 0 && !deflection.includes("تحويل"), deflection);
    await ar.page.close();
  });

  it("writes durations as hours and minutes in every language", async () => {
    const patterns: Record<string, RegExp> = {
      en: /^(\d+ (d|h|min|s))( \d+ (h|min|s))?$/,
      ar: /^[٠-٩]+ (يوم|ساعة|دقيقة|ثانية)( و [٠-٩]+ (ساعة|دقيقة|ثانية))?$/,
      fa: /^[۰-۹]+ (روز|ساعت|دقیقه|ثانیه)( و [۰-۹]+ (ساعت|دقیقه|ثانیه))?$/,
      "zh-Hant": /^\d+ (天|小時|分鐘|秒)( \d+ (小時|分鐘|秒))?$/,
    };
    for (const lang of LANGS) {
      const { page } = await open("desktop", lang, "overview");
      for (const id of ["first_response_time", "resolution_time"]) {
        const v = ((await page.textContent(`.kpi[data-metric='${id}'] .value`)) ?? "").trim();
        assert.match(v, patterns[lang], `${lang} ${id}: "${v}"`);
      }
      await page.close();
    }
  });

  for (const viewport of Object.keys(VIEWPORTS) as (keyof typeof VIEWPORTS)[])
    it(`opens the explain dialog inside the ${viewport} screen in every language, translated and formatted`, async () => {
      for (const lang of LANGS) {
        const { page } = await open(viewport, lang, "overview");
        await page.click(".kpi[data-metric='first_response_time']");
        await page.waitForSelector("#explain #drill tbody tr");
        const box = await page.evaluate(() => {
          const r = document.querySelector("#explain")!.getBoundingClientRect();
          return {
            left: r.left,
            right: r.right,
            top: r.top,
            bottom: r.bottom,
            w: window.innerWidth,
            h: window.innerHeight,
            scroll: document.documentElement.scrollWidth,
          };
        });
        assert.ok(box.left >= 0 && box.right <= box.w && box.top >= 0 && box.bottom <= box.h, `${lang} ${viewport}: dialog at ${JSON.stringify(box)}`);
        const headers = await page.$$eval("#explain #drill th", (ths) => ths.map((th) => th.textContent ?? ""));
        assert.ok(!headers.includes("ticket_id") && !headers.includes("frt_s"), headers.join(", "));
        const numerator = (await page.textContent("#explain [data-part=numerator]")) ?? "";
        assert.doesNotMatch(numerator, /\d[.,٫]\d{3,}/, `raw numerator "${numerator}"`);
        const dialogText = (await page.textContent("#explain")) ?? "";
        assert.doesNotMatch(dialogText, /\d+\.\d{3,}/, "unrounded numbers in the dialog");
        assert.doesNotMatch(dialogText, /S2 divides|\(S\d/, "internal references in the definition");
        if (lang !== "en") {
          const words = englishWords(await page.evaluate(() => (document.querySelector("#explain") as HTMLElement).innerText));
          assert.deepEqual(words, [], `${lang}: English in the explain dialog`);
        }
        await page.screenshot({ path: join(SHOTS, `explain-${lang}-${viewport}.png`) });
        await page.close();
      }
    });

  it("has no serious or critical accessibility violations (axe-core)", async () => {
    const found: string[] = [];
    for (const [lang, name] of [
      ["en", "overview"],
      ["ar", "overview"],
      ["fa", "speed"],
      ["zh-Hant", "volume"],
      ["en", "scorecard"],
      ["fa", "customer"],
      ["en", "staffing"],
      ["ar", "ticket"],
    ] as const) {
      const { page } = await open("desktop", lang, name);
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
          }
        ).axe;
        const r = await axe.run(document, { resultTypes: ["violations"] });
        return r.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map(
            (v) =>
              `${v.id} (${v.impact}): ${v.nodes
                .slice(0, 3)
                .map((n) => n.target.join(" "))
                .join(" | ")}`,
          );
      });
      found.push(...violations.map((v) => `${name} ${lang}: ${v}`));
      await page.close();
    }
    assert.deepEqual(found, []);
  });

  it("can be used from the keyboard: tab through the overview, open and close an explanation", async () => {
    const { page } = await open("desktop", "en", "overview");
    await page.waitForSelector(".kpi[data-metric='csat']");
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      seen.push(
        await page.evaluate(() => {
          const a = document.activeElement as HTMLElement | null;
          if (!a) return "";
          return a.dataset.page
            ? `nav:${a.dataset.page}`
            : a.dataset.metric
              ? `kpi:${a.dataset.metric}`
              : a.getAttribute("name")
                ? `field:${a.getAttribute("name")}`
                : a.tagName.toLowerCase();
        }),
      );
      if (seen.at(-1) === "kpi:first_response_time") break;
    }
    assert.ok(seen.includes("nav:speed"), seen.join(" "));
    assert.ok(seen.includes("field:range"), seen.join(" "));
    assert.equal(seen.at(-1), "kpi:first_response_time", seen.join(" "));
    // the focused tile shows a focus ring
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, "none");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#explain[open]");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector("#explain"));
    // a page of the menu opens from the keyboard too
    await page.focus("nav a[data-page='volume']");
    await page.keyboard.press("Enter");
    await page.waitForSelector("main[data-ready] .kpi[data-metric='ticket_volume']");
    await page.close();
  });

  it("picks dates in the Solar Hijri calendar in Persian", async () => {
    const { page } = await open("desktop", "fa", "speed");
    const from = await page.inputValue('input[name="from"]');
    const p = toPersian(from);
    await page.click(".date-field:first-of-type .date-button");
    const head = (await page.textContent(".date-pop .date-head strong")) ?? "";
    assert.match(head, /[۰-۹]{4}/); // a Solar Hijri year such as ۱۴۰۵
    assert.equal(
      head,
      new Intl.DateTimeFormat("fa-IR-u-ca-persian", { month: "short", year: "numeric", timeZone: "Europe/London" }).format(new Date(`${from}T12:00:00Z`)),
    );
    // the 10th of the shown Persian month
    await page.click(".date-pop .day >> nth=9");
    await page.waitForFunction(() => new URLSearchParams(location.search).get("range") === "custom");
    await page.waitForSelector("main[data-ready]");
    assert.equal(new URLSearchParams(new URL(page.url()).search).get("from"), fromPersian({ year: p.year, month: p.month, day: 10 }));
    await page.close();
  });

  it("shows a server error in the page's language, by its code", async () => {
    for (const [lang, words] of [
      ["fa", "در این فضای کاری پیدا نشد"],
      ["zh-Hant", "此工作區中找不到"],
      ["en", 'no ticket "NO-SUCH-TICKET"'],
    ] as const) {
      const page = await contexts.get("desktop")!.newPage();
      await page.goto(`${s.url}/?page=ticket&id=NO-SUCH-TICKET&lang=${lang}`);
      await page.waitForSelector("main[data-ready] .error[role=alert]");
      const text = (await page.textContent(".error[role=alert]")) ?? "";
      assert.ok(text.includes(words), `${lang}: ${text}`);
      if (lang !== "en") assert.deepEqual(englishWords(text), []);
      await page.close();
    }
  });

  it("finds a metric by a seed article's machine-translated name, which is never its label", async () => {
    const { page } = await open("desktop", "zh-Hant", "scorecard");
    assert.doesNotMatch((await page.textContent("main")) ?? "", /門票重開率/);
    await page.fill("#metric-search", "門票重開率");
    const shown = await page.$$eval(".kpi[data-metric]", (cards) =>
      cards.filter((c) => !(c as HTMLElement).hidden).map((c) => (c as HTMLElement).dataset.metric),
    );
    assert.deepEqual(shown, ["reopen_rate"]);
    assert.match((await page.textContent(".kpi[data-metric='reopen_rate'] button.link")) ?? "", /工單重開率/);
    await page.close();
  });

  it("edits a duration target in hours and minutes, in Persian digits", async () => {
    const { page } = await open("desktop", "fa", "scorecard");
    const card = page.locator(".kpi[data-metric='first_response_time']");
    assert.match(await card.locator("input[data-part=hours]").inputValue(), /^[۰-۹]+$/);
    await card.locator("input[data-part=hours]").fill("۲");
    await card.locator("input[data-part=minutes]").fill("۳۰");
    await card.locator("button.primary").click();
    await page.waitForFunction(() => document.querySelector(".kpi[data-metric='first_response_time'] [role=status]")?.textContent !== "");
    const settings = (await (await api(s, s.adminKey, "/api/v1/settings")).json()) as { targets: Record<string, number> };
    assert.equal(settings.targets.first_response_time, 9000); // 2 h 30 min
    await page.close();
  });

  it("points ▲ at the better direction: a shorter response time is better", async () => {
    const { page } = await open("desktop", "en", "scorecard");
    const res = (await (
      await api(s, s.adminKey, "/api/v1/metrics", {
        method: "POST",
        body: JSON.stringify({
          metrics: ["first_response_time", "csat"],
          from: await page.inputValue('input[name="from"]'),
          to: await page.inputValue('input[name="to"]'),
          compare: true,
          percentiles: [50, 90],
        }),
      })
    ).json()) as { rows: { metric: string; value: number; previous: { value: number } | null; group?: unknown }[] };
    for (const [id, lowerBetter] of [
      ["first_response_time", true],
      ["csat", false],
    ] as const) {
      const r = res.rows.find((x) => x.metric === id && !x.group)!;
      if (r.previous?.value == null || r.value === r.previous.value) continue;
      const better = lowerBetter ? r.value < r.previous.value : r.value > r.previous.value;
      assert.equal(await page.getAttribute(`.kpi[data-metric='${id}'] [data-trend]`, "data-trend"), better ? "better" : "worse", id);
      assert.match((await page.textContent(`.kpi[data-metric='${id}'] [data-trend]`)) ?? "", better ? /▲/ : /▼/);
    }
    // eNPS has a default target of 20 and shows it
    assert.doesNotMatch((await page.textContent(".kpi[data-metric='employee_experience']")) ?? "", /No target/);
    await page.close();
  });
});
