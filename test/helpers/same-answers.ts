import assert from "node:assert/strict";
import type { MetricRow } from "../../src/api/types.js";

// What the tests that compare two stores' answers (ClickHouse cluster, chdb) share.

/** Rows in a stable order (by metric, bucket and group — never by value). */
export function normal(rows: MetricRow[]): MetricRow[] {
  const key = (r: MetricRow) => `${r.metric}|${r.bucket ?? ""}|${JSON.stringify(r.group ?? {})}`;
  return [...rows].sort((a, b) => key(a).localeCompare(key(b)));
}

/**
 * Deep equality where numbers may differ by one part in 10^10: counts, quantiles and rates are
 * exact on both stores; only sums of floats can differ in their last bits (added in another order).
 */
export function same(a: unknown, b: unknown, path = ""): void {
  if (typeof a === "number" && typeof b === "number") {
    assert.ok(Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(a), Math.abs(b)), `${path}: ${a} ≠ ${b}`);
    return;
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).sort();
    assert.deepEqual(ka, Object.keys(b).sort(), `${path}: fields differ`);
    for (const k of ka) same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  assert.deepEqual(a, b, path);
}
