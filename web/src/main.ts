import "./style.css";
import { api, type CatalogMetric } from "./api";
import { bell } from "./bell";
import { disposeCharts } from "./charts";
import { baseQuery, metricName, type PageContext } from "./context";
import { h } from "./dom";
import { currentLang, fmtDate, fmtValue, LANGS, type Lang, pickLang, setLang, t } from "./i18n";
import { alertsPage } from "./pages/alerts";
import { familyPage } from "./pages/family";
import { overview, stopLive } from "./pages/overview";
import { customerPage, ticketPage } from "./pages/records";
import { agentsPage, scorecard } from "./pages/scorecard";
import { FILTER_DIMS, readState, type ViewState, writeState } from "./state";

const PAGES = ["overview", "speed", "effectiveness", "volume", "surveys", "customers", "self_service", "agents", "scorecard"] as const;
const app = document.getElementById("app")!;
let catalog = new Map<string, CatalogMetric>();
let scopes: string[] = [];

function signIn(message?: string): void {
  const input = h("input", { name: "key", type: "password", autocomplete: "current-password", required: true, id: "key" });
  const err = h("p", { class: "error", role: "alert" }, message ?? "");
  const form = h(
    "form",
    {
      class: "card signin",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        try {
          await api("/session", { method: "POST", body: JSON.stringify({ key: input.value }) });
          await start();
        } catch {
          err.textContent = t("bad_key");
        }
      },
    },
    h("h1", {}, `${t("app_name")} — ${t("sign_in_title")}`),
    h("p", { class: "muted" }, t("sign_in_help")),
    h("label", { for: "key" }, t("key_label")),
    input,
    h("button", { class: "primary", type: "submit" }, t("sign_in")),
    err,
  );
  app.replaceChildren(form);
  input.focus();
}

function header(s: ViewState, go: PageContext["go"]): HTMLElement {
  const langSel = h("select", { "aria-label": t("language"), id: "lang" }, ...LANGS.map((l) => h("option", { value: l.id, selected: l.id === currentLang() }, l.label)));
  langSel.addEventListener("change", () => go({ lang: langSel.value }));
  return h(
    "header",
    { class: "top" },
    h("span", { class: "brand" }, t("app_name")),
    h(
      "nav",
      { "aria-label": "main" },
      ...PAGES.map((p) => {
        const a = h("a", { href: "#", "data-page": p, "aria-current": s.page === p ? "page" : undefined }, t(`nav_${p}` as Parameters<typeof t>[0]));
        a.addEventListener("click", (ev) => {
          ev.preventDefault();
          go({ page: p, id: null });
        });
        return a;
      }),
    ),
    scopes.includes("admin") || scopes.includes("ingest") ? null : h("span", { class: "status none" }, t("read_only")),
    bell(() => go({ page: "alerts", id: null })),
    langSel,
    h(
      "button",
      {
        type: "button",
        onclick: async () => {
          await api("/session", { method: "DELETE" });
          signIn();
        },
      },
      t("sign_out"),
    ),
  );
}

async function options(dim: string, s: ViewState): Promise<string[]> {
  const res = await api<{ rows: { group?: Record<string, string | null> }[] }>("/metrics", {
    method: "POST",
    body: JSON.stringify({ metrics: ["ticket_volume"], from: s.from, to: s.to, groupBy: [dim] }),
  });
  return res.rows.map((r) => r.group?.[dim]).filter((v): v is string => !!v).sort();
}

function filterBar(s: ViewState, go: PageContext["go"]): HTMLElement {
  const bar = h("div", { class: "filters", role: "search", "aria-label": t("filters") });
  const range = h(
    "select",
    { name: "range", id: "range" },
    ...[
      ["7d", t("preset_7d")],
      ["30d", t("preset_30d")],
      ["90d", t("preset_90d")],
      ["180d", t("preset_180d")],
      ["custom", t("custom")],
    ].map(([v, l]) => h("option", { value: v, selected: s.range === v }, l)),
  );
  range.addEventListener("change", () => go({ range: range.value }));
  const from = h("input", { type: "date", name: "from", value: s.from });
  const to = h("input", { type: "date", name: "to", value: s.to });
  const dates = () => go({ range: "custom", from: from.value, to: to.value });
  from.addEventListener("change", dates);
  to.addEventListener("change", dates);
  bar.append(h("label", {}, t("date_range"), range), h("label", {}, t("from"), from), h("label", {}, t("to"), to));
  for (const dim of FILTER_DIMS) {
    const sel = h("select", { name: dim, id: `filter-${dim}` }, h("option", { value: "" }, t("all")));
    if (s.filters[dim]) sel.append(h("option", { value: s.filters[dim], selected: true }, s.filters[dim]));
    sel.addEventListener("change", () => go({ filters: { ...s.filters, [dim]: sel.value } }));
    sel.addEventListener(
      "focus",
      async () => {
        for (const v of await options(dim, s)) if (v !== s.filters[dim]) sel.append(h("option", { value: v }, v));
      },
      { once: true },
    );
    bar.append(h("label", {}, t(dim), sel));
  }
  const clock = h(
    "select",
    { name: "clock" },
    h("option", { value: "calendar", selected: s.clock === "calendar" }, t("calendar_hours")),
    h("option", { value: "business", selected: s.clock === "business" }, t("business_hours")),
  );
  clock.addEventListener("change", () => go({ clock: clock.value as ViewState["clock"] }));
  const stat = h(
    "select",
    { name: "stat" },
    h("option", { value: "mean", selected: s.stat === "mean" }, t("mean")),
    h("option", { value: "median", selected: s.stat === "median" }, t("median")),
  );
  stat.addEventListener("change", () => go({ stat: stat.value as ViewState["stat"] }));
  bar.append(h("label", {}, t("clock"), clock), h("label", {}, t("statistic"), stat));
  return bar;
}

/** Explain a number: its definition, formula, numerator and denominator, and the records it counted. */
async function explain(ctx: PageContext, id: string, opts: { group?: Record<string, string>; bucket?: string; grain?: string } = {}): Promise<void> {
  const m = ctx.catalog.get(id)!;
  const dialog = h("dialog", { id: "explain", "aria-labelledby": "explain-title" });
  document.body.append(dialog);
  const q = { ...baseQuery(ctx), metrics: [id] };
  const drillReq = { metric: id, from: ctx.state.from, to: ctx.state.to, filters: q.filters, ...opts, pageSize: 50 };
  const [res, dd] = await Promise.all([
    api<{ rows: { value: number | null; numerator?: number | null; denominator?: number | null; count?: number }[] }>("/metrics", { method: "POST", body: JSON.stringify(q) }),
    api<{ total: number; items: Record<string, unknown>[]; columns: string[] }>("/metrics/drilldown", { method: "POST", body: JSON.stringify(drillReq) }),
  ]);
  const r = res.rows[0];
  const cols = dd.columns;
  const cell = (c: string, v: unknown) => {
    if (v === null || v === undefined) return "–";
    if ((c === "ticket_id" || c === "customer_id") && typeof v === "string")
      return h(
        "button",
        {
          class: "link",
          type: "button",
          onclick: () => {
            dialog.close();
            ctx.go({ page: c === "ticket_id" ? "ticket" : "customer", id: v });
          },
        },
        v,
      );
    if (c.endsWith("_at") && typeof v === "number") return fmtDate(v, true);
    return String(v);
  };
  const csv = h(
    "button",
    {
      type: "button",
      onclick: async () => {
        const res = await fetch("/api/v1/metrics/drilldown?format=csv", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...drillReq, pageSize: 10_000 }) });
        const url = URL.createObjectURL(await res.blob());
        h("a", { href: url, download: `${id}.csv` }).click();
      },
    },
    t("download_csv"),
  );
  dialog.append(
    h("h2", { id: "explain-title" }, metricName(ctx, id, currentLang())),
    h("p", {}, h("strong", {}, `${t("definition")}: `), m.definition),
    h("p", {}, h("strong", {}, `${t("formula")}: `), m.formula),
    h("p", {}, h("strong", {}, `${t("attribution")}: `), m.attribution),
    h(
      "div",
      { class: "grid" },
      h("div", { class: "card" }, h("div", { class: "label" }, t("value")), fmtValue(r?.value ?? null, m.unit)),
      h("div", { class: "card" }, h("div", { class: "label" }, t("numerator")), String(r?.numerator ?? "–")),
      h("div", { class: "card" }, h("div", { class: "label" }, t("denominator")), String(r?.denominator ?? r?.count ?? "–")),
    ),
    h("h3", {}, `${t("records_counted")}: ${dd.total}`),
    h("div", { style: "max-height:45vh;overflow:auto" }, h("table", { id: "drill" }, h("thead", {}, h("tr", {}, ...cols.map((c) => h("th", {}, c)))), h("tbody", {}, ...dd.items.map((it) => h("tr", {}, ...cols.map((c) => h("td", {}, cell(c, it[c])))))))),
    h("p", { class: "row" }, csv, h("button", { type: "button", class: "primary", onclick: () => dialog.close() }, t("close"))),
  );
  dialog.addEventListener("close", () => dialog.remove());
  dialog.showModal();
}

async function render(): Promise<void> {
  const s = readState();
  setLang(pickLang(s.lang) as Lang);
  document.body.classList.toggle("wall", new URLSearchParams(location.search).get("wall") === "1");
  stopLive();
  disposeCharts();
  const go: PageContext["go"] = (patch) => {
    writeState({ ...readState(), ...patch, lang: patch.lang ?? currentLang() });
    void render();
  };
  const ctx: PageContext = { state: s, catalog, scopes, go, explain: (id, o) => void explain(ctx, id, o) };
  const main = h("main", { id: "main", tabindex: "-1" });
  app.replaceChildren(header(s, go), s.page === "ticket" || s.page === "customer" ? "" : filterBar(s, go), main);
  try {
    if (s.page === "overview") await overview(main, ctx);
    else if (s.page === "scorecard") await scorecard(main, ctx);
    else if (s.page === "agents") await agentsPage(main, ctx);
    else if (s.page === "ticket") await ticketPage(main, ctx);
    else if (s.page === "customer") await customerPage(main, ctx);
    else if (s.page === "alerts") await alertsPage(main, ctx);
    else await familyPage(main, ctx, s.page);
  } catch (e) {
    main.append(h("p", { class: "error", role: "alert" }, `${t("error")}: ${e instanceof Error ? e.message : String(e)}`));
  }
}

async function start(): Promise<void> {
  // A key in the URL fragment (from `npm start`'s link) signs in once, then leaves the URL.
  const m = /key=([^&]+)/.exec(location.hash) ?? /[?&]key=([^&]+)/.exec(location.search);
  if (m) {
    await api("/session", { method: "POST", body: JSON.stringify({ key: decodeURIComponent(m[1]) }) }).catch(() => undefined);
    const q = new URLSearchParams(location.search);
    q.delete("key");
    history.replaceState(null, "", `${location.pathname}?${q.toString()}`);
  }
  setLang(pickLang(readState().lang) as Lang);
  const me = await api<{ signed_in: boolean; workspace?: string; scopes?: string[] }>("/session");
  if (!me.signed_in) return signIn();
  scopes = me.scopes ?? [];
  const cat = await api<{ metrics: CatalogMetric[] }>("/metrics/catalog");
  catalog = new Map(cat.metrics.map((x) => [x.id, x]));
  writeState({ ...readState(), lang: currentLang() }, false);
  await render();
}

window.addEventListener("popstate", () => void render());
void start();
