import { api, metrics } from "../api";
import { baseQuery, metricName, type PageContext, statusOf } from "../context";
import { h } from "../dom";
import { currentLang, fmtValue, t } from "../i18n";
import { familyPage, sortableTable } from "./family";

const PERSPECTIVES = ["customers", "operations", "employees", "finance"] as const;

/** Balanced scorecard: every KPI with a target, by perspective; admins edit targets in place. */
export async function scorecard(root: HTMLElement, ctx: PageContext): Promise<void> {
  const lang = currentLang();
  const admin = ctx.scopes.includes("admin");
  const withTarget = [...ctx.catalog.values()].filter((m) => m.target !== null);
  root.append(h("h1", {}, t("nav_scorecard")), h("p", { class: "muted" }, t("scorecard_help")));
  const res = await metrics({ ...baseQuery(ctx), metrics: withTarget.map((m) => m.id), compare: true });
  for (const p of PERSPECTIVES) {
    const list = withTarget.filter((m) => m.perspective === p);
    if (!list.length) continue;
    root.append(h("h2", {}, t(`perspective_${p}` as Parameters<typeof t>[0])));
    const grid = h("div", { class: "grid wide" });
    root.append(grid);
    for (const m of list) {
      const row = res.rows.find((r) => r.metric === m.id && !r.group);
      const st = statusOf(row?.value ?? null, m.target, m.direction);
      const prev = row?.previous?.value ?? null;
      const better = row?.value != null && prev != null ? (m.direction === "higher_is_better" ? row.value >= prev : row.value <= prev) : null;
      // durations are stored in seconds but edited in hours, as people think of them
      const scale = m.unit === "seconds" ? 3600 : 1;
      const input = h("input", { type: "number", step: "any", value: String((m.target as number) / scale), "aria-label": `${t("target")} ${metricName(ctx, m.id, lang)}`, disabled: !admin, style: "width:7em" });
      const saved = h("span", { class: "muted", role: "status" });
      grid.append(
        h(
          "div",
          { class: `card kpi ${st}`, "data-metric": m.id },
          h("button", { class: "link", type: "button", onclick: () => ctx.explain(m.id) }, metricName(ctx, m.id, lang)),
          h("span", { class: "value" }, fmtValue(row?.value ?? null, m.unit)),
          h("span", { class: "meta" }, `${t("previous")}: ${fmtValue(prev, m.unit)} ${better === null ? "" : better ? "▲" : "▼"}`),
          h("span", { class: `status ${st}` }, t(`status_${st}` as Parameters<typeof t>[0])),
          h(
            "label",
            { class: "row muted" },
            t("target"),
            input,
            scale === 3600 ? t("unit_h") : "",
            admin
              ? h(
                  "button",
                  {
                    type: "button",
                    class: "primary",
                    onclick: async () => {
                      await api("/settings", { method: "PATCH", body: JSON.stringify({ targets: { [m.id]: Number(input.value) * scale } }) });
                      m.target = Number(input.value) * scale;
                      saved.textContent = t("saved");
                    },
                  },
                  t("save"),
                )
              : null,
            saved,
          ),
        ),
      );
    }
  }
}

/** Agent scorecards and leaderboard: the catalog's definitions, grouped by agent. */
export async function agentsPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const lang = currentLang();
  const res = await metrics({ ...baseQuery(ctx), metrics: ["agent_scorecard"] });
  const ids = [...new Set(res.rows.map((r) => r.metric))];
  const agents = [...new Set(res.rows.map((r) => r.group?.agent ?? "–"))].filter((a) => a !== "–").sort();
  const cell = (a: string, id: string) => res.rows.find((r) => r.metric === id && r.group?.agent === a);
  const solved = (a: string) => cell(a, "tickets_solved")?.numerator ?? 0;
  agents.sort((x, y) => (solved(y) as number) - (solved(x) as number));
  root.append(h("h1", {}, `${t("nav_agents")} — ${t("leaderboard")}`));
  root.append(
    sortableTable(
      [t("rank"), t("agent"), ...ids.map((id) => metricName(ctx, id, lang))],
      agents.map((a, i) => [String(i + 1), a, ...ids.map((id) => fmtValue(cell(a, id)?.value ?? null, ctx.catalog.get(id)?.unit ?? "count"))]),
      agents.map((a, i) => [i + 1, a, ...ids.map((id) => (cell(a, id)?.value ?? Number.NEGATIVE_INFINITY) as number)]),
    ),
  );
  await familyPage(root, ctx, "agents");
}
