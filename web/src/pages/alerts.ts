import { api } from "../api";
import type { AlertItem } from "../bell";
import type { PageContext } from "../context";
import { h } from "../dom";
import { fmt, fmtNumber } from "../i18n";
import { at, kindLabel } from "../i18n/alerts";

interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  condition: { kind: string };
  destinations: { type: string }[];
}

/** Alert history with acknowledge and snooze, the workspace's rules, and (for admins) undelivered notifications. */
export async function alertsPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const [alerts, rules] = await Promise.all([api<{ alerts: AlertItem[] }>("/alerts?limit=200"), api<{ rules: Rule[] }>("/alert-rules")]);
  const admin = ctx.scopes.includes("admin");
  const act = async (id: string, what: "ack" | "snooze") => {
    await api(`/alerts/${encodeURIComponent(id)}/${what}`, { method: "POST", body: JSON.stringify(what === "snooze" ? { minutes: 60 } : {}) });
    ctx.go({});
  };
  const row = (a: AlertItem) =>
    h(
      "tr",
      { id: `alert-${a.id}`, "aria-current": ctx.state.id === a.id ? "true" : undefined },
      h("td", {}, h("span", { class: `alert-${a.state}` }, at(a.state)), a.acked_at ? ` · ${at("acknowledged")}` : ""),
      h("td", {}, a.rule_name),
      h("td", {}, kindLabel(a.kind)),
      h(
        "td",
        {},
        a.ticket_id
          ? h("button", { type: "button", class: "link", onclick: () => ctx.go({ page: "ticket", id: a.ticket_id }) }, a.ticket_id)
          : (a.metric ?? "–"),
      ),
      h("td", {}, fmtNumber(a.value)),
      h("td", {}, fmtNumber(a.threshold)),
      h("td", {}, fmt().dateTime(a.fired_at)),
      h(
        "td",
        {},
        // acknowledging and snoozing take an admin key (the API refuses read keys)
        admin && a.state === "firing" && !a.acked_at ? h("button", { type: "button", onclick: () => act(a.id, "ack") }, at("ack")) : null,
        admin && a.state === "firing" ? h("button", { type: "button", onclick: () => act(a.id, "snooze") }, at("snooze")) : null,
        a.snoozed_until && a.snoozed_until > Date.now() ? h("span", { class: "muted" }, ` ${at("snoozed_until")} ${fmt().dateTime(a.snoozed_until)}`) : null,
      ),
    );
  root.append(
    h("h1", {}, at("nav_alerts")),
    // the table scrolls inside its box on a phone, never the page
    h(
      "div",
      { class: "scroll", tabindex: "0", role: "region", "aria-label": at("all_alerts") },
      h(
        "table",
        { id: "alerts" },
        h(
          "thead",
          {},
          h("tr", {}, ...(["state", "rule", "kind", "ticket", "value", "threshold", "fired_at", "actions"] as const).map((k) => h("th", {}, at(k)))),
        ),
        h("tbody", {}, ...(alerts.alerts.length ? alerts.alerts.map(row) : [h("tr", {}, h("td", { colspan: 8 }, at("bell_none")))])),
      ),
    ),
    h("h2", {}, at("rules")),
    rules.rules.length
      ? h(
          "ul",
          { id: "alert-rules" },
          ...rules.rules.map((r) =>
            h("li", {}, `${r.name} · ${kindLabel(r.condition.kind)} · ${at("destinations")}: ${r.destinations.map((d) => d.type).join(", ")}`),
          ),
        )
      : h("p", { class: "muted" }, at("no_rules")),
  );
  if (admin) {
    const dead = await api<{ items: { id: string; origin: string; url?: string; last_error?: string; failed_at: number }[] }>("/outbox/dead-letters");
    root.append(
      h("h2", {}, at("dead_letters")),
      dead.items.length
        ? h("ul", {}, ...dead.items.map((d) => h("li", {}, `${fmt().dateTime(d.failed_at)} · ${d.origin} · ${d.url ?? ""} · ${d.last_error ?? ""}`)))
        : h("p", { class: "muted" }, at("no_dead_letters")),
    );
  }
}
