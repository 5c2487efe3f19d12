import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { defaultSettings, type WorkspaceSettings } from "../../src/config/settings.js";
import { LiveState } from "../../src/live/live-state.js";
import { openDuckDbStore } from "../../src/store/duckdb/duckdb-store.js";
import { table } from "../../src/store/schema.js";
import type { Store } from "../../src/store/store.js";

const H = 3_600_000;
const NOW = Date.parse("2026-06-10T12:00:00Z");

describe("live state: each SLA policy's pause statuses stop its due time", () => {
  let store: Store;
  before(async () => {
    store = await openDuckDbStore({ path: ":memory:" });
    const ticket = (id: string, status: string, policy: string) => ({
      workspace: "w",
      ticket_id: id,
      status,
      is_open: true,
      created_at: NOW - 5 * H,
      frt_start_at: NOW - 5 * H,
      sla_policy: policy,
      // first reply was due an hour ago
      sla_frt_due_at: NOW - H,
      sla_frt_target_s: 4 * 3600,
    });
    await store.insertRows(table("ticket_facts"), [ticket("a", "pending", "p"), ticket("b", "on_hold", "p"), ticket("c", "open", "q")]);
  });
  after(() => store.close());

  const snapshot = (settings: WorkspaceSettings) => new LiveState(store, async () => settings).snapshot("w", NOW);
  const policies = (p: string[] | undefined, q: string[] | undefined): WorkspaceSettings => ({
    ...defaultSettings(),
    sla_policies: [
      { name: "p", first_reply_s: 4 * 3600, clock: "calendar", ...(p ? { pause_statuses: p } : {}) },
      { name: "q", first_reply_s: 4 * 3600, clock: "calendar", ...(q ? { pause_statuses: q } : {}) },
    ],
  });

  it("by default pending and on_hold pause: only the open ticket is breached", async () => {
    assert.equal((await snapshot(policies(undefined, undefined))).sla_breached, 1);
  });
  it("a policy pausing only on_hold lets its pending ticket's due time run out", async () => {
    assert.equal((await snapshot(policies(["on_hold"], undefined))).sla_breached, 2);
  });
  it("a policy pausing nothing, and one pausing a custom status (open)", async () => {
    assert.equal((await snapshot(policies([], ["open"]))).sla_breached, 2);
  });
  it("a ticket whose policy is gone from the settings uses the default pause statuses", async () => {
    assert.equal((await snapshot({ ...defaultSettings(), sla_policies: [] })).sla_breached, 1);
  });
  it("counts today's tickets from the local midnight of the workspace zone", async () => {
    // created 07:00Z; in Asia/Tokyo (+9) today began at 15:00Z the day before: counted
    assert.equal((await snapshot({ ...policies(undefined, undefined), timezone: "Asia/Tokyo" })).today.created, 3);
    // in America/Los_Angeles (−7) the day began at 07:00Z: counted (at or after)
    assert.equal((await snapshot({ ...policies(undefined, undefined), timezone: "America/Los_Angeles" })).today.created, 3);
    // in Pacific/Kiritimati (+14) the day began at 10:00Z: not counted
    assert.equal((await snapshot({ ...policies(undefined, undefined), timezone: "Pacific/Kiritimati" })).today.created, 0);
  });
});
