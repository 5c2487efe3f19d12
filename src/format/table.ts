import type { Formatter } from "./format.js";

/**
 * A plain-text table for a terminal: columns sized to their widest cell, numbers aligned to the
 * right, text to the left, CJK characters counted as two columns.
 */
export interface Column {
  title: string;
  align?: "left" | "right";
}

/** Terminal columns a string takes: East Asian wide characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x0300 && c <= 0x036f) continue;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6)
        ? 2
        : 1;
  }
  return w;
}

export function textTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(displayWidth(c.title), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const pad = (s: string, i: number) => {
    const fill = " ".repeat(widths[i] - displayWidth(s));
    return columns[i].align === "right" ? fill + s : s + fill;
  };
  const line = (cells: string[]) => cells.map(pad).join("  ").trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** A change in a percentage is in percentage points, not percent. */
function change(f: Formatter, d: number, unit: string): string {
  return unit === "percent" ? `${f.signed(d, "score")} pp` : f.signed(d, unit);
}

interface ReportRow {
  metric: string;
  bucket?: string;
  group?: Record<string, string | null>;
  value: number | null;
  count?: number;
  denominator?: number | null;
  median?: number | null;
  p90?: number | null;
  previous?: { value: number | null } | null;
}

/** The rows of a metric report as a human table: names, bucket labels in the workspace zone, values in their units. */
export function reportTable(rows: ReportRow[], f: Formatter, metricInfo: (id: string) => { name: string; unit: string }, grain?: string): string {
  const dims = [...new Set(rows.flatMap((r) => Object.keys(r.group ?? {})))];
  const hasBucket = rows.some((r) => r.bucket);
  const hasDuration = rows.some((r) => metricInfo(r.metric).unit === "seconds" && (r.median != null || r.p90 != null));
  const hasPrevious = rows.some((r) => r.previous !== undefined);
  const bucketLabel = (b: string) =>
    grain === "hour" ? f.dateTime(b) : grain === "month" || grain === "quarter" || grain === "year" ? f.bucket(b, grain) : f.date(b);
  const columns: Column[] = [
    { title: "metric" },
    ...(hasBucket ? [{ title: grain ?? "bucket" }] : []),
    ...dims.map((d) => ({ title: d })),
    { title: "value", align: "right" as const },
    ...(hasDuration
      ? [
          { title: "median", align: "right" as const },
          { title: "p90", align: "right" as const },
        ]
      : []),
    { title: "n", align: "right" as const },
    ...(hasPrevious
      ? [
          { title: "previous", align: "right" as const },
          { title: "change", align: "right" as const },
        ]
      : []),
  ];
  const body = rows.map((r) => {
    const { name, unit } = metricInfo(r.metric);
    const prev = r.previous?.value ?? null;
    return [
      name,
      ...(hasBucket ? [r.bucket ? bucketLabel(r.bucket) : ""] : []),
      ...dims.map((d) => r.group?.[d] ?? "–"),
      f.value(r.value, unit),
      ...(hasDuration ? (unit === "seconds" ? [f.duration(r.median), f.duration(r.p90)] : ["", ""]) : []),
      f.integer(r.denominator ?? r.count ?? null),
      ...(hasPrevious ? [f.value(prev, unit), r.value !== null && prev !== null ? change(f, r.value - prev, unit) : "–"] : []),
    ];
  });
  return textTable(columns, body);
}
