// In the browser: first meaningful render of the overview on demo data, and the time from an
// event posted to the API to the changed live tile. Usage: node dist/bench/dashboard.js [--tickets 20000]
import { launchChromium } from "../test/helpers/browser.js";
import { api, startTestServer } from "../test/helpers/server.js";
import { numberFlag } from "./util.js";

const tickets = numberFlag("tickets", 20_000);
const s = await startTestServer({ demoTickets: tickets });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${s.url}/`);
  await page.fill('input[name="key"]', s.adminKey);
  await page.click('button[type="submit"]');
  await page.waitForSelector(".kpi");
  const renders: number[] = [];
  for (let i = 0; i < 5; i++) {
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName("deskpulse:overview-rendered").length > 0);
    renders.push(await page.evaluate(() => performance.getEntriesByName("deskpulse:overview-rendered")[0].startTime));
  }
  renders.sort((a, b) => a - b);
  console.log(
    `overview first meaningful render (navigation → live tiles and headline KPIs drawn), ${tickets.toLocaleString("en-US")} demo tickets: median ${Math.round(renders[2])} ms, best ${Math.round(renders[0])} ms`,
  );
  await page.waitForFunction(() => !!document.querySelector('[data-tile="open"] .tile-value')?.getAttribute("data-value"));
  const lat: number[] = [];
  for (let i = 0; i < 10; i++) {
    const before = Number(await page.getAttribute('[data-tile="open"] .tile-value', "data-value"));
    const t0 = Date.now();
    await api(s, s.adminKey, "/api/v1/events", {
      method: "POST",
      body: JSON.stringify([{ id: `bench-${i}`, type: "ticket.created", ts: new Date().toISOString(), ticket_id: `BENCH-${i}`, channel: "chat" }]),
    });
    await page.waitForFunction((n) => document.querySelector('[data-tile="open"] .tile-value')?.getAttribute("data-value") === String(n), before + 1, {
      polling: 5,
    });
    lat.push(Date.now() - t0);
  }
  lat.sort((a, b) => a - b);
  console.log(
    `event posted → live tile changed: median ${lat[5]} ms, max ${lat[9]} ms (10 events; includes the HTTP ingest and the SSE push, coalesced every 100 ms)`,
  );
} finally {
  await browser.close();
  await s.stop();
}
