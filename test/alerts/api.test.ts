import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { launchChromium } from "../helpers/browser.js";
import { api, startTestServer, type TestServer } from "../helpers/server.js";
import { startReceiver, startSmtp } from "./receivers.js";

describe("alert rules and alerts over HTTP, and the bell in Chromium", () => {
  let s: TestServer;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let browser: Browser;
  let readKey: string;
  before(async () => {
    rx = await startReceiver("receiver-secret-123");
    smtp = await startSmtp();
    s = await startTestServer({ env: { DESKPULSE_SMTP_URL: smtp.url, DESKPULSE_PUBLIC_URL: "https://kpi.example.com" } });
    browser = await launchChromium();
    const k = await api(s, s.adminKey, "/api/v1/keys", { method: "POST", body: JSON.stringify({ name: "viewer", scopes: ["read"] }) });
    readKey = ((await k.json()) as { key: string }).key;
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
    await rx?.close();
    await smtp?.close();
  });

  it("POST /alert-rules takes the documented body and answers the stored rule with its id", async () => {
    const body = {
      name: "FRT due",
      condition: { kind: "sla_due", target: "first_reply", within_minutes: 30 },
      destinations: [{ type: "webhook", url: rx.url }],
    };
    const res = await api(s, s.adminKey, "/api/v1/alert-rules", { method: "POST", body: JSON.stringify(body) });
    assert.equal(res.status, 201);
    const rule = (await res.json()) as { id: string; name: string; enabled: boolean; destinations: { secret?: string }[] };
    assert.match(rule.id, /^rule_[0-9a-f]{12}$/);
    assert.equal(rule.name, "FRT due");
    assert.equal(rule.enabled, true);
    assert.match(rule.destinations[0].secret ?? "", /^[0-9a-f]{48}$/, "a signing secret is generated");
    const list = (await (await api(s, readKey, "/api/v1/alert-rules")).json()) as { rules: { id: string; destinations: { secret?: string }[] }[] };
    assert.deepEqual(
      list.rules.map((r) => [r.id, r.destinations[0].secret]),
      [[rule.id, "***"]],
      "read keys see the rule, not the secret",
    );
    // Settings carry the same rules (settings files use the same schema).
    const settings = (await (await api(s, s.adminKey, "/api/v1/settings")).json()) as { alert_rules: { id: string }[] };
    assert.deepEqual(
      settings.alert_rules.map((r) => r.id),
      [rule.id],
    );
    const viewerSettings = (await (await api(s, readKey, "/api/v1/settings")).json()) as { alert_rules: { destinations: { secret?: string }[] }[] };
    assert.equal(viewerSettings.alert_rules[0].destinations[0].secret, "***", "nor through the settings");
    const put = await api(s, s.adminKey, `/api/v1/alert-rules/${rule.id}`, {
      method: "PUT",
      body: JSON.stringify({ ...body, name: "FRT due soon", destinations: [{ type: "webhook", url: rx.url, secret: "***" }] }),
    });
    assert.equal(put.status, 200);
    const changed = (await put.json()) as { name: string; destinations: { secret: string }[] };
    assert.equal(changed.name, "FRT due soon");
    assert.equal(changed.destinations[0].secret, rule.destinations[0].secret, "a masked secret sent back keeps the stored one");
    assert.equal((await api(s, s.adminKey, `/api/v1/alert-rules/${rule.id}`, { method: "DELETE" })).status, 204);
    assert.equal((await api(s, s.adminKey, `/api/v1/alert-rules/${rule.id}`)).status, 404);
  });

  it("refuses bad rules with 400 and a message naming the field, and non-admin keys with 403", async () => {
    const bad = async (b: unknown) => {
      const r = await api(s, s.adminKey, "/api/v1/alert-rules", { method: "POST", body: JSON.stringify(b) });
      return { status: r.status, body: (await r.json()) as { error: { code: string; message: string } } };
    };
    const dest = [{ type: "webhook", url: rx.url }];
    let r = await bad({ name: "x", condition: { kind: "sla_due", target: "lunch", within_minutes: 5 }, destinations: dest });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, "invalid_rule");
    assert.match(r.body.error.message, /rule\.condition\.target: target must be one of first_reply, next_reply, resolution/);
    r = await bad({ name: "x", condition: { kind: "metric", metric: "nope" }, destinations: dest });
    assert.match(r.body.error.message, /catalog metric/);
    r = await bad({ name: "x", condition: { kind: "backlog_age", older_than_hours: 24, above: 10 }, destinations: [] });
    assert.match(r.body.error.message, /at least one destination/);
    r = await bad({ name: "x", condition: { kind: "anomaly", series: "ticket_volume", schedule: "every tuesday" }, destinations: dest });
    assert.match(r.body.error.message, /not a cron pattern/);
    const settingsFile = await api(s, s.adminKey, "/api/v1/settings", {
      method: "PATCH",
      body: JSON.stringify({ alert_rules: [{ name: "y", condition: { kind: "waiting" }, destinations: dest }] }),
    });
    assert.equal(settingsFile.status, 400);
    assert.match(((await settingsFile.json()) as { error: { message: string } }).error.message, /alert_rules\[0\]\.condition\.longer_than_minutes/);
    const forbidden = await api(s, readKey, "/api/v1/alert-rules", {
      method: "POST",
      body: JSON.stringify({ name: "x", condition: { kind: "sla_breached" }, destinations: dest }),
    });
    assert.equal(forbidden.status, 403);
  });

  it("an event that makes a rule true reaches the webhook and the dashboard's bell; the alert can be acknowledged", async () => {
    await api(s, s.adminKey, "/api/v1/settings", { method: "PATCH", body: JSON.stringify({ agents: { a7: { email: "a7@example.com" } } }) });
    const rule = (await (
      await api(s, s.adminKey, "/api/v1/alert-rules", {
        method: "POST",
        body: JSON.stringify({
          name: "Unassigned 10 min",
          condition: { kind: "unassigned", longer_than_minutes: 10 },
          filters: { channel: ["email"] },
          destinations: [
            { type: "webhook", url: rx.url, secret: "receiver-secret-123" },
            { type: "email", to: ["desk@example.com"] },
          ],
        }),
      })
    ).json()) as { id: string };
    const page = await browser.newPage();
    await page.goto(`${s.url}/`);
    await page.fill('input[name="key"]', s.adminKey);
    await page.click('button[type="submit"]');
    await page.waitForSelector("#alert-bell");
    assert.equal(await page.locator(".bell .badge").isHidden(), true);
    const ts = new Date(Date.now() - 15 * 60_000).toISOString();
    await api(s, s.adminKey, "/api/v1/events", {
      method: "POST",
      body: JSON.stringify([{ id: "b1", type: "ticket.created", ts, ticket_id: "B1", channel: "email" }]),
    });
    await rx.waitFor(1);
    const hook = rx.got[0];
    assert.ok(hook.signed);
    assert.equal(hook.json.rule_id, rule.id);
    assert.equal(hook.json.rule_name, "Unassigned 10 min");
    assert.equal(hook.json.state, "firing");
    assert.equal(hook.json.ticket_id, "B1");
    assert.equal((hook.json.links as Record<string, string>).ticket, "https://kpi.example.com/?page=ticket&id=B1");
    await smtp.waitFor(1);
    assert.deepEqual(smtp.mails[0].to, ["desk@example.com"], "no assignee: the team's list");
    // The bell follows over the live stream.
    await page.waitForFunction(
      () => document.querySelector(".bell .badge")?.textContent === "1" && !(document.querySelector(".bell .badge") as HTMLElement).hidden,
    );
    await page.click("#alert-bell");
    await page.click(".bell .panel button.link");
    await page.waitForSelector("#alerts tbody tr");
    assert.match(await page.locator("#alerts tbody tr").first().innerText(), /Unassigned 10 min[\s\S]*B1/);
    await page.locator("#alerts tbody tr").first().getByRole("button", { name: "Acknowledge" }).click();
    await page.waitForFunction(() => document.querySelector(".bell .badge")?.hasAttribute("hidden"));
    const alerts = (await (await api(s, readKey, "/api/v1/alerts?state=firing")).json()) as { alerts: { ticket_id: string; acked_at: number | null }[] };
    assert.equal(alerts.alerts.length, 1);
    assert.ok(alerts.alerts[0].acked_at);
    // Assigning the ticket clears the condition: a resolved delivery follows.
    await api(s, s.adminKey, "/api/v1/events", {
      method: "POST",
      body: JSON.stringify([{ id: "b2", type: "ticket.assigned", ts: new Date().toISOString(), ticket_id: "B1", agent_id: "a7" }]),
    });
    await rx.waitFor(2);
    assert.equal(rx.got[1].json.state, "resolved");
    await page.close();
  });
});
