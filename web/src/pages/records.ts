import { api } from "../api";
import type { PageContext } from "../context";
import { h } from "../dom";
import { fmtDate, fmtDuration, t } from "../i18n";

interface TicketView {
  ticket: Record<string, unknown>;
  events: { type: string; ts: number; body: Record<string, unknown> }[];
}

/** A ticket's facts and its timeline of events. */
export async function ticketPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const id = ctx.state.id ?? "";
  const v = await api<TicketView>(`/tickets/${encodeURIComponent(id)}`);
  const f = v.ticket;
  root.append(
    h("h1", {}, `${t("ticket")} ${id}`),
    h(
      "div",
      { class: "grid" },
      ...[
        ["channel", f.channel],
        ["priority", f.priority],
        ["team", f.team_id],
        ["agent", f.agent_id],
        ["topic", f.topic],
      ].map(([k, val]) => h("div", { class: "card" }, h("div", { class: "label" }, t(k as Parameters<typeof t>[0])), String(val ?? "–"))),
      h("div", { class: "card" }, h("div", { class: "label" }, "FRT"), fmtDuration(f.frt_s as number | null)),
      h("div", { class: "card" }, h("div", { class: "label" }, "Resolution"), fmtDuration(f.res_full_s as number | null)),
    ),
    f.customer_id
      ? h("p", {}, h("button", { class: "link", type: "button", onclick: () => ctx.go({ page: "customer", id: String(f.customer_id) }) }, `${t("customer")}: ${f.customer_id}`))
      : "",
    h("h2", {}, t("timeline")),
    h(
      "ol",
      { class: "timeline" },
      ...v.events.map((e) =>
        h(
          "li",
          {},
          h("strong", {}, fmtDate(e.ts, true)),
          " — ",
          e.type,
          e.body.author_type ? ` (${e.body.author_type}${e.body.public === false ? ", internal" : ""})` : "",
          e.body.status ? ` → ${e.body.status}` : "",
          e.body.agent_id ? ` · ${e.body.agent_id}` : "",
          e.body.team_id ? ` · ${e.body.team_id}` : "",
        ),
      ),
    ),
  );
}

interface Journey {
  customer: Record<string, unknown> | null;
  touchpoints: { kind: string; id: string; at: number; channel: string | null; summary: Record<string, unknown> }[];
}

/** A customer's journey across channels: tickets, calls and chats, surveys, help-center visits, purchases. */
export async function customerPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const id = ctx.state.id ?? "";
  const j = await api<Journey>(`/customers/${encodeURIComponent(id)}`);
  root.append(
    h("h1", {}, `${t("journey")}: ${id}`),
    j.customer ? h("p", { class: "muted" }, `segment: ${j.customer.segment ?? "–"}`) : "",
    h(
      "ol",
      { class: "timeline" },
      ...j.touchpoints.map((p) =>
        h(
          "li",
          {},
          h("strong", {}, fmtDate(p.at, true)),
          ` — ${p.kind}${p.channel ? ` (${p.channel})` : ""} `,
          p.kind === "ticket" ? h("button", { class: "link", type: "button", onclick: () => ctx.go({ page: "ticket", id: p.id }) }, p.id) : p.id,
          " ",
          h("span", { class: "muted" }, Object.entries(p.summary).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${typeof v === "number" && k.endsWith("_s") ? fmtDuration(v) : v}`).join(" · ")),
        ),
      ),
    ),
  );
}
