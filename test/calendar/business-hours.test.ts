import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addBusinessMs, businessMs, compileCalendar, isOpen, workingDays } from "../../src/calendar/index.js";
import type { CalendarDef } from "../../src/config/settings.js";

const H = 3_600_000;
const nineToFive = (timezone: string, days = ["mon", "tue", "wed", "thu", "fri"], holidays: string[] = []): CalendarDef => ({
  timezone,
  hours: Object.fromEntries(days.map((d) => [d, [["09:00", "17:00"]]])),
  holidays,
});
const t = (iso: string) => Date.parse(iso);

describe("business hours", () => {
  it("skips the weekend: Fri 16:00 → Mon 10:00 UTC is 1 h + 1 h", () => {
    const c = compileCalendar(nineToFive("UTC"));
    // 2026-03-06 is a Friday
    assert.equal(businessMs(c, t("2026-03-06T16:00:00Z"), t("2026-03-09T10:00:00Z")), 2 * H);
  });

  it("skips a holiday", () => {
    const c = compileCalendar(nineToFive("UTC", undefined, ["2026-03-09"]));
    // Mon 9 March closed: Fri 16–17 (1 h) + Tue 09–10 (1 h)
    assert.equal(businessMs(c, t("2026-03-06T16:00:00Z"), t("2026-03-10T10:00:00Z")), 2 * H);
  });

  it("follows New York across the March DST change", () => {
    const c = compileCalendar(nineToFive("America/New_York"));
    // Sun 2026-03-08 clocks go forward. Mon 9 March 09:00–17:00 EDT = 13:00–21:00Z: 8 h.
    assert.equal(businessMs(c, t("2026-03-09T00:00:00Z"), t("2026-03-10T00:00:00Z")), 8 * H);
    // Fri 6 March 16:00 EST (21:00Z) → Mon 9 March 10:00 EDT (14:00Z): 1 h + 1 h
    assert.equal(businessMs(c, t("2026-03-06T21:00:00Z"), t("2026-03-09T14:00:00Z")), 2 * H);
    assert.equal(isOpen(c, t("2026-03-09T13:30:00Z")), true); // 09:30 EDT
    assert.equal(isOpen(c, t("2026-03-06T13:30:00Z")), false); // 08:30 EST
  });

  it("follows London across the October change", () => {
    const c = compileCalendar(nineToFive("Europe/London"));
    // Sun 2026-10-25 back to GMT. Fri 23 Oct 09–17 BST = 08–16Z; Mon 26 Oct 09–17 GMT = 09–17Z.
    assert.equal(businessMs(c, t("2026-10-23T15:00:00Z"), t("2026-10-26T10:00:00Z")), 1 * H + 1 * H);
  });

  it("handles half-hour zones and a Sat–Wed work week (Asia/Tehran)", () => {
    const c = compileCalendar(nineToFive("Asia/Tehran", ["sat", "sun", "mon", "tue", "wed"]));
    // Tehran is +03:30 (no DST since 2022). Wed 2026-03-04 16:00 local = 12:30Z.
    // Thu and Fri are the weekend; Sat 7 March 10:00 local = 06:30Z. Open: Wed 16–17 (1 h) + Sat 09–10 (1 h).
    assert.equal(businessMs(c, t("2026-03-04T12:30:00Z"), t("2026-03-07T06:30:00Z")), 2 * H);
  });

  it("handles Asia/Kolkata (+05:30) and split shifts", () => {
    const c = compileCalendar({ timezone: "Asia/Kolkata", hours: { mon: [["09:00", "13:00"], ["14:00", "18:00"]] } });
    // Mon 2026-03-02 08:00 local (02:30Z) → 15:00 local (09:30Z): 09–13 (4 h) + 14–15 (1 h)
    assert.equal(businessMs(c, t("2026-03-02T02:30:00Z"), t("2026-03-02T09:30:00Z")), 5 * H);
  });

  it("spans weeks and inverts with addBusinessMs", () => {
    const c = compileCalendar(nineToFive("UTC"));
    // Mon 2 March 09:00 → Mon 23 March 09:00: three full weeks = 15 days × 8 h
    assert.equal(businessMs(c, t("2026-03-02T09:00:00Z"), t("2026-03-23T09:00:00Z")), 120 * H);
    // 10 open hours from Fri 6 March 15:00: Fri 15–17 (2 h) + Mon 09–17 (8 h) → Mon 17:00
    assert.equal(addBusinessMs(c, t("2026-03-06T15:00:00Z"), 10 * H), t("2026-03-09T17:00:00Z"));
    const start = t("2026-03-04T11:17:00Z");
    const end = addBusinessMs(c, start, 13.5 * H);
    assert.equal(businessMs(c, start, end), 13.5 * H);
  });

  it("counts working days with a Sun–Thu week and a holiday", () => {
    const c = compileCalendar(nineToFive("Asia/Riyadh", ["sun", "mon", "tue", "wed", "thu"], ["2026-03-02"]));
    // 1–14 March 2026: Sun–Thu days = 1,2,3,4,5,8,9,10,11,12 = 10, minus the holiday on the 2nd = 9
    assert.equal(workingDays(c, t("2026-02-28T21:00:00Z"), t("2026-03-14T21:00:00Z")), 9);
  });

  it("refuses a bad calendar with a message that says what to fix", () => {
    assert.throws(() => compileCalendar({ timezone: "Mars/Olympus", hours: {} }), /unknown time zone "Mars\/Olympus"/);
    assert.throws(() => compileCalendar({ timezone: "UTC", hours: { mon: [["17:00", "09:00"]] } }), /must be after/);
    assert.throws(() => compileCalendar({ timezone: "UTC", hours: {}, holidays: ["2026-02-30"] }), /not a date/);
  });
});
