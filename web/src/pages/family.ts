import { UNIT_SECONDS, unitFor } from "../../../src/format/format.js";
import { rangeGrain } from "../../../src/metrics/headline.js";
import { type AxisGrain, bucketAxis, onAxis, pairPrevious, rangeBound, wall } from "../../../src/format/time-axis.js";
import { api, type MetricRow, metrics, serverHasPersianMonths } from "../api";
import { chart, noData, valueAxis, weekHourAxes } from "../charts";
import { baseQuery, metricName, type PageContext, statusOf } from "../context";
import { h } from "../dom";
import { currentLang, fmt, fmtValue, t, timeZone, word } from "../i18n";

const DIMS = ["channel", "agent", "team", "priority", "topic"] as const;

export function grainFor(from: string, to: string): AxisGrain {
  const grain = rangeGrain((Date.parse(to) - Date.parse(from)) / 86_400_000);
  return grain === "month" ? monthGrain() : grain;
}

/** Months as the page's calendar counts them: Solar Hijri in Persian, where the server offers that grain. */
export const monthGrain = (): AxisGrain => (currentLang() === "fa" && serverHasPersianMonths() ? "persian_month" : "month");

/** A sortable table: click a header to sort by it. */
export function sortableTable(headers: string[], rows: (string | number | Node)[][], sortValues: (number | string)[][]): HTMLElement {
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
  return h("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": headers[0] }, h("table", {}, h("thead", {}, head), tbody));
}

/** The previous period of the view: as long as it, ending where it starts. */
export function previousRange(from: string, to: string): { from: string; to: string; shift: number } {
  const a = Date.parse(from);
  const shift = Date.parse(to) - a;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: iso(a - shift), to: from, shift };
}

/** A page per KPI family: values against targets, trends with the previous period, breakdowns, distributions. */
export async function familyPage(root: HTMLElement, ctx: PageContext, family: string): Promise<void> {
  const lang = currentLang();
  const ids = [...ctx.catalog.values()].filter((m) => m.family === family).map((m) => m.id);
  root.append(h("h1", {}, t(`nav_${family}` as Parameters<typeof t>[0])));
  const cards = h("div", { class: "grid" });
  root.append(cards);
  const grain = grainFor(ctx.state.from, ctx.state.to);
  const prevRange = previousRange(ctx.state.from, ctx.state.to);
  const [total, series, prevSeries] = await Promise.all([
    metrics({ ...baseQuery(ctx), metrics: ids, compare: true }),
    metrics({ ...baseQuery(ctx), metrics: ids, grain }),
    metrics({ ...baseQuery(ctx), from: prevRange.from, to: prevRange.to, metrics: ids, grain }),
  ]);
  const f = fmt();
  const stat = (m: { unit: string }, r: MetricRow) => (m.unit === "seconds" && ctx.state.stat === "median" ? (r.median ?? null) : r.value);
  for (const id of ids) {
    const m = ctx.catalog.get(id)!;
    // metrics that always group (shares by channel, counts by topic) show their largest group
    const top = total.rows.filter((x) => x.metric === id && x.group).sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0];
    const r = total.rows.find((x) => x.metric === id && !x.group) ?? top;
    const value = r ? stat(m, r) : null;
    const st = statusOf(r?.value ?? null, m.target, m.direction);
    const label = r?.group
      ? ` — ${Object.entries(r.group)
          .map(([k, v]) => word(k, v))
          .join("، ")}`
      : "";
    const n = r?.denominator ?? r?.count;
    cards.append(
      h(
        "button",
        { class: `card kpi ${st}`, "data-metric": id, onclick: () => ctx.explain(id) },
        h("span", { class: "label" }, `${metricName(ctx, id, lang)}${label}`),
        h("span", { class: "value" }, r ? fmtValue(value, m.unit) : t("no_data")),
        h(
          "span",
          { class: "meta" },
          `${t("previous")}: ${fmtValue(r?.previous?.value ?? null, m.unit)}${m.target !== null ? ` · ${t("target")}: ${fmtValue(m.target, m.unit)}` : ""}`,
        ),
        family === "surveys" && n != null ? h("span", { class: "meta" }, `${t("sample_size")}: ${f.integer(n)}`) : "",
      ),
    );
  }
  // Trends on one continuous axis per page: every bucket of the range, empty ones as gaps; the
  // previous period dashed, paired by date.
  root.append(h("h2", {}, t("trend")), h("p", { class: "muted" }, t("trend_help")));
  const trends = h("div", { class: "grid wide" });
  root.append(trends);
  const tz = timeZone() ?? "UTC";
  const axis = bucketAxis(rangeBound(ctx.state.from, tz), rangeBound(ctx.state.to, tz), grain, tz, ctx.weekStart);
  const labels = axis.map((b) => f.bucket(b, grain));
  const trendIds = ids.filter((x) => series.rows.some((r) => r.metric === x && r.bucket && !r.group)).slice(0, 8);
  for (const id of trendIds) {
    const m = ctx.catalog.get(id)!;
    const rows = series.rows.filter((r) => r.metric === id && r.bucket && !r.group);
    const cur = onAxis(
      axis,
      rows.map((r) => ({ at: Date.parse(r.bucket!), value: r })),
    );
    const prevRows = prevSeries.rows.filter((r) => r.metric === id && r.bucket && !r.group);
    const prev = pairPrevious(
      axis,
      prevRange.shift,
      prevRows.map((r) => ({ at: Date.parse(r.bucket!), value: r })),
    );
    const curV = cur.map((r) => (r ? stat(m, r) : null));
    const prevV = prev.map((r) => (r ? stat(m, r) : null));
    const sizes = cur.map((r) => r?.denominator ?? r?.count ?? null);
    const box = h("div", { class: "chart", "data-chart": id });
    const totalN = sizes.reduce<number>((a, b) => a + (b ?? 0), 0);
    const sparse = m.family === "surveys" && sizes.some((x) => x !== null && x < 10);
    trends.append(
      h(
        "div",
        { class: "card" },
        h("div", { class: "label" }, metricName(ctx, id, lang)),
        box,
        h("p", { class: "muted chart-note" }, `${t("sample_size")}: ${f.integer(totalN)}${sparse ? ` · ${t("small_sample")}` : ""}`),
      ),
    );
    if (curV.every((v) => v === null) && prevV.every((v) => v === null)) {
      noData(box);
      continue;
    }
    const max = Math.max(0, ...curV.map((v) => v ?? 0), ...prevV.map((v) => v ?? 0));
    chart(box, {
      grid: { left: 64, right: 16, top: 36, bottom: 30 },
      legend: { top: 0, data: [t("this_period"), t("previous")] },
      tooltip: {
        trigger: "axis",
        valueFormatter: (v: number | null) => fmtValue(v, m.unit),
        formatter: (ps: { dataIndex: number; seriesName: string; value: number | null; marker: string }[]) => {
          const i = ps[0]?.dataIndex ?? 0;
          const lines = ps.map((p) => `${p.marker}${p.seriesName}: ${fmtValue(p.value, m.unit)}`);
          return [labels[i], ...lines, `${t("sample_size")}: ${f.integer(sizes[i])}`].join("<br>");
        },
      },
      xAxis: { type: "category", data: labels },
      yAxis: valueAxis(m.unit, max, id),
      series: [
        {
          type: "line",
          name: t("this_period"),
          // survey buckets show a dot sized by how many answered, so a jump on three answers reads as one
          // (elsewhere a dot only where a value stands alone between empty buckets, which a line cannot draw)
          data: curV.map((v, i) => ({
            value: v,
            symbolSize: m.family === "surveys" ? Math.min(10, 3 + Math.sqrt(sizes[i] ?? 0)) : v !== null && curV[i - 1] == null && curV[i + 1] == null ? 5 : 0,
          })),
          showSymbol: true,
          showAllSymbol: true,
          connectNulls: false,
        },
        { type: "line", name: t("previous"), data: prevV, lineStyle: { type: "dashed" }, showSymbol: false, connectNulls: false },
      ],
    });
  }
  // Breakdown by a dimension, sortable.
  const dimSel = h("select", { "aria-label": t("group_by"), id: "group-by" }, ...DIMS.map((d) => h("option", { value: d }, t(d))));
  const breakdown = h("div", {});
  root.append(h("h2", {}, t("breakdown")), h("label", { class: "row" }, t("group_by"), dimSel), breakdown);
  const renderBreakdown = async () => {
    const dim = dimSel.value;
    const res = await metrics({ ...baseQuery(ctx), metrics: ids, groupBy: [dim] });
    const groups = [...new Set(res.rows.filter((r) => r.group).map((r) => r.group![dim] ?? "–"))].sort();
    const shown = ids.filter((id) => res.rows.some((r) => r.metric === id && r.group));
    const cell = (g: string, id: string) => res.rows.find((r) => r.metric === id && (r.group?.[dim] ?? "–") === g);
    if (groups.length === 0 || shown.length === 0) {
      breakdown.replaceChildren(h("p", { class: "muted empty-breakdown" }, t("empty_breakdown")));
      return;
    }
    breakdown.replaceChildren(
      sortableTable(
        [t(dim as Parameters<typeof t>[0]), ...shown.map((id) => metricName(ctx, id, lang))],
        groups.map((g) => [
          word(dim, g),
          ...shown.map((id) => fmtValue(cell(g, id) ? stat(ctx.catalog.get(id)!, cell(g, id)!) : null, ctx.catalog.get(id)!.unit)),
        ]),
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
    const col = Object.keys(dd.items[0] ?? {}).find(
      (k) => k.endsWith(ctx.state.clock === "business" ? "_bs" : "_s") && !k.startsWith("sla") && !k.startsWith("channel_target"),
    );
    const values = dd.items.map((i) => (col ? Number(i[col]) : Number.NaN)).filter((v) => Number.isFinite(v));
    if (values.length) {
      const sorted = [...values].sort((a, b) => a - b);
      const p99 = sorted[Math.floor(values.length * 0.99)] || 1;
      const u = unitFor(p99);
      const us = UNIT_SECONDS[u];
      // bins of a round width in the display unit, so every label is distinct
      const raw = p99 / us / 24;
      const step = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120].find((x) => x >= raw) ?? Math.ceil(raw);
      const width = step * us;
      const bins = Math.max(1, Math.ceil(p99 / width));
      const counts = new Array(bins).fill(0);
      for (const v of values) counts[Math.min(bins - 1, Math.floor(v / width))]++;
      const digits = step < 1 ? 1 : 0;
      const binLabels = counts.map((_, i) => f.inUnit(i * step, u, digits));
      const box = h("div", { class: "chart", "data-chart": "histogram" });
      root.append(
        h("h2", {}, `${t("distribution")}: ${metricName(ctx, duration, lang)}`),
        h(
          "div",
          { class: "card" },
          box,
          h(
            "p",
            { class: "muted chart-note" },
            `${t("sample_size")}: ${f.integer(values.length)} · ${t("median_marker")}: ${f.duration(r.median)} · ${t("p90_marker")}: ${f.duration(r.p90)}`,
          ),
        ),
      );
      const at = (s: number | null | undefined) => (s == null ? 0 : Math.min(bins - 1, Math.floor(s / width)));
      chart(box, {
        grid: { left: 56, right: 24, top: 56, bottom: 40 },
        tooltip: {
          formatter: (p: { dataIndex: number; value: number }) =>
            `${binLabels[p.dataIndex]} – ${f.inUnit((p.dataIndex + 1) * step, u, digits)}: ${f.integer(p.value)}`,
        },
        xAxis: { type: "category", data: binLabels, axisLabel: { hideOverlap: true } },
        yAxis: { type: "value", name: t("tickets_axis"), axisLabel: { formatter: (v: number) => f.number(v, 0) } },
        series: [
          {
            type: "bar",
            name: t("tickets_axis"),
            data: counts,
            markLine: {
              symbol: "none",
              // the two labels sit at different heights so they never run into each other
              data: [
                { xAxis: at(r.median), label: { formatter: t("median_marker"), position: "end", distance: 4 }, lineStyle: { color: "#1d7a3a" } },
                { xAxis: at(r.p90), label: { formatter: t("p90_marker"), position: "end", distance: 22 }, lineStyle: { color: "#b3261e" } },
              ],
            },
          },
        ],
      });
    }
  }
  if (family === "volume") await volumeExtras(root, ctx);
}

/** Weekday × hour heatmap (hourly volume, in the workspace's zone) and cases by topic month over month. */
async function volumeExtras(root: HTMLElement, ctx: PageContext): Promise<void> {
  const f = fmt();
  const tz = timeZone() ?? "UTC";
  const hourly = await metrics({ ...baseQuery(ctx), metrics: ["ticket_volume"], grain: "hour" });
  const grid: number[][] = Array.from({ length: 7 }, () => new Array(24).fill(0));
  for (const r of hourly.rows) {
    if (!r.bucket) continue;
    const w = wall(Date.parse(r.bucket), tz);
    grid[w.dow][w.h] += r.value ?? 0;
  }
  const first = Math.max(0, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"].indexOf(ctx.weekStart));
  const order = Array.from({ length: 7 }, (_, i) => (first + i) % 7);
  const dayNames = order.map((d) => f.weekday(d));
  const box = h("div", { class: "chart", style: "height:320px" });
  root.append(h("h2", {}, t("heatmap")), h("div", { class: "card", id: "heatmap" }, box));
  const data = order.flatMap((d, row) => grid[d].map((v, hr) => [hr, row, v]));
  const max = Math.max(1, ...data.map((x) => x[2]));
  chart(box, {
    grid: { left: 70, right: 24, top: 10, bottom: 96 },
    tooltip: { formatter: (p: { value: number[] }) => `${dayNames[p.value[1]]} · ${t("hour")} ${f.integer(p.value[0])}: ${f.integer(p.value[2])}` },
    ...weekHourAxes(
      dayNames,
      Array.from({ length: 24 }, (_, i) => f.integer(i)),
      max,
      { text: [f.integer(max), f.integer(0)], showLabel: true },
    ),
    series: [{ type: "heatmap", data, name: t("tickets_axis") }],
  });
  const topics = await metrics({ ...baseQuery(ctx), metrics: ["cases_by_topic"], grain: monthGrain() });
  const months = [...new Set(topics.rows.map((r) => r.bucket!))].sort();
  const last = months[months.length - 1];
  const rows = topics.rows.filter((r) => r.bucket === last).sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  root.append(h("h2", {}, t("by_topic")));
  if (!rows.length) {
    root.append(h("p", { class: "muted" }, t("no_data_chart")));
    return;
  }
  root.append(
    sortableTable(
      [t("topic"), t("count"), t("change")],
      rows.map((r) => [word("topic", r.group?.topic), f.integer(r.value), r.change_pct == null ? "–" : f.signed(r.change_pct, "percent")]),
      rows.map((r) => [r.group?.topic ?? "", r.value ?? 0, r.change_pct ?? 0]),
    ),
  );
}
