import { api, type JourneyView, type TicketView, type Touchpoint } from "../api";
import type { PageContext } from "../context";
import { h } from "../dom";
import { fmt, t, tf, vocabWord, word } from "../i18n";

/** A ticket's facts and its timeline of events. */
export async function ticketPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const id = ctx.state.id ?? "";
  const f = fmt();
  const v = await api<TicketView>(`/tickets/${encodeURIComponent(id)}`);
  const x = v.ticket;
  const fact = (label: string, value: string) => h("div", { class: "card" }, h("div", { class: "label" }, label), value);
  root.append(
    h("h1", {}, `${t("ticket")} ${id}`),
    h(
      "div",
      { class: "grid" },
      fact(t("status"), word("status", x.status)),
      fact(t("channel"), word("channel", x.channel)),
      fact(t("priority"), word("priority", x.priority)),
      fact(t("team"), word("team", x.team_id)),
      fact(t("agent"), String(x.agent_id ?? "–")),
      fact(t("topic"), word("topic", x.topic)),
      fact(t("frt_short"), f.duration(x.frt_s as number | null)),
      fact(t("resolution_short"), f.duration(x.res_full_s as number | null)),
    ),
    x.customer_id
      ? h(
          "p",
          {},
          h(
            "button",
            { class: "link", type: "button", onclick: () => ctx.go({ page: "customer", id: String(x.customer_id) }) },
            `${t("customer")}: ${x.customer_id}`,
          ),
        )
      : "",
    h("h2", {}, t("timeline")),
    h(
      "ol",
      { class: "timeline" },
      ...v.events.map((e) => {
        const b = e.body;
        const who = b.author_type
          ? ` (${vocabWord(`author.${b.author_type}`, String(b.author_type))}${b.public === false ? `، ${vocabWord("internal")}` : ""})`
          : "";
        return h(
          "li",
          { "data-event": e.type },
          h("strong", {}, f.dateTime(e.ts)),
          " — ",
          vocabWord(`event.${e.type}`, e.type),
          who,
          b.status ? ` → ${word("status", b.status)}` : "",
          b.agent_id ? ` · ${b.agent_id}` : "",
          b.team_id ? ` · ${word("team", b.team_id)}` : "",
          typeof b.score === "number" ? ` · ${t("satisfaction")}: ${f.number(b.score as number, 1)}` : "",
        );
      }),
    ),
  );
}

const LANES = ["helpcenter", "email", "web", "chat", "phone", "social", "survey", "purchase", "other"];
const laneOf = (p: Touchpoint) =>
  p.kind === "helpcenter" || p.kind === "purchase" ? p.kind : p.kind === "survey" && !p.channel ? "survey" : (p.channel ?? "other");

const laneName = (l: string) => (l === "helpcenter" || l === "purchase" || l === "survey" ? vocabWord(`kind.${l}`) : word("channel", l));

/** What went badly at a touchpoint, in the page's language (the journey's "moments that hurt"). */
function hurts(p: Touchpoint): string[] {
  const f = fmt();
  const s = p.summary;
  const out: string[] = [];
  if (p.kind === "contact" && s.abandoned === true) out.push(tf("hurt_abandoned", { d: f.duration(s.wait_s as number) }));
  if (p.kind === "ticket") {
    if (typeof s.frt_s === "number" && s.frt_s > 4 * 3600) out.push(tf("hurt_slow_reply", { d: f.duration(s.frt_s) }));
    if (typeof s.reopens === "number" && s.reopens > 0) out.push(tf("hurt_reopened", { n: f.integer(s.reopens) }));
    if (typeof s.res_full_s === "number" && s.res_full_s > 2 * 86_400) out.push(tf("hurt_long_resolution", { d: f.duration(s.res_full_s) }));
  }
  if (p.kind === "survey" && typeof s.score === "number" && typeof s.scale === "number") {
    const low = s.scale === 10 || s.kind === "nps" ? s.score <= 6 : s.score <= Math.floor((s.scale as number) / 2);
    if (low) out.push(tf("hurt_low_score", { s: `${f.integer(s.score)}/${f.integer(s.scale)}` }));
  }
  return out;
}

/** The short line under a touchpoint: status, waits, handle time, score. */
function detail(p: Touchpoint): string {
  const f = fmt();
  const s = p.summary;
  if (p.kind === "ticket")
    return [
      word("status", s.status),
      s.frt_s != null ? `${t("frt_short")}: ${f.duration(s.frt_s as number)}` : "",
      s.res_full_s != null ? `${t("resolution_short")}: ${f.duration(s.res_full_s as number)}` : "",
    ]
      .filter(Boolean)
      .join(" · ");
  if (p.kind === "contact")
    return [
      s.abandoned ? t("abandoned") : t("answered"),
      s.wait_s != null ? tf("waited", { d: f.duration(s.wait_s as number) }) : "",
      s.handle_s != null ? tf("handle", { d: f.duration(s.handle_s as number) }) : "",
    ]
      .filter(Boolean)
      .join(" · ");
  if (p.kind === "survey") return `${vocabWord(`survey.${s.kind}`, String(s.kind))}: ${f.integer(s.score as number)}/${f.integer(s.scale as number)}`;
  if (p.kind === "helpcenter") return tf("searches_views", { s: f.integer(s.searches as number), v: f.integer(s.views as number) });
  if (p.kind === "purchase")
    return [word("product", s.product), s.amount != null ? `${t("amount")}: ${f.number(s.amount as number, 2)}` : ""].filter(Boolean).join(" · ");
  return "";
}

/** A customer's journey as a timeline: touchpoints in channel lanes, the waits between them, satisfaction, the moments that hurt. */
export async function customerPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const id = ctx.state.id ?? "";
  const f = fmt();
  const j = await api<JourneyView>(`/customers/${encodeURIComponent(id)}`);
  const points = j.touchpoints;
  const lanes = LANES.filter((l) => points.some((p) => laneOf(p) === l));
  const sat = points.filter((p) => p.kind === "survey" && typeof p.summary.score === "number");
  const pain = points.flatMap((p) => hurts(p).map((why) => ({ p, why })));
  root.append(
    h("h1", {}, `${t("journey")}: ${id}`),
    h(
      "div",
      { class: "grid" },
      j.customer ? h("div", { class: "card" }, h("div", { class: "label" }, t("segment")), word("segment", j.customer.segment)) : "",
      j.customer?.created_at ? h("div", { class: "card" }, h("div", { class: "label" }, t("customer_since")), f.date(j.customer.created_at as number)) : "",
      h("div", { class: "card" }, h("div", { class: "label" }, t("touchpoints")), f.integer(points.length)),
      h(
        "div",
        { class: "card" },
        h("div", { class: "label" }, t("satisfaction")),
        sat.length ? sat.map((p) => `${f.integer(p.summary.score as number)}/${f.integer(p.summary.scale as number)}`).join(" · ") : "–",
      ),
    ),
    h("p", { class: "muted" }, t("journey_help")),
  );
  // lanes: one column per channel, one row per touchpoint in time order; the wait since the previous touchpoint between rows
  const head = h(
    "div",
    { class: "lane-row lane-head" },
    h("span", { class: "lane-when" }, ""),
    ...lanes.map((l) => h("span", { class: "lane-name" }, laneName(l))),
  );
  const rows: HTMLElement[] = [head];
  let prev: number | null = null;
  for (const p of points) {
    if (prev !== null && p.at - prev >= 60_000) rows.push(h("div", { class: "lane-gap" }, tf("then_after", { d: f.duration((p.at - prev) / 1000) })));
    prev = p.at;
    const hurt = hurts(p);
    const node = h(
      "div",
      { class: `touch ${hurt.length ? "hurt" : ""} kind-${p.kind}`, "data-kind": p.kind },
      h("strong", {}, vocabWord(`kind.${p.kind}`, p.kind)),
      " ",
      // on a phone the lanes stack, so each touchpoint names its lane
      h("span", { class: "chip" }, laneName(laneOf(p))),
      " ",
      p.kind === "ticket" ? h("button", { class: "link", type: "button", onclick: () => ctx.go({ page: "ticket", id: p.id }) }, p.id) : "",
      h("div", { class: "muted" }, detail(p)),
      ...hurt.map((x) => h("div", { class: "hurt-why" }, `⚠ ${x}`)),
    );
    rows.push(
      h(
        "div",
        { class: "lane-row" },
        h("span", { class: "lane-when muted" }, f.dateTime(p.at)),
        ...lanes.map((l) => h("span", { class: "lane-cell" }, l === laneOf(p) ? node : null)),
      ),
    );
  }
  root.append(
    h("h2", {}, t("timeline")),
    h("div", { class: "scroll journey", tabindex: "0", role: "region", "aria-label": t("timeline"), style: `--lanes:${lanes.length}` }, ...rows),
    h("h2", {}, t("moments_hurt")),
    pain.length
      ? h(
          "ul",
          { class: "pain" },
          ...pain.map(({ p, why }) =>
            h("li", {}, h("strong", {}, f.dateTime(p.at)), ` — ${vocabWord(`kind.${p.kind}`, p.kind)} (${laneName(laneOf(p))}): ${why}`),
          ),
        )
      : h("p", { class: "muted" }, t("no_moments_hurt")),
  );
}
