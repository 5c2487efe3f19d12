import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

/** Peak resident memory of this process, in MB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Peak resident memory of another process (Linux), in MB. */
export function peakRssOfPid(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

/** CPU seconds (user + system, all threads) another process has used so far (Linux). */
export function cpuSecondsOfPid(pid: number | string): number {
  // fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100/s)
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** CPU seconds (user + system, all threads) this process has used since `since` (a process.cpuUsage()). */
export function cpuSeconds(since?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

/** The machine's 1-minute load average, for the record: wall-clock figures depend on it. */
export function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ")[0];
}

export function numberFlag(name: string, dflt: number): number {
  const { values } = parseArgs({ options: { [name]: { type: "string" } }, strict: false });
  const v = values[name];
  return typeof v === "string" ? Number(v.replace(/_/g, "")) : dflt;
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
