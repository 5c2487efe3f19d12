// `npm run bench`: builds, then runs every compiled bench script in turn (pass names to pick some:
// `npm run bench -- ingest-bulk overview`). Extra flags go after `--`, e.g. `-- --tickets 1000000`.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ensureBuilt, ensureInstalled, root } from "../scripts/setup.js";

ensureInstalled();
ensureBuilt();
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith("--") && !/^\d/.test(a));
const flags = args.filter((a) => !names.includes(a));
const dir = join(root, "dist", "bench");
const all = readdirSync(dir).filter((f) => f.endsWith(".js") && f !== "util.js" && f !== "run.js");
for (const f of all.filter((f) => names.length === 0 || names.includes(f.replace(/\.js$/, "")))) {
  console.log(`\n== ${f.replace(/\.js$/, "")}`);
  execFileSync(process.execPath, [join(dir, f), ...flags], { stdio: "inherit", cwd: root });
}
