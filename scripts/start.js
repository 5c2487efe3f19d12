// `npm start`: install if needed, build if needed, then start Deskpulse on the embedded store
// (filling an empty store with the demo workspace) and print where the dashboard is.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureBuilt, ensureInstalled, root } from "./setup.js";

ensureInstalled();
ensureBuilt();
const r = spawnSync(process.execPath, [join(root, "dist", "src", "cli", "main.js"), "start", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
