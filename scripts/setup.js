// Shared by `npm start` and `npm test`: install dependencies and build when a fresh checkout
// (or a changed lock file or source tree) needs it. Uses only Node built-ins: it runs before
// any dependency exists.
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const root = new URL("..", import.meta.url).pathname;

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === "dist") continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function run(cmd) {
  execSync(cmd, { cwd: root, stdio: "inherit", env: process.env });
}

export function ensureInstalled() {
  const marker = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
    // `npm install`, not `npm ci`: npm's lock file omits other platforms' optional binaries
    // (biome, duckdb), which makes `npm ci` refuse it; install still follows the locked versions.
    console.error("Installing dependencies (npm install)…");
    run("npm install --no-audit --no-fund");
  }
}

/** Builds when dist/ is missing or older than any source file. */
export function ensureBuilt({ force = false } = {}) {
  const stamp = join(root, "dist", ".built");
  const src = Math.max(newest(join(root, "src")), newest(join(root, "web")), newest(join(root, "test")), newest(join(root, "bench")));
  if (force || !existsSync(stamp) || statSync(stamp).mtimeMs < src) {
    console.error("Building (tsc + vite)…");
    run("npm run build --silent");
    run(`node -e "require('fs').writeFileSync('dist/.built', String(Date.now()))"`);
  }
}
