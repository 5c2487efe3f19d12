// `npm test`: install if needed, then type-check and build (tsc fails on any type error),
// lint (Biome), and run every test — unit, store, HTTP, ClickHouse cluster, browser — with
// Node's test runner on the compiled output.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ensureBuilt, ensureInstalled, root, run } from "./setup.js";

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith(".test.js") ? [join(dir, e.name)] : [],
  );
}

ensureInstalled();
ensureBuilt({ force: true });
run("npx biome check --diagnostic-level=error .");
// `npm test -- store web` runs only test/store and test/web
const only = process.argv.slice(2);
const dirs = only.length ? only.map((t) => join(root, "dist", "test", t)) : [join(root, "dist", "test")];
const files = dirs.flatMap(testFiles).map((f) => f.slice(root.length));
// One file at a time: the browser test measures a live update against a deadline, and the
// ClickHouse cluster and DuckDB suites beside it on 2 cores can starve it.
run(`node --test --test-concurrency=1 ${files.join(" ")}`);
