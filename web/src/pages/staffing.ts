import { api, type StaffingPlan } from "../api";
import { chart, weekHourAxes } from "../charts";
import type { PageContext } from "../context";
import { h } from "../dom";
import { fmt, t } from "../i18n";
import { numberInput } from "../number-input";
import { sortableTable } from "./family";

/** Staffing: agents needed per weekday × hour for a service-level target (Erlang C on the stored calls and chats). */
export async function staffingPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const f = fmt();
  const target = numberInput(80, { id: "sl-target" });
  const threshold = numberInput(20, { id: "sl-threshold" });
  const out = h("div", {});
  const run = async () => {
    out.replaceChildren(h("p", { class: "muted" }, t("loading")));
    const plan = await api<StaffingPlan>("/metrics/staffing", {
      method: "POST",
      body: JSON.stringify({
        from: ctx.state.from,
        to: ctx.state.to,
        filters: Object.fromEntries(Object.entries(ctx.state.filters).filter(([, v]) => v)),
        target: target.value() ?? 80,
        threshold_s: threshold.value() ?? 20,
      }),
    });
    draw(out, plan, ctx.weekStart);
  };
  const form = h(
    "form",
    {
      class: "card row staffing-form",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void run();
      },
    },
    h("label", { for: "sl-target" }, t("sl_target")),
    target.el,
    h(
      "span",
      {},
      f
        .percent(0)
        .replace(/[0-9٠-٩۰-۹]/g, "")
        .trim(),
    ),
    h("label", { for: "sl-threshold" }, t("answer_within")),
    threshold.el,
    h("span", {}, t("seconds_short")),
    h("button", { class: "primary", type: "submit" }, t("calculate")),
  );
  root.append(h("h1", {}, t("nav_staffing")), h("p", { class: "muted" }, t("staffing_help")), form, out);
  await run();
}

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function draw(out: HTMLElement, plan: StaffingPlan, weekStart: string): void {
  const f = fmt();
  const hours = Array.from({ length: 24 }, (_, i) => i);
  const first = Math.max(0, WEEKDAYS.indexOf(weekStart));
  const order = Array.from({ length: 7 }, (_, i) => (first + i) % 7);
  const at = (d: number, hr: number) => plan.profile.find((p) => p.weekday === d && p.hour === hr);
  const peak = Math.max(0, ...plan.profile.map((p) => p.agents));
  const agentHours = plan.profile.reduce((s, p) => s + p.agents, 0);
  const box = h("div", { class: "chart", style: "height:320px", "data-chart": "staffing" });
  out.replaceChildren(
    h(
      "div",
      { class: "grid" },
      h("div", { class: "card" }, h("div", { class: "label" }, t("peak_agents")), h("span", { class: "value" }, f.integer(peak))),
      h("div", { class: "card" }, h("div", { class: "label" }, t("agent_hours")), h("span", { class: "value" }, f.integer(agentHours))),
      h("div", { class: "card" }, h("div", { class: "label" }, t("plan_aht")), h("span", { class: "value" }, f.duration(plan.aht_s))),
      h(
        "div",
        { class: "card" },
        h("div", { class: "label" }, t("sl_target")),
        h("span", { class: "value" }, `${f.percent(plan.target, 0)} / ${f.duration(plan.threshold_s)}`),
      ),
    ),
    h("h2", {}, t("agents_needed")),
    h("div", { class: "card" }, box),
  );
  const data = order.flatMap((d, row) => hours.map((hr) => [hr, row, at(d, hr)?.agents ?? 0]));
  chart(box, {
    grid: { left: 70, right: 24, top: 10, bottom: 96 },
    tooltip: {
      formatter: (p: { value: number[] }) => {
        const x = at(order[p.value[1]], p.value[0]);
        return [
          `${f.weekday(order[p.value[1]])} · ${t("hour")} ${f.integer(p.value[0])}`,
          `${t("agents_needed")}: ${f.integer(x?.agents ?? 0)}`,
          `${t("contacts_per_hour")}: ${f.number(x?.contacts ?? 0, 1)}`,
          `${t("occupancy")}: ${f.percent(x?.occupancy ?? 0, 0)}`,
          `${t("asa")}: ${f.duration(x?.asa_s ?? 0)}`,
        ].join("<br>");
      },
    },
    ...weekHourAxes(
      order.map((d) => f.weekday(d)),
      hours.map((x) => f.integer(x)),
      Math.max(1, peak),
      { inRange: { color: ["#eef4fb", "#0b5cad"] } },
    ),
    series: [
      {
        type: "heatmap",
        data,
        name: t("agents_needed"),
        label: { show: true, formatter: (p: { value: number[] }) => (p.value[2] ? f.integer(p.value[2]) : "") },
      },
    ],
  });
  // the busiest hours, where the plan matters; the heatmap shows the rest
  const busy = plan.profile
    .filter((p) => p.contacts > 0)
    .sort((a, b) => b.agents - a.agents || b.contacts - a.contacts)
    .slice(0, 24);
  out.append(
    h("h2", {}, t("busiest_hours")),
    sortableTable(
      [t("weekday"), t("hour"), t("contacts_per_hour"), t("agents_needed"), t("occupancy"), t("asa")],
      busy.map((p) => [f.weekday(p.weekday), f.integer(p.hour), f.number(p.contacts, 1), f.integer(p.agents), f.percent(p.occupancy, 0), f.duration(p.asa_s)]),
      busy.map((p) => [p.weekday, p.hour, p.contacts, p.agents, p.occupancy, p.asa_s]),
    ),
  );
}
