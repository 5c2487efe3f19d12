import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../src/alerts/clock.js";
import { buildDigest } from "../../src/alerts/reports.js";
import { demoSettings, generateDemo } from "../../src/demo/generate.js";
import { Runtime } from "../../src/runtime.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { header, parts } from "./mime.js";
import { startSmtp } from "./receivers.js";

/** Wednesday 24 June 2026 06:00 UTC; a Monday 07:00 London schedule next fires on 29 June (06:00 UTC, BST). */
const NOW = Date.UTC(2026, 5, 24, 6);
// The week the digest covers: Monday 22 June 00:00 London (BST) back to Monday 15 June.
const FROM = Date.UTC(2026, 5, 14, 23);
const TO = Date.UTC(2026, 5, 21, 23);

describe("scheduled KPI digest", () => {
  let rt: Runtime;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let clock: ManualClock;
  let created = 0;

  before(async () => {
    smtp = await startSmtp();
    process.env.DESKPULSE_SMTP_URL = smtp.url;
    clock = new ManualClock(NOW);
    rt = new Runtime(await openDuckDbStore({ path: ":memory:" }), { clock });
    delete process.env.DESKPULSE_SMTP_URL;
    await rt.saveSettings("w", demoSettings());
    const records = [...generateDemo({ tickets: 400, seed: 3, months: 2, endMs: Date.UTC(2026, 5, 30) })];
    for (let i = 0; i < records.length; i += 5000) await rt.ingest("w", records.slice(i, i + 5000), "test");
    // Tickets created in the covered week, counted by hand from the generated events.
    created = records.filter((r) => r.type === "ticket.created" && Number(r.ts) >= FROM && Number(r.ts) < TO).length;
    await rt.startAlerts();
    await rt.saveSettings("w", {
      reports: [
        {
          id: "weekly",
          name: "Weekly desk",
          cron: "0 7 * * MON",
          period: "week",
          recipients: [
            { email: "lead@example.com", lang: "en" },
            { email: "sara@example.com", lang: "fa" },
          ],
        },
      ] as never,
    });
  });
  after(async () => {
    await rt.close();
    await smtp.close();
  });

  it("fires on its croner schedule and mails each recipient in their language, with the CSV and a Chromium PDF", async () => {
    await clock.advanceTo(Date.UTC(2026, 5, 29, 6) - 1, () => rt.alerts.idle());
    assert.equal(smtp.mails.length, 0, "not before Monday 07:00 London");
    // Monday 29 June 07:00 London: the schedule sends the week of 22–28 June to both recipients.
    await clock.advanceTo(Date.UTC(2026, 5, 29, 6), () => rt.alerts.idle());
    await rt.outbox.idle();
    await smtp.waitFor(2, 60_000);
    // "Send now" (the API's POST /reports/:id/send) covers the same week.
    const res = await rt.alerts.sendReport("w", "weekly");
    assert.equal(new Date(res.digest.from).toISOString(), "2026-06-21T23:00:00.000Z");
    assert.equal(new Date(res.digest.to).toISOString(), "2026-06-28T23:00:00.000Z");
    await rt.outbox.idle();
    await smtp.waitFor(4, 60_000);

    const en = smtp.mails.find((m) => m.to.includes("lead@example.com"))!;
    const fa = smtp.mails.find((m) => m.to.includes("sara@example.com"))!;
    assert.match(header(en.raw, "Subject"), /^KPI digest: Weekly desk/);
    assert.match(header(fa.raw, "Subject"), /^خلاصه شاخص‌های کلیدی: Weekly desk/);
    const enParts = parts(en.raw);
    const pdf = enParts.find((p) => p.filename?.endsWith("-en.pdf"));
    assert.ok(pdf, "a PDF is attached");
    assert.equal(pdf.body.subarray(0, 5).toString("latin1"), "%PDF-");
    assert.ok(pdf.body.length > 5000);
    const faParts = parts(fa.raw);
    assert.ok(faParts.some((p) => p.filename?.endsWith("-fa.pdf")));
    const faHtml = faParts.find((p) => p.contentType === "text/html")!.body.toString("utf8");
    assert.match(faHtml, /dir="rtl"/);
    assert.match(faHtml, /بدترین نقض‌های SLA/);
    const csv = enParts.find((p) => p.filename?.endsWith(".csv"))!.body.toString("utf8");
    assert.match(csv, /^metric,unit,value,previous,change,target,from,to\n/);
  });

  it("the digest's ticket volume equals the tickets created in the week, counted from the events", async () => {
    const settings = await rt.settings("w");
    const d = await buildDigest(rt.store, "w", settings, settings.reports[0], NOW);
    assert.equal(d.from, FROM);
    assert.equal(d.to, TO);
    assert.ok(created > 0);
    assert.equal(d.kpis.find((k) => k.metric === "ticket_volume")!.value, created);
    // Breaches are sorted worst first and each is really late.
    for (let i = 1; i < d.breaches.length; i++) assert.ok(d.breaches[i - 1].overdue_s >= d.breaches[i].overdue_s);
    for (const b of d.breaches) assert.ok(b.overdue_s > 0);
  });
});
