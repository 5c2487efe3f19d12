// `npm start`: install if needed, build if needed, then start Deskpulse on the embedded store
// (filling an empty store with the demo workspace) and print where the dashboard is.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureBuilt, ensureInstalled, root } from "./setup.js";

ensureInstalled();
ensureBuilt();
const { NODE_FLAGS } = await import(join(root, "dist", "src", "cli", "node-flags.js"));
const r = spawnSync(process.execPath, [...NODE_FLAGS, join(root, "dist", "src", "cli", "main.js"), "start", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
