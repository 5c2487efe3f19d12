import "./style.css";
import { api, type CatalogAnswer, type CatalogMetric, type DrilldownResult, detectGrains, type MetricRow } from "./api";
import { bell } from "./bell";
import { at } from "./i18n/alerts";
import { disposeCharts } from "./charts";
import { baseQuery, metricName, type PageContext } from "./context";
import { h } from "./dom";
import { datePicker } from "./date-picker";
import { cellText } from "./drill";
import { currentLang, errorText, fmt, LANGS, type Lang, metricText, pickLang, setLang, setTimeZone, t, tf, vocabWord, word } from "./i18n";
import { alertsPage } from "./pages/alerts";
import { familyPage } from "./pages/family";
import { overview, stopLive } from "./pages/overview";
import { customerPage, ticketPage } from "./pages/records";
import { agentsPage, scorecard } from "./pages/scorecard";
import { staffingPage } from "./pages/staffing";
import { FILTER_DIMS, readState, type ViewState, writeState } from "./state";

const PAGES = ["overview", "speed", "effectiveness", "volume", "surveys", "customers", "self_service", "agents", "scorecard", "staffing"] as const;
const app = document.getElementById("app")!;
let catalog = new Map<string, CatalogMetric>();
let scopes: string[] = [];
let weekStart = "mon";

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
        } catch (e) {
          err.textContent = e && typeof e === "object" && "status" in e && (e as { status: number }).status < 500 ? t("bad_key") : errorText(e);
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
  const langSel = h(
    "select",
    { "aria-label": t("language"), id: "lang" },
    ...LANGS.map((l) => h("option", { value: l.id, selected: l.id === currentLang() }, l.label)),
  );
  langSel.addEventListener("change", () => go({ lang: langSel.value }));
  // on a phone the pages fold behind one button instead of stacking over the screen
  const toggle = h("button", { type: "button", class: "nav-toggle", "aria-expanded": "false", "aria-controls": "main-nav" }, `☰ ${t("nav_menu")}`);
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    document.getElementById("main-nav")?.classList.toggle("open", open);
  });
  return h(
    "header",
    { class: "top" },
    h("a", { class: "skip", href: "#main" }, t("skip_to_main")),
    h("span", { class: "brand" }, t("app_name")),
    toggle,
    h(
      "nav",
      { "aria-label": t("nav_menu"), id: "main-nav" },
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
  return res.rows
    .map((r) => r.group?.[dim])
    .filter((v): v is string => !!v)
    .sort();
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
  const from = datePicker("from", s.from);
  const to = datePicker("to", s.to);
  const dates = () => go({ range: "custom", from: from.value(), to: to.value() });
  from.onChange(dates);
  to.onChange(dates);
  // on a phone the filters beyond the dates fold behind one button
  const more = h("div", { class: "more-filters", id: "more-filters" });
  const active = Object.values(s.filters).filter(Boolean).length;
  const moreToggle = h(
    "button",
    { type: "button", class: "filters-toggle", "aria-expanded": "false", "aria-controls": "more-filters" },
    active ? `${t("filters")} (${fmt().integer(active)})` : t("filters"),
  );
  moreToggle.addEventListener("click", () => {
    const open = moreToggle.getAttribute("aria-expanded") !== "true";
    moreToggle.setAttribute("aria-expanded", String(open));
    more.classList.toggle("open", open);
  });
  bar.append(h("label", {}, t("date_range"), range), h("label", {}, t("from"), from.el), h("label", {}, t("to"), to.el), moreToggle, more);
  for (const dim of FILTER_DIMS) {
    const sel = h("select", { name: dim, id: `filter-${dim}` }, h("option", { value: "" }, t("all")));
    const kind = dim === "agent" ? "agent" : dim;
    if (s.filters[dim]) sel.append(h("option", { value: s.filters[dim], selected: true }, word(kind, s.filters[dim])));
    sel.addEventListener("change", () => go({ filters: { ...s.filters, [dim]: sel.value } }));
    sel.addEventListener(
      "focus",
      async () => {
        for (const v of await options(dim, s)) if (v !== s.filters[dim]) sel.append(h("option", { value: v }, word(kind, v)));
      },
      { once: true },
    );
    more.append(h("label", {}, t(dim), sel));
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
  more.append(h("label", {}, t("clock"), clock), h("label", {}, t("statistic"), stat));
  return bar;
}

/** Explain a number: its definition, formula, numerator and denominator, and the records it counted. */
async function explain(ctx: PageContext, id: string, opts: { group?: Record<string, string>; bucket?: string; grain?: string } = {}): Promise<void> {
  const m = ctx.catalog.get(id)!;
  const f = fmt();
  const dialog = h("dialog", { id: "explain", "aria-labelledby": "explain-title" });
  document.body.append(dialog);
  const q = { ...baseQuery(ctx), metrics: [id] };
  const drillReq = { metric: id, from: ctx.state.from, to: ctx.state.to, filters: q.filters, ...opts, pageSize: 50 };
  const [res, dd] = await Promise.all([
    api<{ rows: MetricRow[] }>("/metrics", { method: "POST", body: JSON.stringify(q) }),
    api<DrilldownResult>("/metrics/drilldown", { method: "POST", body: JSON.stringify(drillReq) }),
  ]);
  const r = res.rows.find((x) => !x.group) ?? res.rows[0];
  const cols = dd.columns;
  const cell = (c: string, v: unknown) => {
    if ((c === "ticket_id" || c === "customer_id") && typeof v === "string" && v)
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
    return cellText(c, v);
  };
  const csv = h(
    "button",
    {
      type: "button",
      onclick: async () => {
        const res = await fetch("/api/v1/metrics/drilldown?format=csv", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...drillReq, pageSize: 10_000 }),
        });
        const url = URL.createObjectURL(await res.blob());
        h("a", { href: url, download: `${id}.csv` }).click();
      },
    },
    t("download_csv"),
  );
  // a duration's numerator is a sum of seconds; everything else counts records
  const part = (v: number | null | undefined) => (m.unit === "seconds" ? f.duration(v) : f.number(v, Number.isInteger(v) ? 0 : 1));
  const text = metricText(m);
  dialog.append(
    h("h2", { id: "explain-title" }, metricName(ctx, id, currentLang())),
    h("p", {}, h("strong", {}, `${t("definition")}: `), text.definition),
    h("p", {}, h("strong", {}, `${t("formula")}: `), h("span", { class: "formula" }, text.formula)),
    h("p", {}, h("strong", {}, `${t("attribution")}: `), text.attribution),
    h(
      "div",
      { class: "grid" },
      h("div", { class: "card" }, h("div", { class: "label" }, t("value")), h("span", { "data-part": "value" }, f.value(r?.value ?? null, m.unit))),
      h("div", { class: "card" }, h("div", { class: "label" }, t("numerator")), h("span", { "data-part": "numerator" }, part(r?.numerator))),
      h(
        "div",
        { class: "card" },
        h("div", { class: "label" }, t("denominator")),
        h("span", { "data-part": "denominator" }, f.number(r?.denominator ?? r?.count ?? null, 0)),
      ),
    ),
    h("h3", {}, `${t("records_counted")}: ${f.integer(dd.total)}`),
    dd.total > dd.items.length ? h("p", { class: "muted" }, tf("drill_more", { n: f.integer(dd.items.length), total: f.integer(dd.total) })) : "",
    h(
      "div",
      { class: "scroll", style: "max-height:45vh", tabindex: "0", role: "region", "aria-label": t("records_counted") },
      h(
        "table",
        { id: "drill" },
        h("thead", {}, h("tr", {}, ...cols.map((c) => h("th", { scope: "col" }, vocabWord(`col.${c}`, c))))),
        h("tbody", {}, ...dd.items.map((it) => h("tr", {}, ...cols.map((c) => h("td", {}, cell(c, it[c])))))),
      ),
    ),
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
  const ctx: PageContext = { state: s, catalog, scopes, go, weekStart, explain: (id, o) => void explain(ctx, id, o) };
  const main = h("main", { id: "main", tabindex: "-1" });
  app.replaceChildren(header(s, go), s.page === "ticket" || s.page === "customer" ? "" : filterBar(s, go), main);
  document.title = `${t("app_name")} — ${PAGES.includes(s.page as (typeof PAGES)[number]) ? t(`nav_${s.page}` as Parameters<typeof t>[0]) : s.page === "ticket" ? t("ticket") : s.page === "alerts" ? at("nav_alerts") : t("journey")}`;
  try {
    if (s.page === "overview") await overview(main, ctx);
    else if (s.page === "scorecard") await scorecard(main, ctx);
    else if (s.page === "agents") await agentsPage(main, ctx);
    else if (s.page === "ticket") await ticketPage(main, ctx);
    else if (s.page === "customer") await customerPage(main, ctx);
    else if (s.page === "alerts") await alertsPage(main, ctx);
    else if (s.page === "staffing") await staffingPage(main, ctx);
    else await familyPage(main, ctx, s.page);
  } catch (e) {
    main.append(h("p", { class: "error", role: "alert" }, `${t("error")}: ${errorText(e)}`));
  }
  // tests and screen readers know the page is complete
  main.dataset.ready = "1";
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
  const [cat, settings] = await Promise.all([
    api<CatalogAnswer>("/metrics/catalog"),
    api<{ timezone?: string; week_start?: string }>("/settings").catch(() => ({}) as { timezone?: string; week_start?: string }),
    detectGrains(),
  ]);
  setTimeZone(settings.timezone);
  weekStart = settings.week_start ?? "mon";
  catalog = new Map(cat.metrics.map((x) => [x.id, x]));
  writeState({ ...readState(), lang: currentLang() }, false);
  await render();
}

window.addEventListener("popstate", () => void render());
void start();
