import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Runtime } from "../../src/runtime.js";
import { api, CLI, freePort, ROOT, startTestServer, type TestServer } from "../helpers/server.js";

type Err = { error: { code: string } };

describe("keys, sessions and secrets", () => {
  let s: TestServer & { outputs: string[] };
  let readKey = "";
  before(async () => {
    s = await startTestServer({ before: [["keys", "create", "--scopes", "read", "--name", "reader"]] });
    readKey = s.outputs[0].trim();
  });
  after(() => s.stop());

  it("takes keys only in the Authorization header; ?key= only on webhook routes", async () => {
    for (const path of ["/api/v1/live", "/api/v1/me", "/api/v1/settings", "/api/v1/rejected"]) {
      const r = await fetch(`${s.url}${path}?key=${encodeURIComponent(s.adminKey)}`);
      assert.equal(r.status, 401, path);
      assert.equal(((await r.json()) as Err).error.code, "key_in_url");
    }
    // even with a good header, a key in the URL is refused: it already leaked into a log
    const both = await api(s, s.adminKey, `/api/v1/live?key=${s.adminKey}`);
    assert.equal(both.status, 401);
    const hook = await fetch(`${s.url}/api/v1/webhooks/chatwoot?key=${encodeURIComponent(s.adminKey)}`, {
      method: "POST",
      body: JSON.stringify({ event: "conversation_created", id: 4, created_at: 1772442000, meta: { sender: { id: 1 } } }),
    });
    assert.equal(hook.status, 200);
  });

  it("signs in with a random session id (not the key) that sign-out and key revocation end", async () => {
    const signIn = async (key: string, headers: Record<string, string> = {}) =>
      fetch(`${s.url}/api/v1/session`, { method: "POST", body: JSON.stringify({ key }), headers: { "content-type": "application/json", ...headers } });
    const r = await signIn(readKey);
    assert.equal(r.status, 204);
    const cookie = r.headers.get("set-cookie") ?? "";
    assert.match(cookie, /^deskpulse_session=[A-Za-z0-9_-]{43};/);
    assert.ok(!cookie.includes(readKey) && !cookie.includes(encodeURIComponent(readKey)), "the cookie must not carry the key");
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Expires=/);
    assert.doesNotMatch(cookie, /Secure/); // plain http on loopback
    const sid = cookie.split(";")[0];
    const me = await fetch(`${s.url}/api/v1/me`, { headers: { cookie: sid } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { workspace: string }).workspace, "default");

    // the plain HTML form (urlencoded) signs in too, and goes back to the dashboard
    const form = await fetch(`${s.url}/api/v1/session`, {
      method: "POST",
      body: new URLSearchParams({ key: readKey }),
      headers: { accept: "text/html" },
      redirect: "manual",
    });
    assert.equal(form.status, 302);
    assert.equal(form.headers.get("location"), "/");
    assert.match(form.headers.get("set-cookie") ?? "", /^deskpulse_session=/);

    // behind a TLS-terminating proxy the cookie is Secure
    assert.match((await signIn(readKey, { "x-forwarded-proto": "https" })).headers.get("set-cookie") ?? "", /; Secure/);

    // sign out: the same cookie no longer works
    assert.equal((await fetch(`${s.url}/api/v1/session`, { method: "DELETE", headers: { cookie: sid } })).status, 204);
    assert.equal((await fetch(`${s.url}/api/v1/me`, { headers: { cookie: sid } })).status, 401);
    // an old-style cookie holding the key itself is not read
    assert.equal((await fetch(`${s.url}/api/v1/me`, { headers: { cookie: `deskpulse_key=${readKey}` } })).status, 401);

    // revoking the key ends its sessions and the key at once
    const created = (await (await api(s, s.adminKey, "/api/v1/keys", { method: "POST", body: JSON.stringify({ name: "temp", scopes: ["read"] }) })).json()) as {
      key: string;
    };
    const sid2 = ((await signIn(created.key)).headers.get("set-cookie") ?? "").split(";")[0];
    assert.equal((await fetch(`${s.url}/api/v1/me`, { headers: { cookie: sid2 } })).status, 200);
    const keys = (await (await api(s, s.adminKey, "/api/v1/keys")).json()) as { keys: { id: string; name: string; scopes: string[] }[] };
    const temp = keys.keys.find((k) => k.name === "temp")!;
    assert.deepEqual(temp.scopes, ["read"]);
    assert.ok(!JSON.stringify(keys).includes(created.key));
    assert.equal((await api(s, readKey, `/api/v1/keys/${temp.id}`, { method: "DELETE" })).status, 403);
    const del = await api(s, s.adminKey, `/api/v1/keys/${temp.id}`, { method: "DELETE" });
    assert.equal(del.status, 200);
    assert.equal((await fetch(`${s.url}/api/v1/me`, { headers: { cookie: sid2 } })).status, 401);
    assert.equal((await api(s, created.key, "/api/v1/me")).status, 401);
    assert.equal((await api(s, s.adminKey, `/api/v1/keys/${temp.id}`, { method: "DELETE" })).status, 404);
  });

  it("keeps an audit log of admin actions, readable by admins only", async () => {
    const ws = await startTestServer({ before: [["keys", "create", "--workspace", "acme", "--scopes", "admin", "--name", "acme-admin"]] });
    try {
      const acme = ws.outputs[0].trim();
      await api(ws, acme, "/api/v1/settings", {
        method: "PATCH",
        body: JSON.stringify({ targets: { csat: 91 }, webhook_secrets: { zendesk: "0123456789abcdef" } }),
      });
      const k = (await (await api(ws, acme, "/api/v1/keys", { method: "POST", body: JSON.stringify({ name: "bot", scopes: ["ingest"] }) })).json()) as {
        key: string;
      };
      const list = (await (await api(ws, acme, "/api/v1/keys")).json()) as { keys: { id: string; name: string }[] };
      const bot = list.keys.find((x) => x.name === "bot")!;
      await api(ws, acme, `/api/v1/keys/${bot.id}`, { method: "DELETE" });
      assert.equal((await api(ws, k.key, "/api/v1/audit")).status, 401); // revoked
      const log = (await (await api(ws, acme, "/api/v1/audit")).json()) as { items: { action: string; actor: string; details: Record<string, unknown> }[] };
      const acmeAdmin = list.keys.find((x) => x.name === "acme-admin")!;
      assert.deepEqual(
        log.items.map((e) => [e.action, e.actor]),
        [
          ["key.revoked", `key ${acmeAdmin.id} (acme-admin)`],
          ["key.created", `key ${acmeAdmin.id} (acme-admin)`],
          ["settings.changed", `key ${acmeAdmin.id} (acme-admin)`],
          ["key.created", "cli"],
        ],
      );
      assert.deepEqual(log.items[0].details, { id: bot.id, name: "bot", scopes: ["ingest"] });
      // the secret itself is never written to the log
      assert.deepEqual(log.items[2].details, { changed: { targets: { csat: 91 }, webhook_secrets: { zendesk: "***" } } });
      // another workspace's admin sees none of it; a read key may not look
      const other = (await (await api(ws, ws.adminKey, "/api/v1/audit")).json()) as { items: unknown[] };
      assert.equal(other.items.length, 0);
      const reader = (await (await api(ws, acme, "/api/v1/keys", { method: "POST", body: JSON.stringify({ scopes: ["read"] }) })).json()) as { key: string };
      assert.equal((await api(ws, reader.key, "/api/v1/audit")).status, 403);
    } finally {
      await ws.stop();
    }
  });

  it("stores webhook secrets encrypted with a 0600 key outside the database; the data folder is 0700", async () => {
    const secret = "zd-very-secret-value-42";
    const r = await api(s, s.adminKey, "/api/v1/settings", { method: "PATCH", body: JSON.stringify({ webhook_secrets: { zendesk: secret } }) });
    assert.equal(r.status, 200);
    assert.equal(statSync(s.dataDir).mode & 0o777, 0o700);
    assert.equal(statSync(join(s.dataDir, "secret.key")).mode & 0o777, 0o600);
    // readers see it masked, admins in clear
    const masked = (await (await api(s, readKey, "/api/v1/settings")).json()) as { webhook_secrets: Record<string, string> };
    assert.deepEqual(masked.webhook_secrets, { zendesk: "***" });
    await s.stop(true);
    const prev = process.env.DESKPULSE_DATA;
    process.env.DESKPULSE_DATA = s.dataDir;
    const rt = await Runtime.open(join(s.dataDir, "deskpulse.duckdb"));
    try {
      const rows = await rt.store.query<{ value: string }>("SELECT value FROM settings WHERE name = 'workspace'");
      assert.equal(rows.length, 1);
      assert.ok(!rows[0].value.includes(secret), "the stored settings must not hold the secret in clear");
      assert.match(rows[0].value, /"zendesk":"enc:v1:/);
      assert.equal((await rt.settings("default")).webhook_secrets.zendesk, secret);
    } finally {
      await rt.close();
      if (prev === undefined) delete process.env.DESKPULSE_DATA;
      else process.env.DESKPULSE_DATA = prev;
    }
    s = await startTestServer({ dataDir: s.dataDir });
  });

  it("says where the admin key comes from: DESKPULSE_ADMIN_KEY is not claimed to be in a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dp-start-"));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DESKPULSE_DATA: dir, DESKPULSE_ADMIN_KEY: "dp_given_key", PORT: String(port), HOST: "127.0.0.1" };
    delete env.DESKPULSE_STORE;
    const proc = spawn(process.execPath, [CLI, "serve"], { env, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      await new Promise<void>((resolve, reject) => {
        proc.stdout.on("data", (d) => {
          out += d;
          if (out.includes("Dashboard:")) resolve();
        });
        proc.once("exit", () => reject(new Error(`serve exited: ${out}`)));
      });
      const line = out.split("\n").find((l) => l.includes("Admin key:"))!;
      assert.match(line, /dp_given_key/);
      assert.match(line, /from DESKPULSE_ADMIN_KEY/);
      assert.doesNotMatch(line, /kept in/);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
    } finally {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("rate limits", () => {
  let s: TestServer & { outputs: string[] };
  before(async () => {
    s = await startTestServer({ env: { DESKPULSE_RATE_LIMIT: "5", DESKPULSE_SIGNIN_LIMIT: "3" }, before: [["keys", "create", "--scopes", "read"]] });
  });
  after(() => s.stop());

  it("answers 429 with Retry-After past a key's limit, per key", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await api(s, s.adminKey, "/api/v1/me")).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    const r = await api(s, s.adminKey, "/api/v1/me");
    assert.equal(r.status, 429);
    // 5 a minute: one request's token comes back in 12 s
    const retry = Number(r.headers.get("retry-after"));
    assert.ok(retry >= 1 && retry <= 12, `Retry-After ${retry}`);
    assert.equal(((await r.json()) as Err).error.code, "rate_limited");
    // another key has its own budget
    assert.equal((await api(s, s.outputs[0].trim(), "/api/v1/me")).status, 200);
  });

  it("limits sign-in attempts per address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (
          await fetch(`${s.url}/api/v1/session`, {
            method: "POST",
            body: JSON.stringify({ key: `guess-${i}` }),
            headers: { "content-type": "application/json" },
          })
        ).status,
      );
    assert.deepEqual(statuses, [401, 401, 401, 429]);
  });
});
