/** Helpers shared by the vendor converters: vendors write times as ISO strings or Unix seconds. */
export type Rec = Record<string, unknown>;
export type Json = Record<string, unknown>;

export function isoOrUnix(v: unknown): number | undefined {
  if (typeof v === "number") return v < 1e11 ? v * 1000 : v;
  if (typeof v === "string" && v !== "") {
    if (/^\d+$/.test(v)) return isoOrUnix(Number(v));
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

export const idOf = (v: unknown): string | undefined => (v === null || v === undefined || v === "" ? undefined : String(v));

export function arr(v: unknown): Json[] {
  return Array.isArray(v) ? (v as Json[]) : [];
}

export function obj(v: unknown): Json {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {};
}
