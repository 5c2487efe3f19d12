import type { MetricRequest, MetricResult } from "../../src/api/types.js";

/** The Deskpulse API, as the dashboard uses it (same-origin; the session cookie holds a random session id that expires, never the key). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  // the server may answer its messages in the page's language; the client translates by code anyway
  if (!headers.has("accept-language")) headers.set("accept-language", document.documentElement.lang || "en");
  const res = await fetch(`/api/v1${path}`, { ...init, headers, credentials: "same-origin" });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!res.ok) throw new ApiError(res.status, body.error?.code ?? "error", body.error?.message ?? res.statusText);
  return body as T;
}

export type {
  CatalogAnswer,
  CatalogEntry as CatalogMetric,
  DrilldownResult,
  JourneyView,
  LiveSnapshot,
  MetricRow,
  StaffingPlan,
  TicketView,
  Touchpoint,
} from "../../src/api/types.js";

let persianMonths = false;
/** Whether the server buckets by Solar Hijri months (its OpenAPI document lists the grain); asked once at start. */
export async function detectGrains(): Promise<void> {
  const doc = await fetch("/api/v1/openapi.json").then(
    (r) => (r.ok ? r.text() : ""),
    () => "",
  );
  persianMonths = doc.includes("persian_month");
}
export const serverHasPersianMonths = () => persianMonths;

/** Metrics; a server without Solar Hijri grains is asked again in Gregorian months. */
export async function metrics(body: MetricRequest): Promise<MetricResult> {
  try {
    return await api<MetricResult>("/metrics", { method: "POST", body: JSON.stringify(body) });
  } catch (e) {
    if (body.grain === "persian_month" && e instanceof ApiError && e.status === 400) return metrics({ ...body, grain: "month" });
    throw e;
  }
}
