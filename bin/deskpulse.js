#!/usr/bin/env node
// Runs the built CLI; builds it first when a fresh checkout has no dist/ yet.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const main = join(root, "dist", "src", "cli", "main.js");
if (!existsSync(main)) execSync("npm run build", { cwd: root, stdio: "inherit" });
await import(main);
