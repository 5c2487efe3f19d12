import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { CATALOG } from "../../src/metrics/catalog.js";
import { metricsMarkdown } from "../../src/metrics/doc.js";
import { ROOT } from "../helpers/server.js";

it("docs/METRICS.md is the catalog as it is now (run npm run docs after changing it)", () => {
  assert.equal(readFileSync(join(ROOT, "docs", "METRICS.md"), "utf8"), metricsMarkdown());
});

it("the catalog covers every metric id of the KPI spec", () => {
  // a copy of the spec's KPIS.md kept in the repository: tests read nothing outside it (refresh the copy when the spec changes)
  const spec = readFileSync(join(ROOT, "test", "fixtures", "spec", "KPIS.md"), "utf8");
  const ids = [...spec.matchAll(/^\| ([a-z_]+) \|/gm)].map((m) => m[1]).filter((id) => id !== "id");
  const ours = new Set([...CATALOG.map((m) => m.id), "agent_scorecard"]);
  assert.ok(ids.length >= 30, `found ${ids.length} ids in KPIS.md`);
  assert.deepEqual(
    ids.filter((id) => !ours.has(id)),
    [],
  );
  for (const m of CATALOG) for (const lang of ["en", "ar", "fa", "zh-Hant"] as const) assert.ok(m.names[lang], `${m.id} has a ${lang} name`);
});
