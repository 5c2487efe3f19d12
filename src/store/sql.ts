import type { SqlValue, Store } from "./store.js";

/**
 * Placeholder text for the i-th (1-based) parameter in the store's SQL flavour, for the few
 * fixed queries outside the metric compiler (keys, settings, lookups).
 */
export function ph(store: Pick<Store, "kind">, i: number, value?: SqlValue): string {
  if (store.kind !== "clickhouse") return `$${i}`;
  const t = typeof value === "number" ? (Number.isInteger(value) ? "Int64" : "Float64") : typeof value === "boolean" ? "UInt8" : "String";
  return `{p${i}:${t}}`;
}

/** `col IN (…)` with one placeholder per value, starting at parameter `first`. */
export function inList(store: Pick<Store, "kind">, first: number, values: SqlValue[]): string {
  return values.map((v, i) => ph(store, first + i, v)).join(", ");
}
