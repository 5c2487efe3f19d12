/** The Deskpulse API, as the dashboard uses it (same-origin; the session cookie carries the key). */
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
  const res = await fetch(`/api/v1${path}`, { ...init, headers, credentials: "same-origin" });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!res.ok) throw new ApiError(res.status, body.error?.code ?? "error", body.error?.message ?? res.statusText);
  return body as T;
}

export interface CatalogMetric {
  id: string;
  names: Record<string, string>;
  unit: string;
  direction: "higher_is_better" | "lower_is_better";
  target: number | null;
  family: string;
  perspective: string;
  definition: string;
  formula: string;
  attribution: string;
}

export interface MetricRow {
  metric: string;
  bucket?: string;
  group?: Record<string, string | null>;
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  count?: number;
  mean?: number | null;
  median?: number | null;
  p90?: number | null;
  previous?: { value: number | null } | null;
  [k: string]: unknown;
}

export interface LiveSnapshot {
  at: string;
  open: number;
  new: number;
  waiting: number;
  unassigned: number;
  longest_wait_s: number;
  sla_at_risk: number;
  sla_breached: number;
  agents_online: number;
  agents: { agent_id: string; status: string; open_tickets: number }[];
  today: { created: number; solved: number };
}

export const metrics = (body: Record<string, unknown>) => api<{ rows: MetricRow[] }>("/metrics", { method: "POST", body: JSON.stringify(body) });
