import { AGENT_SCORECARD, CATALOG } from "./catalog.js";

/** docs/METRICS.md, written from the catalog (a test keeps the file in step with it). */
export function metricsMarkdown(): string {
  const families = [...new Set(CATALOG.map((m) => m.family))];
  const out = [
    "# Metric definitions",
    "",
    "Generated from `src/metrics/catalog.ts` by `npm run docs` — the same definitions the API's",
    "`GET /api/v1/metrics/catalog` returns and the dashboard shows. Durations are in seconds and",
    "come with count, mean, median, p90 and any percentile asked for (linear interpolation between",
    "closest ranks); rates are percentages with their numerator and denominator. Every metric can be",
    "asked for in calendar or business hours where it is a duration, bucketed by hour … year, grouped",
    "and filtered by channel, agent, team, priority, topic, tag, customer segment or a custom field",
    "(where its facts carry that dimension), and compared with the previous period.",
    "",
    "A human agent reply is a public message by an agent: bot, automation and system messages and",
    "internal notes never count as replies. Tickets and contacts flagged with impossible times",
    "(`ts_out_of_range`, `reply_before_created`) are left out of every metric, and each number says",
    "how many it left out (`excluded`).",
    "",
  ];
  for (const f of families) {
    out.push(`## ${f.replace("_", "-")}`, "");
    for (const m of CATALOG.filter((x) => x.family === f)) {
      out.push(`### \`${m.id}\` — ${m.names.en}`, "");
      out.push(`${m.names.ar} · ${m.names.fa} · ${m.names["zh-Hant"]}`, "");
      out.push(m.definition, "");
      out.push(`- **Formula:** ${m.formula}`);
      out.push(`- **Counted in the period of:** ${m.attribution}`);
      out.push(`- **Unit:** ${m.unit}; **${m.direction.replace(/_/g, " ")}**; default target: ${m.target ?? "none"}; scorecard perspective: ${m.perspective}`);
      out.push(`- **Drill-down lists:** ${m.drill.columns.join(", ")}`, "");
    }
  }
  out.push(
    "## Agent scorecard",
    "",
    `\`agent_scorecard\` asks for ${AGENT_SCORECARD.map((x) => `\`${x}\``).join(", ")} grouped by agent: the same definitions as everywhere else.`,
    "",
  );
  return out.join("\n");
}
