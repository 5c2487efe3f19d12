import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { UserError } from "../errors/user-error.js";
import { dryRun, type ImportOptions, openImport } from "../ingest/source.js";
import { bulkIngest } from "../pipeline/bulk.js";
import { rejectedRecords } from "../pipeline/rejected.js";
import { type CommandContext, count, str, ws } from "./args.js";
import { Progress } from "./progress.js";

function importOptions(ctx: CommandContext): ImportOptions {
  const opts: ImportOptions = {};
  const mappingFile = str(ctx.values, "mapping");
  if (mappingFile) {
    if (!existsSync(mappingFile)) throw new UserError("no_such_file", `mapping file ${mappingFile} does not exist`);
    try {
      opts.mapping = JSON.parse(readFileSync(mappingFile, "utf8"));
    } catch (e) {
      throw new UserError("invalid_mapping", `mapping file ${mappingFile} is not valid JSON: ${(e as Error).message}`);
    }
  }
  const agents = str(ctx.values, "agents");
  if (agents)
    opts.agents = agents
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const format = str(ctx.values, "format");
  if (format) opts.format = format as ImportOptions["format"];
  return opts;
}

export async function runImport(ctx: CommandContext): Promise<void> {
  const file = ctx.positionals[0];
  if (!file) throw new UserError("usage", "usage: deskpulse import FILE [--mapping M.json] [--dry-run]");
  if (!existsSync(file)) throw new UserError("no_such_file", `${file} does not exist`);
  const opts = importOptions(ctx);
  if (ctx.values["dry-run"]) {
    const r = await dryRun(file, opts);
    const out = str(ctx.values, "write-mapping") ?? `${file}.mapping.json`;
    writeFileSync(out, `${JSON.stringify(r.mapping, null, 2)}\n`);
    console.log(`Shape: ${r.shape}`);
    console.log(`Mapping (written to ${out}; edit it and pass --mapping ${out}):`);
    console.log(JSON.stringify(r.mapping, null, 2));
    console.log(`\nSample of the events it would derive:`);
    for (const e of r.sample) console.log(`  ${JSON.stringify(e)}`);
    if (r.unplaced.length) console.log(`\nColumns it could not place:\n${r.unplaced.map((u) => `  - ${u.column}: ${u.why}`).join("\n")}`);
    console.log(
      r.problems.length
        ? `\nProblems:\n${r.problems.map((p) => `  - ${p}`).join("\n")}`
        : `\nNo problems seen in the sample${r.unplaced.length ? " (but check the columns it could not place)" : ""}.`,
    );
    console.log("\nNothing was stored (dry run).");
    return;
  }
  const rt = await ctx.openRuntime();
  const started = Date.now();
  try {
    const src = await openImport(file, opts);
    const p = new Progress(`import ${basename(file)}`);
    const rejectsFile = str(ctx.values, "rejects") ?? `${file}.rejected.ndjson`;
    const derived = { n: 0 };
    const counted = (async function* () {
      for await (const it of src.items) {
        if (it.kind === "record") derived.n++;
        yield it;
      }
    })();
    const sum = await bulkIngest(rt, ws(ctx.values), counted, `import:${basename(file)}`, (s, phase) => {
      if (phase === "loading") p.update(src.rowsRead() ?? s.read, "rows", src.totalBytes ? src.bytesRead() / src.totalBytes : undefined);
      else process.stderr.write("\nprojecting facts…\n");
    });
    p.done();
    console.log(`Imported ${file} (${src.describe}) in ${sum.seconds.toFixed(1)} s:`);
    const rows = src.rowsRead();
    // rows of the file (a snapshot row can yield several events, a ticket row up to five)
    if (rows !== null) console.log(`  rows read   ${count(rows)}`);
    console.log(`  events      ${count(derived.n)}  (derived from the rows)`);
    console.log(`  stored      ${count(sum.stored)}`);
    console.log(`  duplicates  ${count(sum.duplicates)}  (already stored; re-running an import is safe)`);
    if (sum.conflicts) console.log(`  conflicts   ${count(sum.conflicts)}  (ids already stored with a different payload; listed with the rejected)`);
    console.log(`  rejected    ${count(sum.rejected)}${sum.rejected ? "  (see 'deskpulse rejected')" : ""}`);
    console.log(`  flagged     ${count(sum.flagged)}`);
    for (const r of sum.examples.slice(0, 10)) console.log(`    row ${r.index}: ${r.field || "(record)"} — ${r.reason}`);
    if (sum.rejected > 0) {
      // the dead-letter file: every rejected row of this import with its row, field, reason and text
      const rows = (await rejectedRecords(rt.store, ws(ctx.values), { origin: `import:${basename(file)}`, since: started, order: "position" })).map(
        ({ position, field, reason, record }) => ({ position, field, reason, record }),
      );
      writeFileSync(rejectsFile, rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length ? "\n" : ""));
      console.log(`  rejected rows written to ${rejectsFile}`);
    }
  } finally {
    await rt.close();
  }
}
