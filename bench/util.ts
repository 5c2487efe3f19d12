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

export function numberFlag(name: string, dflt: number): number {
  const { values } = parseArgs({ options: { [name]: { type: "string" } }, strict: false });
  const v = values[name];
  return typeof v === "string" ? Number(v.replace(/_/g, "")) : dflt;
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
