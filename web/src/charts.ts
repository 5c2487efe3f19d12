import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { UNIT_SECONDS, unitFor } from "../../src/format/format.js";
import { h } from "./dom";
import { fmt, isRtl, t } from "./i18n";

echarts.use([LineChart, BarChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, VisualMapComponent, CanvasRenderer]);

const charts = new Set<echarts.ECharts>();
window.addEventListener("resize", () => {
  for (const c of charts) c.resize();
});

/** Renders an ECharts option into a fresh container; axes are mirrored for right-to-left languages. */
export function chart(el: HTMLElement, option: echarts.EChartsCoreOption): echarts.ECharts {
  const c = echarts.init(el, undefined, { renderer: "canvas" });
  const o = option as Record<string, unknown>;
  if (isRtl() && o.xAxis && !Array.isArray(o.xAxis)) (o.xAxis as Record<string, unknown>).inverse = true;
  if (isRtl() && o.yAxis && !Array.isArray(o.yAxis)) (o.yAxis as Record<string, unknown>).position = "right";
  if (isRtl() && o.legend && typeof o.legend === "object") (o.legend as Record<string, unknown>).align = "right";
  c.setOption({ animation: false, textStyle: { fontFamily: "inherit" }, ...o });
  charts.add(c);
  return c;
}

export function disposeCharts(): void {
  for (const c of charts) c.dispose();
  charts.clear();
}

/** A value axis's labels in the metric's unit; durations in a unit chosen from the largest value. */
export function valueAxis(unit: string, max: number, id = ""): Record<string, unknown> {
  const f = fmt();
  if (unit === "seconds") {
    const u = unitFor(max);
    // ticks at round numbers of the unit (0, 2, 4, 6 h), not at round numbers of seconds
    const raw = max / UNIT_SECONDS[u] / 5 || 1;
    const step = [0.1, 0.2, 0.5, 1, 2, 3, 4, 5, 10, 15, 20, 30, 60, 100, 200, 500].find((x) => x >= raw) ?? Math.ceil(raw);
    const interval = step * UNIT_SECONDS[u];
    return {
      type: "value",
      min: 0,
      max: Math.max(interval, Math.ceil(max / interval) * interval),
      interval,
      axisLabel: { formatter: (v: number) => f.inUnit(v / UNIT_SECONDS[u], u, Number.isInteger(step) ? 0 : 1) },
    };
  }
  if (unit === "percent") return { type: "value", min: 0, max: 100, axisLabel: { formatter: (v: number) => f.percent(v, 0) } };
  // NPS-style scores run from −100 to 100; a nicer max (120) would mislead
  if (id === "nps" || id === "employee_experience")
    return { type: "value", min: -100, max: 100, interval: 50, axisLabel: { formatter: (v: number) => f.number(v, 0) } };
  return { type: "value", min: unit === "score" ? undefined : 0, axisLabel: { formatter: (v: number) => f.number(v, 1) } };
}

/**
 * The axes of a weekday × hour heat map (rows in the workspace's week order, hours 0–23 across)
 * and its colour scale from 0 to `max`, laid out under the chart so it fits a phone (`scale`: more
 * options of the scale, such as its colours).
 */
export function weekHourAxes(dayNames: string[], hourLabels: string[], max: number, scale: Record<string, unknown> = {}): Record<string, unknown> {
  const f = fmt();
  return {
    xAxis: { type: "category", name: t("hours_axis"), nameLocation: "middle", nameGap: 26, data: hourLabels },
    yAxis: { type: "category", inverse: true, data: dayNames },
    visualMap: {
      min: 0,
      max,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 160,
      itemWidth: 12,
      calculable: true,
      formatter: (v: number) => f.integer(v),
      ...scale,
    },
  };
}

/** "No data" in place of a chart that would be empty. */
export function noData(el: HTMLElement): void {
  el.classList.add("empty");
  el.replaceChildren(h("p", { class: "muted no-data" }, t("no_data_chart")));
}

/** A small line without axes for a headline tile: the period's shape at a glance. */
export function sparkline(el: HTMLElement, values: (number | null)[], color = "#0b5cad"): void {
  chart(el, {
    grid: { left: 2, right: 2, top: 4, bottom: 2 },
    xAxis: { type: "category", show: false, data: values.map((_, i) => i) },
    yAxis: { type: "value", show: false, scale: true },
    series: [{ type: "line", data: values, symbol: "none", connectNulls: false, lineStyle: { width: 1.5, color }, areaStyle: { opacity: 0.08, color } }],
    tooltip: { show: false },
  });
}
