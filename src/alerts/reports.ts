import type { WorkspaceSettings } from "../config/settings.js";
import { UserError } from "../errors/user-error.js";
import { bucketStart } from "../metrics/buckets.js";
import { METRICS } from "../metrics/catalog.js";
import { runMetrics } from "../metrics/compiler.js";
import { toCsv } from "../metrics/csv.js";
import type { Outbox } from "../notify/outbox.js";
import { htmlToPdf } from "../notify/pdf.js";
import { ph } from "../store/sql.js";
import type { Store } from "../store/store.js";
import type { Lang, ReportSchedule } from "./rules.js";
import { fmtDate, fmtNum, fmtTime, isRtl, text } from "./texts.js";

/** The headline KPIs of a digest unless the schedule names its own. */
export const DIGEST_METRICS = ["ticket_volume", "first_response_time", "resolution_time", "sla_compliance", "first_contact_resolution", "csat"];

export interface KpiLine {
  metric: string;
  unit: string;
  direction: string;
  value: number | null;
  previous: number | null;
  change: number | null;
  target: number | null;
}

export interface Breach {
  ticket_id: string;
  target: "first_reply" | "resolution";
  due_at: number;
  overdue_s: number;
  priority: string | null;
  agent_id: string | null;
}

export interface Digest {
  from: number;
  to: number;
  kpis: KpiLine[];
  breaches: Breach[];
}

/** The last complete period (day, week or month) before `now`, in the report's zone. */
export function reportPeriod(report: ReportSchedule, settings: WorkspaceSettings, now: number): { from: number; to: number } {
  const tz = report.timezone ?? settings.timezone;
  const to = bucketStart(report.period, now, tz, settings.week_start);
  return { from: bucketStart(report.period, to - 1, tz, settings.week_start), to };
}

/** Computes a digest: KPIs vs the previous period and target, and the ten worst SLA breaches of tickets created in the period. */
export async function buildDigest(store: Store, workspace: string, settings: WorkspaceSettings, report: ReportSchedule, now: number): Promise<Digest> {
  const { from, to } = reportPeriod(report, settings, now);
  const metrics = report.metrics?.length ? report.metrics : DIGEST_METRICS;
  const filters: Record<string, string[]> = report.team ? { team: [report.team] } : {};
  const res = await runMetrics(store, workspace, settings, {
    metrics,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    filters,
    compare: true,
  });
  const kpis = metrics.map((id): KpiLine => {
    const def = METRICS.get(id)!;
    const row = res.rows.find((r) => r.metric === id && !r.group && !r.bucket);
    const prev = (row?.previous as { value: number | null } | null | undefined)?.value ?? null;
    // A duration's headline is its median: one slow ticket should not move the digest.
    const value = def.unit === "seconds" ? (row?.median ?? row?.value ?? null) : (row?.value ?? null);
    return {
      metric: id,
      unit: def.unit,
      direction: def.direction,
      value,
      previous: prev,
      change: row?.change == null ? null : Number(row.change),
      target: settings.targets[id] ?? def.target,
    };
  });
  const s = store;
  const params: (string | number)[] = [workspace, from, to];
  const team = report.team ? ` AND team_id = ${ph(s, 4)}` : "";
  if (report.team) params.push(report.team);
  const rows = await s.query<Record<string, number | string | null>>(
    `SELECT ticket_id, priority, agent_id, sla_frt_met, sla_frt_due_at, first_reply_at, sla_res_met, sla_res_due_at, first_solved_at FROM ticket_facts
     WHERE workspace = ${ph(s, 1)} AND created_at >= ${ph(s, 2, from)} AND created_at < ${ph(s, 3, to)} AND (NOT sla_frt_met OR NOT sla_res_met)${team}`,
    params,
  );
  const breaches: Breach[] = [];
  const n = (v: unknown) => (v == null ? null : Number(v));
  for (const r of rows) {
    const base = { ticket_id: String(r.ticket_id), priority: (r.priority as string | null) ?? null, agent_id: (r.agent_id as string | null) ?? null };
    const frtDue = n(r.sla_frt_due_at);
    const resDue = n(r.sla_res_due_at);
    // Overdue on the wall clock: how late the reply or the resolution came (or is, if still missing).
    if (n(r.sla_frt_met) === 0 && frtDue !== null)
      breaches.push({ ...base, target: "first_reply", due_at: frtDue, overdue_s: ((n(r.first_reply_at) ?? now) - frtDue) / 1000 });
    if (n(r.sla_res_met) === 0 && resDue !== null)
      breaches.push({ ...base, target: "resolution", due_at: resDue, overdue_s: ((n(r.first_solved_at) ?? now) - resDue) / 1000 });
  }
  breaches.sort((a, b) => b.overdue_s - a.overdue_s || a.ticket_id.localeCompare(b.ticket_id));
  return { from, to, kpis, breaches: breaches.slice(0, 10) };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

function fmtValue(lang: Lang, v: number | null, unit: string): string {
  if (v === null) return "–";
  if (unit === "seconds") return v >= 5400 ? `${fmtNum(lang, v / 3600)} ${text(lang, "hours")}` : `${fmtNum(lang, v / 60)} ${text(lang, "minutes")}`;
  if (unit === "percent") return `${fmtNum(lang, v)} %`;
  return fmtNum(lang, v);
}

/** The digest's CSV: one line per KPI (raw numbers, seconds and percent as the API gives them). */
export function digestCsv(d: Digest): string {
  return `${toCsv(
    d.kpis.map((k) => ({ ...k, from: new Date(d.from).toISOString(), to: new Date(d.to).toISOString() })),
    ["metric", "unit", "value", "previous", "change", "target", "from", "to"],
  )}\n`;
}

/** The report page (mail body and PDF), in the recipient's language and direction. */
export function digestHtml(d: Digest, report: ReportSchedule, lang: Lang, tz: string): string {
  const name = (id: string) => METRICS.get(id)?.names[lang] ?? id;
  const kpiRows = d.kpis
    .map((k) => {
      const change = k.value !== null && k.previous !== null ? k.value - k.previous : null;
      return `<tr><td>${esc(name(k.metric))}</td><td>${fmtValue(lang, k.value, k.unit)}</td><td>${fmtValue(lang, k.previous, k.unit)}</td><td>${change === null ? "–" : `${change > 0 ? "+" : ""}${fmtValue(lang, change, k.unit)}`}</td><td>${fmtValue(lang, k.target, k.unit)}</td></tr>`;
    })
    .join("");
  const breachRows = d.breaches
    .map(
      (b) =>
        `<tr><td>${esc(b.ticket_id)}</td><td>${text(lang, b.target)}</td><td>${fmtTime(lang, b.due_at, tz)}</td><td>${fmtValue(lang, b.overdue_s, "seconds")}</td><td>${esc(b.agent_id ?? "–")}</td></tr>`,
    )
    .join("");
  const period = `${fmtDate(lang, d.from, tz)} – ${fmtDate(lang, d.to - 1, tz)}`;
  return `<!doctype html><html lang="${lang}" dir="${isRtl(lang) ? "rtl" : "ltr"}"><head><meta charset="utf-8"><title>${esc(report.name)}</title>
<style>body{font-family:system-ui,"Noto Sans","Noto Sans Arabic","WenQuanYi Zen Hei",sans-serif;color:#1f2328;margin:0}h1{font-size:20px}table{border-collapse:collapse;width:100%;margin:8px 0 20px}th,td{border-bottom:1px solid #d0d7de;padding:6px 8px;text-align:start}th{background:#f6f8fa}</style></head>
<body><h1>${esc(text(lang, "report_title"))} — ${esc(report.name)}</h1>
<p>${esc(text(lang, "report_period"))}: ${period} · ${esc(text(lang, "team"))}: ${esc(report.team ?? text(lang, "all_teams"))}</p>
<table><thead><tr><th>${text(lang, "report_metric")}</th><th>${text(lang, "value")}</th><th>${text(lang, "report_previous")}</th><th>${text(lang, "report_change")}</th><th>${text(lang, "report_target")}</th></tr></thead><tbody>${kpiRows}</tbody></table>
<h2>${esc(text(lang, "report_breaches"))}</h2>
${d.breaches.length ? `<table><thead><tr><th>${text(lang, "ticket")}</th><th>SLA</th><th>${text(lang, "due")}</th><th>${text(lang, "report_overdue")}</th><th>${text(lang, "agent")}</th></tr></thead><tbody>${breachRows}</tbody></table>` : `<p>${text(lang, "report_none")}</p>`}
</body></html>`;
}

function digestText(d: Digest, report: ReportSchedule, lang: Lang, tz: string): string {
  const name = (id: string) => METRICS.get(id)?.names[lang] ?? id;
  return [
    `${text(lang, "report_title")} — ${report.name}`,
    `${text(lang, "report_period")}: ${fmtDate(lang, d.from, tz)} – ${fmtDate(lang, d.to - 1, tz)}`,
    "",
    ...d.kpis.map(
      (k) =>
        `${name(k.metric)}: ${fmtValue(lang, k.value, k.unit)} (${text(lang, "report_previous")}: ${fmtValue(lang, k.previous, k.unit)}; ${text(lang, "report_target")}: ${fmtValue(lang, k.target, k.unit)})`,
    ),
    "",
    `${text(lang, "report_breaches")}:`,
    ...(d.breaches.length
      ? d.breaches.map((b) => `${b.ticket_id} · ${text(lang, b.target)} · ${text(lang, "report_overdue")} ${fmtValue(lang, b.overdue_s, "seconds")}`)
      : [text(lang, "report_none")]),
    "",
    text(lang, "report_attached"),
  ].join("\n");
}

/** Builds a digest and mails it, one rendering per language, with the CSV and the PDF attached. */
export async function sendReport(
  store: Store,
  outbox: Outbox,
  workspace: string,
  settings: WorkspaceSettings,
  reportId: string,
  now: number,
): Promise<{ sent: number; digest: Digest }> {
  const report = settings.reports.find((r) => r.id === reportId);
  if (!report) throw new UserError("not_found", `no report "${reportId}" in this workspace's settings.reports`, 404);
  const tz = report.timezone ?? settings.timezone;
  const digest = await buildDigest(store, workspace, settings, report, now);
  const csv = digestCsv(digest);
  const byLang = new Map<Lang, string[]>();
  for (const r of report.recipients) byLang.set(r.lang, [...(byLang.get(r.lang) ?? []), r.email]);
  const day = new Date(digest.from).toISOString().slice(0, 10);
  for (const [lang, to] of byLang) {
    const html = digestHtml(digest, report, lang, tz);
    const attachments: { filename: string; content: Buffer | string; contentType: string }[] = [
      { filename: `deskpulse-${day}.csv`, content: csv, contentType: "text/csv; charset=utf-8" },
    ];
    if (report.pdf) attachments.push({ filename: `deskpulse-${day}-${lang}.pdf`, content: await htmlToPdf(html), contentType: "application/pdf" });
    outbox.enqueueMail(
      workspace,
      {
        to,
        subject: `${text(lang, "report_title")}: ${report.name} (${fmtDate(lang, digest.from, tz)})`,
        text: digestText(digest, report, lang, tz),
        html,
        attachments,
      },
      `report:${report.id}`,
    );
  }
  return { sent: report.recipients.length, digest };
}
