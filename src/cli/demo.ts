import { demoSettings, generateDemo } from "../demo/generate.js";
import type { ImportItem } from "../ingest/source.js";
import { bulkIngest } from "../pipeline/bulk.js";
import type { Runtime } from "../runtime.js";
import { type CommandContext, count, int, ws } from "./args.js";
import { Progress } from "./progress.js";

function* asItems(records: Iterable<Record<string, unknown>>): Iterable<ImportItem> {
  let i = 0;
  for (const record of records) yield { kind: "record", position: i++, record };
}

export async function runDemo(rt: Runtime, workspace: string, opts: { tickets: number; seed: number; endMs: number }): Promise<void> {
  // the demo's own calendar (London, bank holidays) and SLA policies, so business-hours numbers fit the data
  await rt.saveSettings(workspace, demoSettings());
  const p = new Progress("demo");
  const sum = await bulkIngest(rt, workspace, asItems(generateDemo({ ...opts, workspace })), "demo", (s, phase) =>
    phase === "loading" ? p.update(s.stored, "events") : undefined,
  );
  p.done();
  console.log(
    `Demo workspace "${workspace}": ${count(sum.stored)} events stored in ${sum.seconds.toFixed(1)} s (${count(Math.round(sum.stored / sum.seconds))}/s), ${sum.rejected} rejected.`,
  );
}

/** `demo [--tickets N] [--seed S]` */
export const runDemoCommand = (rt: Runtime, ctx: CommandContext): Promise<void> =>
  runDemo(rt, ws(ctx.values), { tickets: int(ctx.values, "tickets", 20_000), seed: int(ctx.values, "seed", 7), endMs: Date.now() });
