import type { SqlValue, Store } from "./store.js";

/**
 * Placeholder text for the i-th (1-based) parameter in the store's SQL flavour (its dialect's
 * `param`), for the few fixed queries outside the metric compiler (keys, settings, lookups).
 * `value` is needed only when it is not a string: ClickHouse's placeholders carry the type.
 */
export function ph(store: Pick<Store, "dialect">, i: number, value: SqlValue = ""): string {
  return store.dialect.param(i, value);
}

/** `col IN (…)` with one placeholder per value, starting at parameter `first`. */
export function inList(store: Pick<Store, "dialect">, first: number, values: SqlValue[]): string {
  return values.map((v, i) => ph(store, first + i, v)).join(", ");
}
