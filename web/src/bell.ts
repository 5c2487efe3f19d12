import { api } from "./api";
import { h } from "./dom";
import { fmt, fmtNumber } from "./i18n";
import { at, kindLabel } from "./i18n/alerts";

/** The alert fields the bell and the alerts page show (GET /api/v1/alerts). */
export interface AlertItem {
  id: string;
  rule_id?: string;
  rule_name: string;
  kind: string;
  state: "firing" | "resolved";
  ticket_id: string | null;
  metric: string | null;
  value: number | null;
  threshold: number | null;
  unit: string | null;
  fired_at: number;
  acked_at: number | null;
  snoozed_until?: number | null;
}
export interface AlertSummary {
  firing: number;
  unacknowledged: number;
  latest: AlertItem[];
}

const CSS = `
.bell{position:relative}.bell>button{position:relative;background:none;border:1px solid #5c7a99;color:#fff;border-radius:6px;padding:4px 10px;cursor:pointer}
.bell .badge{position:absolute;top:-6px;inset-inline-end:-6px;background:#d93f0b;color:#fff;border-radius:999px;font-size:11px;min-width:18px;padding:1px 5px;text-align:center}
.bell .panel{position:absolute;inset-inline-end:0;top:110%;width:340px;max-height:60vh;overflow:auto;background:#fff;color:#1f2328;border:1px solid #d0d7de;border-radius:8px;box-shadow:0 8px 24px #0003;z-index:20;padding:8px}
.bell .panel li{list-style:none;padding:6px 4px;border-bottom:1px solid #eee}.bell .panel ul{margin:0;padding:0}
.alert-firing{color:#b42318;font-weight:600}.alert-resolved{color:#2da44e}`;

let source: EventSource | null = null;

function injectCss(): void {
  if (document.getElementById("alerts-css")) return;
  document.head.append(h("style", { id: "alerts-css" }, CSS));
}

export function alertLine(a: AlertItem): string {
  const what = a.ticket_id ? `${at("ticket")} ${a.ticket_id}` : (a.metric ?? "");
  return `${a.rule_name} · ${kindLabel(a.kind)}${what ? ` · ${what}` : ""} · ${at("value")} ${fmtNumber(a.value)}`;
}

/**
 * The notification bell in the header: the number of unacknowledged firing alerts, live from
 * the existing `/live/stream` (its snapshots carry an `alerts` summary), and the latest alerts.
 */
/** Drawn, not an emoji: Debian's Chromium and many desktops have no emoji font, which shows a box. */
function bellIcon(): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute(
    "d",
    "M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z",
  );
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}

export function bell(openPage: () => void): HTMLElement {
  injectCss();
  source?.close();
  const badge = h("span", { class: "badge", hidden: true, "aria-live": "polite" });
  const list = h("ul", {});
  const panel = h("div", { class: "panel", hidden: true, role: "dialog", "aria-label": at("bell") });
  const button = h("button", { type: "button", "aria-haspopup": "dialog", "aria-expanded": "false", id: "alert-bell", title: at("bell") }, bellIcon(), badge);
  const show = (s: AlertSummary) => {
    badge.textContent = fmtNumber(s.unacknowledged, 0);
    badge.hidden = s.unacknowledged === 0;
    button.setAttribute("aria-label", `${at("bell")}: ${fmtNumber(s.unacknowledged, 0)}`);
    list.replaceChildren(
      ...(s.latest.length
        ? s.latest.map((a) =>
            h("li", {}, h("span", { class: `alert-${a.state}` }, at(a.state)), " ", alertLine(a), h("div", { class: "muted" }, fmt().dateTime(a.fired_at))),
          )
        : [h("li", {}, at("bell_none"))]),
    );
  };
  button.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    button.setAttribute("aria-expanded", String(!panel.hidden));
  });
  const all = h(
    "button",
    {
      type: "button",
      class: "link",
      onclick: () => {
        panel.hidden = true;
        openPage();
      },
    },
    at("all_alerts"),
  );
  panel.append(list, all);
  void api<{ summary: AlertSummary }>("/alerts?limit=10")
    .then((r) => show(r.summary))
    .catch(() => undefined);
  source = new EventSource("/api/v1/live/stream");
  source.addEventListener("live", (ev) => {
    const snap = JSON.parse((ev as MessageEvent).data) as { alerts?: AlertSummary };
    if (snap.alerts) show(snap.alerts);
  });
  return h("div", { class: "bell" }, button, panel);
}
