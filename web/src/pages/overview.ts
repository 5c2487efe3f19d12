import { bucketAxis, onAxis, rangeBound } from "../../../src/format/time-axis.js";
import { type LiveSnapshot, metrics } from "../api";
import { sparkline } from "../charts";
import { baseQuery, metricName, type PageContext, statusOf } from "../context";
import { h } from "../dom";
import { currentLang, fmt, fmtDuration, fmtNumber, fmtValue, t, timeZone, word } from "../i18n";
import { HEADLINE_METRICS as HEADLINE } from "../../../src/metrics/headline.js";
import { grainFor } from "./family";

const TILES: { key: keyof LiveSnapshot | "today_created" | "today_solved"; label: Parameters<typeof t>[0]; fmt?: (v: number) => string; alert?: boolean }[] = [
  { key: "open", label: "open" },
  { key: "new", label: "new" },
  { key: "waiting", label: "waiting" },
  { key: "unassigned", label: "unassigned" },
  { key: "longest_wait_s", label: "longest_wait", fmt: fmtDuration },
  { key: "sla_at_risk", label: "sla_at_risk", alert: true },
  { key: "sla_breached", label: "sla_breached", alert: true },
  { key: "agents_online", label: "agents_online" },
  { key: "today_created", label: "today_created" },
  { key: "today_solved", label: "today_solved" },
];

let source: EventSource | null = null;
export function stopLive(): void {
  source?.close();
  source = null;
}

/** The wall screen: live tiles pushed over server-sent events, and the period's headline KPIs. */
export async function overview(root: HTMLElement, ctx: PageContext): Promise<void> {
  const tiles = new Map<string, HTMLElement>();
  const tileGrid = h("div", { class: "grid", id: "live-tiles", "aria-live": "polite" });
  for (const tile of TILES) {
    const v = h("div", { class: "tile-value", "data-value": "" }, "–");
    const el = h("div", { class: `card tile${tile.alert ? " alert-capable" : ""}`, "data-tile": tile.key }, h("div", { class: "label" }, t(tile.label)), v);
    tiles.set(tile.key, el);
    tileGrid.append(el);
  }
  const updated = h("span", { class: "muted", id: "live-updated" });
  const load = h("div", { class: "card" }, h("div", { class: "label" }, t("agent_load")));
  const headline = h("div", { class: "grid" }, h("div", { class: "muted" }, t("loading")));
  root.append(h("h1", {}, t("live")), tileGrid, h("p", {}, updated), load, h("h2", {}, t("headline")), headline);

  const apply = (snap: LiveSnapshot) => {
    for (const tile of TILES) {
      const raw =
        tile.key === "today_created" ? snap.today.created : tile.key === "today_solved" ? snap.today.solved : (snap[tile.key as keyof LiveSnapshot] as number);
      const el = tiles.get(tile.key)!;
      const valueEl = el.querySelector<HTMLElement>(".tile-value")!;
      const text = tile.fmt ? tile.fmt(raw) : fmtNumber(raw, 0);
      if (valueEl.dataset.value !== String(raw)) {
        valueEl.dataset.value = String(raw);
        valueEl.textContent = text;
        el.classList.remove("flash");
        void el.offsetWidth;
        el.classList.add("flash");
      }
      el.classList.toggle("alert", !!tile.alert && raw > 0);
    }
    updated.textContent = `${t("live_updated")}: ${fmt().time(snap.at)}`;
    const waitTile = tiles.get("longest_wait_s")!;
    waitTile.querySelector(".wait-ticket")?.remove();
    if (snap.longest_wait_ticket) {
      const id = snap.longest_wait_ticket;
      waitTile.append(h("button", { type: "button", class: "link wait-ticket", onclick: () => ctx.go({ page: "ticket", id }) }, `${t("ticket")} ${id}`));
    }
    load.replaceChildren(
      h("div", { class: "label" }, t("agent_load")),
      h(
        "div",
        { class: "row" },
        ...snap.agents
          .slice(0, 24)
          .map((a) =>
            h(
              "span",
              { class: "muted", title: word("presence", a.status) },
              `${a.agent_id}: ${fmtNumber(a.open_tickets, 0)}${a.status === "online" ? " ●" : ""}`,
            ),
          ),
      ),
    );
    performance.mark("deskpulse:live-applied");
  };
  stopLive();
  source = new EventSource("/api/v1/live/stream");
  source.addEventListener("live", (ev) => apply(JSON.parse((ev as MessageEvent).data) as LiveSnapshot));

  const grain = grainFor(ctx.state.from, ctx.state.to);
  const [res, series] = await Promise.all([
    metrics({ ...baseQuery(ctx), metrics: HEADLINE, compare: true }),
    metrics({ ...baseQuery(ctx), metrics: HEADLINE, grain }).catch(() => ({ rows: [] })),
  ]);
  const tz = timeZone() ?? "UTC";
  const axis = bucketAxis(rangeBound(ctx.state.from, tz), rangeBound(ctx.state.to, tz), grain, tz, ctx.weekStart);
  headline.replaceChildren();
  const sparks: [HTMLElement, (number | null)[], string][] = [];
  for (const id of HEADLINE) {
    const m = ctx.catalog.get(id);
    const row = res.rows.find((r) => r.metric === id && !r.group);
    if (!m || !row) continue;
    const shown = m.unit === "seconds" && ctx.state.stat === "median" ? (row.median ?? null) : row.value;
    const st = statusOf(row.value, m.target, m.direction);
    const prev = row.previous?.value ?? null;
    const trend = onAxis(
      axis,
      series.rows
        .filter((r) => r.metric === id && r.bucket && !r.group)
        .map((r) => ({ at: Date.parse(r.bucket!), value: m.unit === "seconds" && ctx.state.stat === "median" ? (r.median ?? null) : r.value })),
    ).map((v) => v ?? null);
    const spark = h("span", { class: "spark", role: "img", "aria-label": t("sparkline_label") });
    sparks.push([spark, trend, st === "red" ? "#b3261e" : st === "green" ? "#1d7a3a" : "#0b5cad"]);
    headline.append(
      h(
        "button",
        { class: `card kpi ${st}`, "data-metric": id, onclick: () => ctx.explain(id) },
        h("span", { class: "label" }, metricName(ctx, id, currentLang())),
        h("span", { class: "value" }, fmtValue(shown, m.unit)),
        // a median read from the rollup's sketch (src/metrics/planner.ts) says so
        res.approximate && m.unit === "seconds" && ctx.state.stat === "median"
          ? h("span", { class: "approx", title: t("approximate_hint") }, `≈ ${t("approximate")}`)
          : null,
        spark,
        h("span", { class: "meta" }, `${t("target")}: ${fmtValue(m.target, m.unit)} · ${t("previous")}: ${fmtValue(prev, m.unit)}`),
        h("span", { class: `status ${st}` }, t(`status_${st}` as Parameters<typeof t>[0])),
      ),
    );
  }
  for (const [el, values, color] of sparks) if (values.some((v) => v !== null)) sparkline(el, values, color);
  performance.mark("deskpulse:overview-rendered");
}
