import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { isRtl } from "./i18n";

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
  c.setOption({ animation: false, textStyle: { fontFamily: "inherit" }, ...o });
  charts.add(c);
  return c;
}

export function disposeCharts(): void {
  for (const c of charts) c.dispose();
  charts.clear();
}
