import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { zoneOffset } from "../../src/calendar/zone-offsets.js";
import { localDate, startOfLocalDay } from "../../src/calendar/tz.js";

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("startOfLocalDay: the first instant of the local day", () => {
  it("Europe/London, spring change (29 Mar 2026, 01:00 GMT → 02:00 BST): the day starts at 00:00 GMT", () => {
    // 13:00 BST; 13 wall-clock hours back would be 23:00 the day before
    assert.equal(iso(startOfLocalDay(t("2026-03-29T12:00:00Z"), "Europe/London")), "2026-03-29T00:00:00.000Z");
    assert.equal(iso(startOfLocalDay(t("2026-03-29T23:59:59Z"), "Europe/London")), "2026-03-29T23:00:00.000Z"); // 00:59 BST on the 30th
  });
  it("Europe/London, autumn change (25 Oct 2026, 02:00 BST → 01:00 GMT): the day starts at 00:00 BST", () => {
    assert.equal(iso(startOfLocalDay(t("2026-10-25T12:00:00Z"), "Europe/London")), "2026-10-24T23:00:00.000Z");
    // 01:30 happens twice that night: both are the same day
    assert.equal(iso(startOfLocalDay(t("2026-10-25T00:30:00Z"), "Europe/London")), "2026-10-24T23:00:00.000Z");
    assert.equal(iso(startOfLocalDay(t("2026-10-25T01:30:00Z"), "Europe/London")), "2026-10-24T23:00:00.000Z");
  });
  it("America/Havana, whose clocks change at midnight", () => {
    // 8 Mar 2026: 00:00 CST (05:00Z) jumps to 01:00 CDT; there is no midnight, the day starts at the jump
    assert.equal(iso(startOfLocalDay(t("2026-03-08T17:00:00Z"), "America/Havana")), "2026-03-08T05:00:00.000Z");
    assert.equal(iso(startOfLocalDay(t("2026-03-08T04:59:59Z"), "America/Havana")), "2026-03-07T05:00:00.000Z");
    // 1 Nov 2026: 01:00 CDT falls back to 00:00 CST; midnight happens twice, the day starts at the first (04:00Z)
    assert.equal(iso(startOfLocalDay(t("2026-11-01T17:00:00Z"), "America/Havana")), "2026-11-01T04:00:00.000Z");
    assert.equal(iso(startOfLocalDay(t("2026-11-01T05:30:00Z"), "America/Havana")), "2026-11-01T04:00:00.000Z");
  });
  it("half-hour zones and UTC", () => {
    assert.equal(iso(startOfLocalDay(t("2026-06-01T10:00:00Z"), "Asia/Tehran")), "2026-05-31T20:30:00.000Z");
    assert.equal(iso(startOfLocalDay(t("2026-06-01T20:29:59Z"), "Asia/Tehran")), "2026-05-31T20:30:00.000Z");
    assert.equal(iso(startOfLocalDay(t("2026-06-01T20:30:00Z"), "Asia/Tehran")), "2026-06-01T20:30:00.000Z");
    assert.equal(iso(startOfLocalDay(t("2026-06-01T23:59:59.999Z"), "UTC")), "2026-06-01T00:00:00.000Z");
  });
  it("property: at or before the instant, on its local date, and the instant before it is the day before", () => {
    const zones = ["Europe/London", "America/Havana", "America/New_York", "Asia/Tehran", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "UTC"];
    fc.assert(
      fc.property(fc.integer({ min: t("2000-01-01T00:00:00Z"), max: t("2040-01-01T00:00:00Z") }), fc.constantFrom(...zones), (ms, tz) => {
        const s = startOfLocalDay(ms, tz);
        assert.ok(s <= ms && ms - s < 25 * 3_600_000, `${iso(ms)} ${tz} → ${iso(s)}`);
        assert.deepEqual(localDate(s, tz), localDate(ms, tz));
        assert.notDeepEqual(localDate(s - 1, tz), localDate(ms, tz));
        // the cached offsets (zone-offsets.ts) give the same day
        assert.equal(startOfLocalDay(ms, tz, zoneOffset), s);
      }),
      { numRuns: 2000 },
    );
  });
});
