import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./server.js";

const BINARIES = ["/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server", "/usr/bin/clickhouse"];

export function clickhouseBinary(): { path: string; args: string[] } | null {
  for (const p of BINARIES) if (existsSync(p)) return { path: p, args: p.endsWith("/clickhouse") ? ["server"] : [] };
  return null;
}

export interface Cluster {
  /** store URL for Deskpulse: clickhouse://127.0.0.1:a,127.0.0.1:b/deskpulse?cluster=deskpulse */
  url: string;
  httpPorts: number[];
  stop(): Promise<void>;
}

/** Starts `shards` clickhouse-server processes on this machine, one shard each, with a cluster `deskpulse` over them. */
export async function startCluster(shards: number): Promise<Cluster> {
  const bin = clickhouseBinary();
  if (!bin) throw new Error("clickhouse-server is not installed (apt-get install clickhouse-server); .ci/run installs it");
  const root = mkdtempSync(join(tmpdir(), "dp-ch-"));
  const nodes: { http: number; tcp: number; inter: number; dir: string }[] = [];
  for (let i = 0; i < shards; i++) nodes.push({ http: await freePort(), tcp: await freePort(), inter: await freePort(), dir: join(root, `n${i}`) });
  const remote = `<remote_servers><deskpulse>${nodes.map((n) => `<shard><replica><host>127.0.0.1</host><port>${n.tcp}</port></replica></shard>`).join("")}</deskpulse></remote_servers>`;
  const procs: ChildProcess[] = [];
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
    procs.push(spawn(bin.path, [...bin.args, `--config-file=${join(n.dir, "config.xml")}`], { stdio: "ignore" }));
  }
  const deadline = Date.now() + 60_000;
  for (const n of nodes) {
    for (;;) {
      try {
        const r = await fetch(`http://127.0.0.1:${n.http}/?query=SELECT%201`);
        if (r.ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        for (const p of procs) p.kill("SIGKILL");
        throw new Error(`clickhouse-server on port ${n.http} did not start in 60 s (logs in ${n.dir}/log)`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url: `clickhouse://${nodes.map((n) => `127.0.0.1:${n.http}`).join(",")}/deskpulse?cluster=deskpulse`,
    httpPorts: nodes.map((n) => n.http),
    async stop() {
      await Promise.all(
        procs.map(
          (p) =>
            new Promise<void>((res) => {
              if (p.exitCode !== null || p.signalCode !== null) return res();
              p.once("exit", () => res());
              p.kill("SIGTERM");
              setTimeout(() => p.kill("SIGKILL"), 10_000).unref();
            }),
        ),
      );
      rmSync(root, { recursive: true, force: true });
    },
  };
}
