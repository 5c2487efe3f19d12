import { demoSettings, generateDemo } from "../demo/generate.js";
import { bulkIngest, type BulkItem } from "../pipeline/bulk.js";
import type { Runtime } from "../runtime.js";
import { Progress } from "./progress.js";

function* asItems(records: Iterable<Record<string, unknown>>): Iterable<BulkItem> {
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
    `Demo workspace "${workspace}": ${sum.stored.toLocaleString("en-US")} events stored in ${sum.seconds.toFixed(1)} s (${Math.round(sum.stored / sum.seconds).toLocaleString("en-US")}/s), ${sum.rejected} rejected.`,
  );
}
