import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./server.js";

const BINARIES = ["/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server", "/usr/bin/clickhouse"];

export function clickhouseBinary(): { path: string; args: string[] } | null {
  for (const p of BINARIES) if (existsSync(p)) return { path: p, args: p.endsWith("/clickhouse") ? ["server"] : [] };
  return null;
}

/**
 * Whether a ClickHouse suite may run here. Under CI a missing server is a failure (the suite must
 * never silently skip there); locally the suite is skipped with this message.
 */
export function clickhouseSkipReason(): string | false {
  if (clickhouseBinary()) return false;
  if (process.env.CI) throw new Error("CI must run the ClickHouse suites: clickhouse-server is not installed (.ci/run apt-installs it)");
  return "clickhouse-server is not installed (apt-get install clickhouse-server); skipping";
}

export interface Cluster {
  /** store URL for Deskpulse: clickhouse://127.0.0.1:a,127.0.0.1:b/deskpulse?cluster=deskpulse (no `?cluster` when `distributed: false`) */
  url: string;
  httpPorts: number[];
  /** process ids of the servers (for their peak memory in benchmarks) */
  pids: number[];
  /** runs SQL on node `i` directly (its local tables), returning the response body */
  sql(i: number, query: string): Promise<string>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** number of clickhouse-server processes, one shard each (default 2) */
  shards?: number;
  /** false: the URL names no cluster, so the store uses plain MergeTree tables on the first node */
  distributed?: boolean;
}

/** Every server this process started, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of running) p.kill("SIGKILL");
});

/**
 * Starts clickhouse-server processes on this machine, one shard each, with a cluster `deskpulse`
 * over them (remote_servers on 127.0.0.1, free ports), each with its own temporary data folder.
 * The server is run directly with `--config-file`, with its own users file and every path under
 * the temporary folder, so it neither needs the packaged /etc config nor minds running as root.
 */
export async function startCluster(opts: number | ClusterOptions = {}): Promise<Cluster> {
  const { shards = 2, distributed = true } = typeof opts === "number" ? { shards: opts } : opts;
  const bin = clickhouseBinary();
  if (!bin) throw new Error("clickhouse-server is not installed (apt-get install clickhouse-server); .ci/run installs it");
  const root = mkdtempSync(join(tmpdir(), "dp-ch-"));
  const nodes: { http: number; tcp: number; inter: number; dir: string }[] = [];
  for (let i = 0; i < shards; i++) nodes.push({ http: await freePort(), tcp: await freePort(), inter: await freePort(), dir: join(root, `n${i}`) });
  const remote = `<remote_servers><deskpulse>${nodes.map((n) => `<shard><replica><host>127.0.0.1</host><port>${n.tcp}</port></replica></shard>`).join("")}</deskpulse></remote_servers>`;
  const procs: ChildProcess[] = [];
  const stopAll = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((res) => {
            if (p.exitCode !== null || p.signalCode !== null) return res();
            p.once("exit", () => res());
            // the data folder is thrown away, so nothing needs a clean shutdown (which takes ~8 s)
            p.kill("SIGKILL");
          }),
      ),
    );
    for (const p of procs) running.delete(p);
    rmSync(root, { recursive: true, force: true });
  };
  for (const n of nodes) {
    for (const d of ["data", "tmp", "log", "user_files", "format_schemas"]) mkdirSync(join(n.dir, d), { recursive: true });
    writeFileSync(
      join(n.dir, "users.xml"),
      `<?xml version="1.0"?><yandex><profiles><default><max_memory_usage>6000000000</max_memory_usage></default></profiles><users><default><password></password><networks><ip>::1</ip><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users><quotas><default></default></quotas></yandex>`,
    );
    writeFileSync(
      join(n.dir, "config.xml"),
      `<?xml version="1.0"?><yandex>
<logger><level>warning</level><log>${n.dir}/log/server.log</log><errorlog>${n.dir}/log/err.log</errorlog><console>0</console></logger>
<http_port>${n.http}</http_port><tcp_port>${n.tcp}</tcp_port><interserver_http_port>${n.inter}</interserver_http_port>
<listen_host>127.0.0.1</listen_host><path>${n.dir}/data/</path><tmp_path>${n.dir}/tmp/</tmp_path>
<user_files_path>${n.dir}/user_files/</user_files_path><format_schema_path>${n.dir}/format_schemas/</format_schema_path>
<mark_cache_size>268435456</mark_cache_size><users_config>${n.dir}/users.xml</users_config>
<default_profile>default</default_profile><default_database>default</default_database><timezone>UTC</timezone>
${remote}</yandex>`,
    );
    const p = spawn(bin.path, [...bin.args, `--config-file=${join(n.dir, "config.xml")}`], { stdio: "ignore" });
    procs.push(p);
    running.add(p);
  }
  const deadline = Date.now() + 60_000;
  for (const [i, n] of nodes.entries()) {
    for (;;) {
      try {
        const r = await fetch(`http://127.0.0.1:${n.http}/?query=SELECT%201`);
        if (r.ok && (await r.text()).trim() === "1") break;
      } catch {
        // not listening yet
      }
      const dead = procs[i].exitCode !== null || procs[i].signalCode !== null;
      if (dead || Date.now() > deadline) {
        let log = "";
        try {
          log = readFileSync(join(n.dir, "log", "err.log"), "utf8").slice(-2000);
        } catch {
          // no log written
        }
        await stopAll();
        throw new Error(
          `clickhouse-server on port ${n.http} ${dead ? `exited (${procs[i].exitCode ?? procs[i].signalCode})` : "did not answer in 60 s"}:\n${log}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url: `clickhouse://${nodes.map((n) => `127.0.0.1:${n.http}`).join(",")}/deskpulse${distributed ? "?cluster=deskpulse" : ""}`,
    httpPorts: nodes.map((n) => n.http),
    pids: procs.map((p) => p.pid ?? 0),
    async sql(i, query) {
      const r = await fetch(`http://127.0.0.1:${nodes[i].http}/`, { method: "POST", body: query });
      const body = await r.text();
      if (!r.ok) throw new Error(`node ${i}: ${body}`);
      return body;
    },
    stop: stopAll,
  };
}
