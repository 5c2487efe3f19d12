import { isUserError, UserError } from "../errors/user-error.js";
import { rejectedRecords } from "../pipeline/rejected.js";
import type { Runtime } from "../runtime.js";
import { type CommandContext, count, int, ws } from "./args.js";
import { Progress } from "./progress.js";

/** `rejected [--limit N] [--json]`: what the log refused or the projector quarantined, newest first. */
export async function runRejected(rt: Runtime, ctx: CommandContext): Promise<void> {
  const rows = await rejectedRecords(rt.store, ws(ctx.values), { limit: int(ctx.values, "limit", 50) });
  if (ctx.values.json) {
    for (const r of rows) console.log(JSON.stringify({ ...r, received_at: new Date(r.received_at).toISOString() }));
    return;
  }
  if (rows.length === 0) console.log("Nothing was rejected.");
  for (const r of rows)
    console.log(`${new Date(r.received_at).toISOString()}  ${r.origin}  #${r.position}  ${r.field ?? "-"}: ${r.reason}\n    ${r.record?.slice(0, 200)}`);
}

/** `rebuild`: every fact recomputed from the log, swapped in whole; on failure the old facts stay. */
export async function runRebuild(rt: Runtime, ctx: CommandContext): Promise<void> {
  const p = new Progress("rebuild");
  const t0 = performance.now();
  let r: { events: number; quarantined: number };
  try {
    r = await rt.rebuild(ws(ctx.values), (n) => p.update(n, "events"));
  } catch (e) {
    p.done();
    if (isUserError(e)) throw e;
    throw new UserError("rebuild_failed", `the rebuild failed and the previous facts are kept: ${(e as Error)?.message ?? e}`);
  }
  p.done();
  console.log(`Rebuilt facts from ${count(r.events)} events in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
  if (r.quarantined > 0) console.log(`${count(r.quarantined)} events could not be folded and are quarantined: see 'deskpulse rejected'.`);
}
