import type { Store } from "../../store/store.js";
import type { SqlDialect } from "../dialect.js";
import { duckdbDialect } from "./duckdb.js";

/** The single registry of dialects: a store's kind picks its SQL flavour. */
const registry = new Map<string, SqlDialect>([["duckdb", duckdbDialect]]);

export function registerDialect(d: SqlDialect): void {
  registry.set(d.name, d);
}

export function dialectOf(store: Pick<Store, "kind">): SqlDialect {
  const d = registry.get(store.kind);
  if (!d) throw new Error(`no SQL dialect registered for ${store.kind}`);
  return d;
}
