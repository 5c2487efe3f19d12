import { UserError } from "../errors/user-error.js";
import { dataDir, Runtime } from "../runtime.js";

/**
 * What every command shares: its parsed options, the store it opens, the workspace it acts on and
 * how it prints counts. Commands import from here, never from the command table (commands.ts),
 * so the table can load them lazily without an import cycle.
 */
export type Values = Record<string, string | boolean | string[] | undefined>;
export interface CommandContext {
  values: Values;
  positionals: string[];
  openRuntime(): Promise<Runtime>;
}
export type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; default?: string | boolean; multiple?: boolean }>;
export interface Command {
  name: string;
  usage: string;
  summary: string;
  options?: OptionSpec;
  run(ctx: CommandContext): Promise<void>;
}

export const str = (v: Values, k: string): string | undefined => (typeof v[k] === "string" ? (v[k] as string) : undefined);
/** `--workspace NAME`, default "default" */
export const ws = (v: Values): string => str(v, "workspace") ?? "default";
export function int(v: Values, k: string, dflt: number): number {
  const s = str(v, k);
  if (s === undefined) return dflt;
  const n = Number(s.replace(/_/g, ""));
  if (!Number.isFinite(n) || n < 0) throw new UserError("invalid_option", `--${k} must be a positive number, got "${s}"`);
  return n;
}
/** a comma-separated option as a list, blanks dropped */
export const list = (v: Values, k: string): string[] =>
  (str(v, k) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** A count as the CLI prints it: 12,345 */
export const count = (n: number): string => n.toLocaleString("en-US");

/** The store of DESKPULSE_DATA / DESKPULSE_STORE; a lock held by a running server is said plainly. */
export async function openRuntime(): Promise<Runtime> {
  try {
    return await Runtime.open();
  } catch (e) {
    if (/lock/i.test(String(e)))
      throw new UserError(
        "store_in_use",
        `the store in ${dataDir()} is open in another process (a running 'deskpulse serve'?). Stop it, or send data through its HTTP API.`,
      );
    throw e;
  }
}

/** Runs `fn` on the opened store and closes it after, whatever happens. */
export async function withRuntime<T>(ctx: CommandContext, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await ctx.openRuntime();
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
