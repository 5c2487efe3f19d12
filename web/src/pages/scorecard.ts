import { NAME_ALIASES } from "../../../src/metrics/catalog-text.js";
import { api, metrics } from "../api";
import { baseQuery, metricName, type PageContext, statusOf } from "../context";
import { h } from "../dom";
import { currentLang, fmt, fmtValue, t } from "../i18n";
import { numberInput } from "../number-input";
import { familyPage, sortableTable } from "./family";

const PERSPECTIVES = ["customers", "operations", "employees", "finance"] as const;

/** Balanced scorecard: every KPI with a target, by perspective; admins edit targets in place. */
export async function scorecard(root: HTMLElement, ctx: PageContext): Promise<void> {
  const lang = currentLang();
  const admin = ctx.scopes.includes("admin");
  const withTarget = [...ctx.catalog.values()].filter((m) => m.target !== null);
  // a search box that also knows the seed articles' (machine-translated) names of each metric
  const search = h("input", { type: "search", id: "metric-search", "aria-label": t("search_metric"), placeholder: t("search_metric") });
  search.addEventListener("input", () => {
    const q = search.value.trim().toLowerCase();
    for (const card of root.querySelectorAll<HTMLElement>(".kpi[data-metric]")) {
      const m = ctx.catalog.get(card.dataset.metric!);
      const words = [...Object.values(m?.names ?? {}), ...(NAME_ALIASES[card.dataset.metric!] ?? []), card.dataset.metric!].join(" ").toLowerCase();
      card.hidden = q !== "" && !words.includes(q);
    }
  });
  root.append(h("h1", {}, t("nav_scorecard")), h("p", { class: "muted" }, t("scorecard_help")), h("p", {}, search));
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
      // ▲ better / ▼ worse than the previous period, in the metric's own direction (a shorter wait is ▲)
      const delta = row?.value != null && prev != null ? row.value - prev : null;
      const better = delta === null || delta === 0 ? null : m.direction === "higher_is_better" ? delta > 0 : delta < 0;
      const trend = delta === null ? "" : delta === 0 ? `= ${t("unchanged")}` : better ? `▲ ${t("better")}` : `▼ ${t("worse")}`;
      const saved = h("span", { class: "muted", role: "status" });
      const target = targetEditor(m.unit, m.target as number, `${t("target")} ${metricName(ctx, m.id, lang)}`, !admin);
      grid.append(
        h(
          "div",
          { class: `card kpi ${st}`, "data-metric": m.id },
          h("button", { class: "link", type: "button", onclick: () => ctx.explain(m.id) }, metricName(ctx, m.id, lang)),
          h("span", { class: "value" }, fmtValue(row?.value ?? null, m.unit)),
          h("span", { class: "meta" }, `${t("target")}: ${fmtValue(m.target, m.unit)}`),
          h(
            "span",
            { class: "meta" },
            `${t("previous")}: ${fmtValue(prev, m.unit)} `,
            h(
              "span",
              { class: `trend ${better === null ? "" : better ? "better" : "worse"}`, "data-trend": better === null ? "same" : better ? "better" : "worse" },
              trend,
            ),
          ),
          h("span", { class: `status ${st}` }, t(`status_${st}` as Parameters<typeof t>[0])),
          h(
            "div",
            { class: "row muted target-edit" },
            target.el,
            admin
              ? h(
                  "button",
                  {
                    type: "button",
                    class: "primary",
                    onclick: async () => {
                      const v = target.value();
                      if (v === null) return;
                      await api("/settings", { method: "PATCH", body: JSON.stringify({ targets: { [m.id]: v } }) });
                      m.target = v;
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

/** A target input: durations as hours and minutes (as people think of them), other units as numbers. */
function targetEditor(unit: string, target: number, label: string, disabled: boolean): { el: HTMLElement; value(): number | null } {
  if (unit !== "seconds") {
    const input = numberInput(target, { "aria-label": label, disabled });
    return { el: h("label", { class: "row" }, t("target"), input.el), value: input.value };
  }
  const hours = Math.floor(target / 3600);
  const minutes = Math.round((target - hours * 3600) / 60);
  const hIn = numberInput(hours, { "aria-label": `${label} (${t("hours_short")})`, disabled, "data-part": "hours", inputmode: "numeric" });
  const mIn = numberInput(minutes, { "aria-label": `${label} (${t("minutes_short")})`, disabled, "data-part": "minutes", inputmode: "numeric" });
  const f = fmt();
  return {
    el: h("span", { class: "row" }, t("target"), hIn.el, f.unitWord("h"), mIn.el, f.unitWord("min")),
    value: () => {
      const hv = hIn.value();
      const mv = mIn.value();
      return hv === null && mv === null ? null : (hv ?? 0) * 3600 + (mv ?? 0) * 60;
    },
  };
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
      agents.map((a, i) => [fmt().integer(i + 1), a, ...ids.map((id) => fmtValue(cell(a, id)?.value ?? null, ctx.catalog.get(id)?.unit ?? "count"))]),
      agents.map((a, i) => [i + 1, a, ...ids.map((id) => (cell(a, id)?.value ?? Number.NEGATIVE_INFINITY) as number)]),
    ),
  );
  await familyPage(root, ctx, "agents");
}
