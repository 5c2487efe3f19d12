import { api, type MetricRow, metrics } from "../api";
import { chart } from "../charts";
import { baseQuery, metricName, type PageContext, statusOf } from "../context";
import { h } from "../dom";
import { currentLang, fmtDate, fmtNumber, fmtValue, locale, t } from "../i18n";

const DIMS = ["channel", "agent", "team", "priority", "topic"] as const;

function grainFor(from: string, to: string): string {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  // Persian readers get Solar Hijri months (their dates are already shown in that calendar)
  return days <= 35 ? "day" : days <= 200 ? "week" : currentLang() === "fa" ? "persian_month" : "month";
}

/** A sortable table: click a header to sort by it. */
export function sortableTable(headers: string[], rows: (string | number | Node)[][], sortValues: (number | string)[][]): HTMLTableElement {
  const tbody = h("tbody");
  let order: number[] = rows.map((_, i) => i);
  let sortCol = -1;
  let asc = true;
  const render = () => {
    tbody.replaceChildren(...order.map((i) => h("tr", {}, ...rows[i].map((c) => h("td", {}, c)))));
  };
  const head = h(
    "tr",
    {},
    ...headers.map((label, col) =>
      h(
        "th",
        { scope: "col" },
        h(
          "button",
          {
            type: "button",
            onclick: () => {
              asc = sortCol === col ? !asc : false;
              sortCol = col;
              order = [...order].sort((a, b) => {
                const x = sortValues[a][col];
                const y = sortValues[b][col];
                const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
                return asc ? c : -c;
              });
              render();
            },
          },
          label,
        ),
      ),
    ),
  );
  render();
  return h("table", {}, h("thead", {}, head), tbody);
}

/** A page per KPI family: values against targets, trends with the previous period, breakdowns, distributions. */
export async function familyPage(root: HTMLElement, ctx: PageContext, family: string): Promise<void> {
  const lang = currentLang();
  const ids = [...ctx.catalog.values()].filter((m) => m.family === family).map((m) => m.id);
  root.append(h("h1", {}, t(`nav_${family}` as Parameters<typeof t>[0])));
  const cards = h("div", { class: "grid" });
  root.append(cards);
  const grain = grainFor(ctx.state.from, ctx.state.to);
  const [total, series] = await Promise.all([
    metrics({ ...baseQuery(ctx), metrics: ids, compare: true }),
    metrics({ ...baseQuery(ctx), metrics: ids, grain, compare: true }),
  ]);
  const stat = (m: { unit: string }, r: MetricRow) => (m.unit === "seconds" && ctx.state.stat === "median" ? (r.median ?? null) : r.value);
  for (const id of ids) {
    const m = ctx.catalog.get(id)!;
    // metrics that always group (shares by channel, counts by topic) show their largest group
    const top = total.rows.filter((x) => x.metric === id && x.group).sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0];
    const r = total.rows.find((x) => x.metric === id && !x.group) ?? top;
    const value = r ? stat(m, r) : null;
    const st = statusOf(r?.value ?? null, m.target, m.direction);
    const label = r?.group ? ` — ${Object.values(r.group).join(", ")}` : "";
    cards.append(
      h(
        "button",
        { class: `card kpi ${st}`, "data-metric": id, onclick: () => ctx.explain(id) },
        h("span", { class: "label" }, `${metricName(ctx, id, lang)}${label}`),
        h("span", { class: "value" }, r ? fmtValue(value, m.unit) : t("no_data")),
        h("span", { class: "meta" }, `${t("previous")}: ${fmtValue(r?.previous?.value ?? null, m.unit)}${m.target !== null ? ` · ${t("target")}: ${fmtValue(m.target, m.unit)}` : ""}`),
      ),
    );
  }
  // Trends: this period solid, previous period dashed, for the first metrics with data.
  root.append(h("h2", {}, t("trend")), h("p", { class: "muted" }, t("trend_help")));
  const trends = h("div", { class: "grid wide" });
  root.append(trends);
  for (const id of ids.filter((x) => series.rows.some((r) => r.metric === x && r.bucket && !r.group)).slice(0, 8)) {
    const m = ctx.catalog.get(id)!;
    const rows = series.rows.filter((r) => r.metric === id && r.bucket && !r.group);
    const box = h("div", { class: "chart" });
    trends.append(h("div", { class: "card" }, h("div", { class: "label" }, metricName(ctx, id, lang)), box));
    const scale = m.unit === "seconds" ? 1 / 3600 : 1;
    chart(box, {
      grid: { left: 48, right: 16, top: 16, bottom: 30 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: rows.map((r) => fmtDate(r.bucket!)) },
      yAxis: { type: "value", name: m.unit === "seconds" ? t("unit_h") : "" },
      series: [
        { type: "line", name: t("value"), data: rows.map((r) => (stat(m, r) === null ? null : (stat(m, r) as number) * scale)), smooth: true },
        { type: "line", name: t("previous"), data: rows.map((r) => (r.previous?.value == null ? null : r.previous.value * scale)), lineStyle: { type: "dashed" } },
      ],
    });
  }
  // Breakdown by a dimension, sortable.
  const dimSel = h("select", { "aria-label": t("group_by") }, ...DIMS.map((d) => h("option", { value: d }, t(d))));
  const breakdown = h("div", {});
  root.append(h("h2", {}, t("breakdown")), h("label", { class: "row" }, t("group_by"), dimSel), breakdown);
  const renderBreakdown = async () => {
    const dim = dimSel.value;
    const res = await metrics({ ...baseQuery(ctx), metrics: ids, groupBy: [dim] });
    const groups = [...new Set(res.rows.filter((r) => r.group).map((r) => r.group![dim] ?? "–"))].sort();
    const shown = ids.filter((id) => res.rows.some((r) => r.metric === id && r.group));
    const cell = (g: string, id: string) => res.rows.find((r) => r.metric === id && (r.group?.[dim] ?? "–") === g);
    breakdown.replaceChildren(
      sortableTable(
        [t(dim as Parameters<typeof t>[0]), ...shown.map((id) => metricName(ctx, id, lang))],
        groups.map((g) => [g, ...shown.map((id) => fmtValue(cell(g, id) ? stat(ctx.catalog.get(id)!, cell(g, id)!) : null, ctx.catalog.get(id)!.unit))]),
        groups.map((g) => [g, ...shown.map((id) => (cell(g, id)?.value ?? Number.NEGATIVE_INFINITY) as number)]),
      ),
    );
  };
  dimSel.addEventListener("change", () => void renderBreakdown());
  await renderBreakdown();
  // Distribution of the first duration metric: histogram with median and p90 marked.
  const duration = ids.find((id) => ctx.catalog.get(id)!.unit === "seconds" && total.rows.some((r) => r.metric === id && r.count));
  if (duration) {
    const r = total.rows.find((x) => x.metric === duration && !x.group)!;
    const dd = await api<{ items: Record<string, number>[] }>("/metrics/drilldown", {
      method: "POST",
      body: JSON.stringify({ metric: duration, from: ctx.state.from, to: ctx.state.to, filters: baseQuery(ctx).filters, pageSize: 5000 }),
    });
    const col = Object.keys(dd.items[0] ?? {}).find((k) => k.endsWith(ctx.state.clock === "business" ? "_bs" : "_s") && !k.startsWith("sla"));
    const values = dd.items.map((i) => (col ? Number(i[col]) : Number.NaN)).filter((v) => Number.isFinite(v)).map((v) => v / 3600);
    if (values.length) {
      const p99 = [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)] || 1;
      const bins = 30;
      const width = p99 / bins;
      const counts = new Array(bins).fill(0);
      for (const v of values) counts[Math.min(bins - 1, Math.floor(v / width))]++;
      const box = h("div", { class: "chart" });
      root.append(h("h2", {}, `${t("distribution")}: ${metricName(ctx, duration, lang)}`), h("div", { class: "card" }, box));
      const at = (s: number | null | undefined) => (s == null ? 0 : Math.min(bins - 1, Math.floor(s / 3600 / width)));
      chart(box, {
        grid: { left: 48, right: 16, top: 24, bottom: 30 },
        tooltip: {},
        xAxis: { type: "category", data: counts.map((_, i) => fmtNumber(i * width, 1)), name: t("unit_h") },
        yAxis: { type: "value" },
        series: [
          {
            type: "bar",
            data: counts,
            markLine: {
              symbol: "none",
              data: [
                { xAxis: at(r.median), label: { formatter: t("median_marker") } },
                { xAxis: at(r.p90), label: { formatter: t("p90_marker") } },
              ],
            },
          },
        ],
      });
    }
  }
  if (family === "volume") await volumeExtras(root, ctx);
}

/** Weekday × hour heatmap (from hourly volume, in the browser's zone) and cases by topic month over month. */
async function volumeExtras(root: HTMLElement, ctx: PageContext): Promise<void> {
  const hourly = await metrics({ ...baseQuery(ctx), metrics: ["ticket_volume"], grain: "hour" });
  const grid: number[][] = Array.from({ length: 7 }, () => new Array(24).fill(0));
  for (const r of hourly.rows) {
    const d = new Date(r.bucket!);
    grid[d.getDay()][d.getHours()] += r.value ?? 0;
  }
  const dayNames = Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(locale(), { weekday: "short" }).format(new Date(Date.UTC(2026, 2, 1 + i))));
  const box = h("div", { class: "chart", style: "height:300px" });
  root.append(h("h2", {}, t("heatmap")), h("div", { class: "card", id: "heatmap" }, box));
  const data = grid.flatMap((row, d) => row.map((v, hr) => [hr, d, v]));
  chart(box, {
    grid: { left: 70, right: 16, top: 10, bottom: 60 },
    tooltip: {},
    xAxis: { type: "category", data: Array.from({ length: 24 }, (_, i) => fmtNumber(i, 0)) },
    yAxis: { type: "category", data: dayNames },
    visualMap: { min: 0, max: Math.max(1, ...data.map((x) => x[2])), orient: "horizontal", left: "center", bottom: 0, calculable: true },
    series: [{ type: "heatmap", data }],
  });
  const topics = await metrics({ ...baseQuery(ctx), metrics: ["cases_by_topic"], grain: "month" });
  const months = [...new Set(topics.rows.map((r) => r.bucket!))].sort();
  const last = months[months.length - 1];
  const rows = topics.rows.filter((r) => r.bucket === last).sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  root.append(
    h("h2", {}, t("by_topic")),
    sortableTable(
      [t("topic"), t("count"), t("change")],
      rows.map((r) => [r.group?.topic ?? "–", fmtNumber(r.value, 0), r.change_pct == null ? "–" : `${fmtNumber(r.change_pct as number, 1)}%`]),
      rows.map((r) => [r.group?.topic ?? "", r.value ?? 0, (r.change_pct as number) ?? 0]),
    ),
  );
}
