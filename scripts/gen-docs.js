// `npm run docs`: writes docs/METRICS.md from the built catalog.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureBuilt, root } from "./setup.js";

ensureBuilt();
const { metricsMarkdown } = await import(join(root, "dist", "src", "metrics", "doc.js"));
writeFileSync(join(root, "docs", "METRICS.md"), metricsMarkdown());
console.log("wrote docs/METRICS.md");
