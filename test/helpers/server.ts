import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = new URL("../../../", import.meta.url).pathname;
export const CLI = join(ROOT, "dist", "src", "cli", "main.js");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface TestServer {
  url: string;
  adminKey: string;
  dataDir: string;
  proc: ChildProcess;
  /** stop the server and delete its data unless `keepData` */
  stop(keepData?: boolean): Promise<void>;
}

/** Runs the real CLI (`deskpulse serve`) on a fresh data folder, optionally after `deskpulse demo`. */
export async function startTestServer(
  opts: { demoTickets?: number; dataDir?: string; adminKey?: string; env?: Record<string, string>; before?: string[][] } = {},
): Promise<TestServer & { outputs: string[] }> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "deskpulse-test-"));
  const adminKey = opts.adminKey ?? "dp_test_admin_key";
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DESKPULSE_DATA: dataDir, DESKPULSE_ADMIN_KEY: adminKey, PORT: String(port), HOST: "127.0.0.1", ...opts.env };
  delete env.DESKPULSE_STORE;
  const outputs: string[] = [];
  for (const args of opts.before ?? []) {
    const r = spawnSync(process.execPath, [CLI, ...args], { env, cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`deskpulse ${args.join(" ")} failed: ${r.stderr}`);
    outputs.push(r.stdout);
  }
  if (opts.demoTickets) {
    const r = spawnSync(process.execPath, [CLI, "demo", "--tickets", String(opts.demoTickets)], { env, cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`deskpulse demo failed: ${r.stderr}`);
  }
  // DESKPULSE_SERVER_NODE_ARGS: extra node options for the server child (a bench's `--cpu-prof`, say)
  const nodeArgs = (process.env.DESKPULSE_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, CLI, "serve"], { env, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  proc.stdout?.on("data", (d) => {
    log += d;
  });
  proc.stderr?.on("data", (d) => {
    log += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`server exited with ${proc.exitCode}: ${log}`);
    try {
      const r = await fetch(`${url}/api/v1/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`server did not become healthy in 30 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    adminKey,
    dataDir,
    proc,
    outputs,
    async stop(keepData = false) {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        await exited;
      }
      if (!keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** fetch against the test server with a key */
export function api(s: { url: string }, key: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${key}`);
  if (init.body && typeof init.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
  return fetch(`${s.url}${path}`, { ...init, headers });
}
