import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addBusinessMs, businessMs, compileCalendar, isOpen, localToUtc, tzOffset, validateCalendar, workingDays } from "../../src/calendar/index.js";
import type { CalendarDef, Weekday } from "../../src/config/settings.js";

const H = 3_600_000;
const MIN = 60_000;
const WEEK: Weekday[] = ["mon", "tue", "wed", "thu", "fri"];
const ALL: Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const cal = (timezone: string, days: Weekday[] = WEEK, holidays: string[] = [], spans: [string, string][] = [["09:00", "17:00"]]): CalendarDef => ({
  timezone,
  hours: Object.fromEntries(days.map((d) => [d, spans])),
  holidays,
});
const t = (iso: string) => Date.parse(iso);

describe("business hours: weekends, holidays, long spans", () => {
  it("skips the weekend: Fri 16:00 → Mon 10:00 UTC is 1 h + 1 h", () => {
    const c = compileCalendar(cal("UTC"));
    // 2026-03-06 is a Friday: Fri 16–17 (1 h) + Mon 09–10 (1 h)
    assert.equal(businessMs(c, t("2026-03-06T16:00:00Z"), t("2026-03-09T10:00:00Z")), 2 * H);
    // wholly inside the weekend: nothing
    assert.equal(businessMs(c, t("2026-03-07T10:00:00Z"), t("2026-03-08T23:00:00Z")), 0);
    assert.equal(businessMs(c, t("2026-03-09T10:00:00Z"), t("2026-03-09T10:00:00Z")), 0);
    assert.equal(businessMs(c, t("2026-03-09T12:00:00Z"), t("2026-03-09T10:00:00Z")), 0);
  });

  it("skips a holiday", () => {
    const c = compileCalendar(cal("UTC", WEEK, ["2026-03-09"]));
    // Mon 9 March closed: Fri 16–17 (1 h) + Tue 09–10 (1 h)
    assert.equal(businessMs(c, t("2026-03-06T16:00:00Z"), t("2026-03-10T10:00:00Z")), 2 * H);
    assert.equal(isOpen(c, t("2026-03-09T12:00:00Z")), false);
  });

  it("reads holidays as local dates (Asia/Kolkata, +05:30)", () => {
    const c = compileCalendar(cal("Asia/Kolkata", WEEK, ["2026-03-03"]));
    // Mon 2 March 16:00 IST (10:30Z) → Wed 4 March 10:00 IST (04:30Z): Mon 16–17 (1 h), Tue holiday, Wed 09–10 (1 h)
    assert.equal(businessMs(c, t("2026-03-02T10:30:00Z"), t("2026-03-04T04:30:00Z")), 2 * H);
  });

  it("counts an interval of three weeks", () => {
    const c = compileCalendar(cal("UTC"));
    // Mon 2 March 09:00 → Mon 23 March 09:00: 3 weeks × 5 days × 8 h = 120 h
    assert.equal(businessMs(c, t("2026-03-02T09:00:00Z"), t("2026-03-23T09:00:00Z")), 120 * H);
    // from Sun 1 March 12:00 to Wed 25 March 12:00: the same 120 h + Mon 23 (8 h) + Tue 24 (8 h) + Wed 25 09–12 (3 h) = 139 h
    assert.equal(businessMs(c, t("2026-03-01T12:00:00Z"), t("2026-03-25T12:00:00Z")), 139 * H);
  });

  it("splits shifts (two openings a day, Asia/Kolkata)", () => {
    const c = compileCalendar({
      timezone: "Asia/Kolkata",
      hours: {
        mon: [
          ["09:00", "13:00"],
          ["14:00", "18:00"],
        ],
      },
    });
    // Mon 2026-03-02 08:00 IST (02:30Z) → 15:00 IST (09:30Z): 09–13 (4 h) + 14–15 (1 h)
    assert.equal(businessMs(c, t("2026-03-02T02:30:00Z"), t("2026-03-02T09:30:00Z")), 5 * H);
    // lunch 13:00–14:00 IST = 07:30–08:30Z is closed
    assert.equal(isOpen(c, t("2026-03-02T08:00:00Z")), false);
    assert.equal(isOpen(c, t("2026-03-02T08:30:00Z")), true);
  });

  it("spans New Year and years compiled out of order", () => {
    const c = compileCalendar(cal("Europe/London", WEEK, ["2027-01-01"]));
    // a query far ahead, then far back, then in between: each full Monday is 8 h
    assert.equal(businessMs(c, t("2040-01-02T00:00:00Z"), t("2040-01-03T00:00:00Z")), 8 * H); // Mon 2 Jan 2040, GMT
    assert.equal(businessMs(c, t("2010-01-04T00:00:00Z"), t("2010-01-05T00:00:00Z")), 8 * H); // Mon 4 Jan 2010
    // Thu 31 Dec 2026 16:00 GMT → Mon 4 Jan 2027 10:00: Thu 16–17 (1 h), Fri 1 Jan holiday, Mon 09–10 (1 h)
    assert.equal(businessMs(c, t("2026-12-31T16:00:00Z"), t("2027-01-04T10:00:00Z")), 2 * H);
  });
});

describe("business hours: other work weeks", () => {
  it("Sat–Wed in Asia/Tehran (+03:30)", () => {
    const c = compileCalendar(cal("Asia/Tehran", ["sat", "sun", "mon", "tue", "wed"]));
    // Wed 2026-03-04 16:00 local = 12:30Z. Thu and Fri are the weekend; Sat 7 March 10:00 local = 06:30Z.
    // Open: Wed 16–17 (1 h) + Sat 09–10 (1 h)
    assert.equal(businessMs(c, t("2026-03-04T12:30:00Z"), t("2026-03-07T06:30:00Z")), 2 * H);
    // Sat 09:00 local is 05:30Z
    assert.equal(isOpen(c, t("2026-03-07T05:29:00Z")), false);
    assert.equal(isOpen(c, t("2026-03-07T05:30:00Z")), true);
  });

  it("Sun–Thu in Asia/Riyadh (+03:00), with working days and a holiday", () => {
    const c = compileCalendar(cal("Asia/Riyadh", ["sun", "mon", "tue", "wed", "thu"], ["2026-03-02"]));
    // Thu 5 March 15:00 local (12:00Z) → Sun 8 March 11:00 local (08:00Z): Thu 15–17 (2 h) + Sun 09–11 (2 h)
    assert.equal(businessMs(c, t("2026-03-05T12:00:00Z"), t("2026-03-08T08:00:00Z")), 4 * H);
    // 1–14 March 2026 local (Riyadh midnight = 21:00Z the day before): Sun–Thu dates are
    // 1,2,3,4,5,8,9,10,11,12 = 10, minus the holiday on the 2nd = 9
    assert.equal(workingDays(c, t("2026-02-28T21:00:00Z"), t("2026-03-14T21:00:00Z")), 9);
    // the single local date Friday 6 March: 0; Sunday 1 March: 1
    assert.equal(workingDays(c, t("2026-03-05T21:00:00Z"), t("2026-03-06T21:00:00Z")), 0);
    assert.equal(workingDays(c, t("2026-02-28T21:00:00Z"), t("2026-03-01T21:00:00Z")), 1);
  });
});

describe("business hours: daylight saving and half-hour zones", () => {
  it("New York across the March change (Sun 8 March 2026, 02:00 EST → 03:00 EDT)", () => {
    const c = compileCalendar(cal("America/New_York"));
    // Mon 9 March 09:00–17:00 EDT = 13:00–21:00Z: 8 h
    assert.equal(businessMs(c, t("2026-03-09T00:00:00Z"), t("2026-03-10T00:00:00Z")), 8 * H);
    // Fri 6 March 16:00 EST (21:00Z) → Mon 9 March 10:00 EDT (14:00Z): 1 h + 1 h
    assert.equal(businessMs(c, t("2026-03-06T21:00:00Z"), t("2026-03-09T14:00:00Z")), 2 * H);
    assert.equal(isOpen(c, t("2026-03-09T13:30:00Z")), true); // 09:30 EDT
    assert.equal(isOpen(c, t("2026-03-06T13:30:00Z")), false); // 08:30 EST
  });

  it("a 24-hour calendar across the change nights: 23 h and 25 h days", () => {
    const c = compileCalendar(cal("America/New_York", ALL, [], [["00:00", "24:00"]]));
    // Sat 7 March 00:00 EST (05:00Z) → Mon 9 March 00:00 EDT (04:00Z): 24 h + 23 h = 47 h
    assert.equal(businessMs(c, t("2026-03-07T05:00:00Z"), t("2026-03-09T04:00:00Z")), 47 * H);
    // Sat 31 Oct 00:00 EDT (04:00Z) → Mon 2 Nov 00:00 EST (05:00Z): 24 h + 25 h = 49 h
    assert.equal(businessMs(c, t("2026-10-31T04:00:00Z"), t("2026-11-02T05:00:00Z")), 49 * H);
    // openings of consecutive days merge, yet each local date is still a working day: 3 dates
    assert.equal(workingDays(c, t("2026-03-07T05:00:00Z"), t("2026-03-10T04:00:00Z")), 3);
  });

  it("London across both changes (29 March and 25 October 2026)", () => {
    const c = compileCalendar(cal("Europe/London"));
    // Fri 27 March 16:00 GMT (16:00Z) → Mon 30 March 10:00 BST (09:00Z): 1 h + 1 h
    assert.equal(businessMs(c, t("2026-03-27T16:00:00Z"), t("2026-03-30T09:00:00Z")), 2 * H);
    // Mon 30 March 09–17 BST = 08–16Z: 8 h; 16:30Z is 17:30 BST, closed
    assert.equal(businessMs(c, t("2026-03-30T00:00:00Z"), t("2026-03-31T00:00:00Z")), 8 * H);
    assert.equal(isOpen(c, t("2026-03-30T16:30:00Z")), false);
    // Fri 23 Oct 09–17 BST = 08–16Z; Mon 26 Oct 09–17 GMT = 09–17Z. 15:00Z → Mon 10:00Z: 1 h + 1 h
    assert.equal(businessMs(c, t("2026-10-23T15:00:00Z"), t("2026-10-26T10:00:00Z")), 2 * H);
  });

  it("opening times inside a gap or an overlap take the first instant the wall clock reaches them", () => {
    // Sun 8 March 2026 New York: 02:30 does not exist; the office opens when clocks jump to 03:00 EDT (07:00Z).
    const gap = compileCalendar({ timezone: "America/New_York", hours: { sun: [["02:30", "04:00"]] } });
    // 03:00 EDT (07:00Z) → 04:00 EDT (08:00Z) = 1 h
    assert.equal(businessMs(gap, t("2026-03-08T00:00:00Z"), t("2026-03-09T00:00:00Z")), 1 * H);
    assert.equal(isOpen(gap, t("2026-03-08T07:00:00Z")), true);
    assert.equal(isOpen(gap, t("2026-03-08T06:59:00Z")), false);
    // Sun 1 Nov 2026: 01:30 happens twice; the opening is the first (EDT, 05:30Z) and it runs
    // through the repeated hour to 03:00 EST (08:00Z): 2.5 h
    const overlap = compileCalendar({ timezone: "America/New_York", hours: { sun: [["01:30", "03:00"]] } });
    assert.equal(businessMs(overlap, t("2026-11-01T00:00:00Z"), t("2026-11-02T00:00:00Z")), 2.5 * H);
    // localToUtc shifts a missing time by the gap by default (parsing), or jumps (opening hours)
    assert.equal(localToUtc(2026, 3, 8, 150, "America/New_York"), t("2026-03-08T07:30:00Z")); // 02:30 → 03:30 EDT
    assert.equal(localToUtc(2026, 3, 8, 150, "America/New_York", "jump"), t("2026-03-08T07:00:00Z")); // → 03:00 EDT
  });

  it("Asia/Tehran in a year it still had daylight saving (2021, +03:30/+04:30, changes at midnight)", () => {
    const c = compileCalendar(cal("Asia/Tehran", ["sat", "sun", "mon", "tue", "wed"]));
    // Wed 2 June 2021 09:00 +04:30 = 04:30Z
    assert.equal(isOpen(c, t("2021-06-02T04:29:00Z")), false);
    assert.equal(isOpen(c, t("2021-06-02T04:30:00Z")), true);
    assert.equal(tzOffset(t("2021-06-02T04:30:00Z"), "Asia/Tehran"), 4.5 * H);
    const allDay = compileCalendar(cal("Asia/Tehran", ALL, [], [["00:00", "24:00"]]));
    // Mon 22 March 2021: 00:00 does not exist (clocks jump to 01:00 at 20:30Z the day before);
    // 24:00 = 00:00 +04:30 = 19:30Z. So Sun 21 March 00:00 +03:30 (20:30Z on the 20th) → Tue 23 March 00:00 (19:30Z on the 22nd) = 24 h + 23 h
    assert.equal(businessMs(allDay, t("2021-03-20T20:30:00Z"), t("2021-03-22T19:30:00Z")), 47 * H);
    // Tue 21 Sept 2021: at 24:00 +04:30 (19:30Z) clocks go back to 23:00; Wed 00:00 +03:30 is 20:30Z.
    // Tue 00:00 +04:30 (20 Sept 19:30Z) → Wed 00:00 +03:30 (21 Sept 20:30Z) = 25 h
    assert.equal(businessMs(allDay, t("2021-09-20T19:30:00Z"), t("2021-09-21T20:30:00Z")), 25 * H);
  });

  it("Asia/Kolkata (+05:30) every day of a week", () => {
    const c = compileCalendar(cal("Asia/Kolkata"));
    // Mon 2 March 2026 09:00 IST = 03:30Z; Fri 6 March 17:00 IST = 11:30Z; whole week 5 × 8 h = 40 h
    assert.equal(businessMs(c, t("2026-03-01T00:00:00Z"), t("2026-03-08T00:00:00Z")), 40 * H);
    assert.equal(businessMs(c, t("2026-03-02T03:00:00Z"), t("2026-03-02T04:00:00Z")), 30 * MIN); // 08:30–09:30 IST
  });
});

describe("addBusinessMs", () => {
  it("finds due times across closed time", () => {
    const c = compileCalendar(cal("UTC"));
    // 10 open hours from Fri 6 March 15:00: Fri 15–17 (2 h) + Mon 09–17 (8 h) → Mon 17:00 (closing, not Tue 09:00)
    assert.equal(addBusinessMs(c, t("2026-03-06T15:00:00Z"), 10 * H), t("2026-03-09T17:00:00Z"));
    // starting on a Saturday: 1 h → Mon 10:00
    assert.equal(addBusinessMs(c, t("2026-03-07T12:00:00Z"), 1 * H), t("2026-03-09T10:00:00Z"));
    assert.equal(addBusinessMs(c, t("2026-03-07T12:00:00Z"), 0), t("2026-03-07T12:00:00Z"));
    // 5 working days × 8 h from Mon 2 March 09:00 → Fri 6 March 17:00
    assert.equal(addBusinessMs(c, t("2026-03-02T09:00:00Z"), 40 * H), t("2026-03-06T17:00:00Z"));
  });

  it("crosses DST: 8 h from Fri 6 March 13:00 in New York", () => {
    const c = compileCalendar(cal("America/New_York"));
    // Fri 13–17 EST (4 h) + Mon 9 March 09–13 EDT (4 h) → 13:00 EDT = 17:00Z
    assert.equal(addBusinessMs(c, t("2026-03-06T18:00:00Z"), 8 * H), t("2026-03-09T17:00:00Z"));
  });

  it("grows the compiled range for long targets and never ends on a calendar that never opens", () => {
    const c = compileCalendar(cal("UTC"));
    // 52 weeks × 40 h from Mon 2 March 2026 09:00 → Fri 26 Feb 2027 17:00 (52 weeks later, minus the weekend)
    assert.equal(addBusinessMs(c, t("2026-03-02T09:00:00Z"), 52 * 40 * H), t("2027-02-26T17:00:00Z"));
    assert.equal(addBusinessMs(compileCalendar({ timezone: "UTC", hours: {} }), t("2026-03-02T09:00:00Z"), H), Number.POSITIVE_INFINITY);
  });

  it("is the inverse of businessMs on many random spans and calendars", () => {
    const cals = [
      compileCalendar(cal("America/New_York")),
      compileCalendar(cal("Asia/Tehran", ["sat", "sun", "mon", "tue", "wed"], ["2026-03-21"])),
      compileCalendar({
        timezone: "Asia/Kolkata",
        hours: {
          mon: [
            ["09:00", "13:00"],
            ["14:00", "18:00"],
          ],
          sat: [["10:00", "14:00"]],
        },
      }),
    ];
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 300; i++) {
      const c = cals[i % cals.length];
      const start = t("2026-01-01T00:00:00Z") + Math.floor(rnd() * 365 * 24 * 60) * MIN;
      const ms = Math.floor(rnd() * 200 * 60) * MIN + MIN;
      const due = addBusinessMs(c, start, ms);
      assert.equal(businessMs(c, start, due), ms);
      // and it is the earliest such instant: a minute before, less has elapsed
      assert.ok(businessMs(c, start, due - MIN) < ms);
    }
  });
});

describe("agrees with a minute-by-minute count of wall-clock openings", () => {
  // Reference: walk the minutes, read the local wall clock of each, ask whether it is open.
  function reference(def: CalendarDef, a: number, b: number): number {
    const names: Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let n = 0;
    let off = 0;
    for (let m = a; m < b; m += MIN) {
      if ((m - a) % (15 * MIN) === 0) off = tzOffset(m, def.timezone); // zones change on quarter hours
      const local = new Date(m + off);
      if (def.holidays?.includes(local.toISOString().slice(0, 10))) continue;
      const mins = local.getUTCHours() * 60 + local.getUTCMinutes();
      const spans = def.hours[names[local.getUTCDay()]] ?? [];
      if (spans.some(([s, e]) => mins >= +s.slice(0, 2) * 60 + +s.slice(3) && mins < +e.slice(0, 2) * 60 + +e.slice(3))) n++;
    }
    return n * MIN;
  }
  const defs: CalendarDef[] = [
    cal(
      "America/New_York",
      WEEK,
      ["2026-11-26"],
      [
        ["08:00", "12:00"],
        ["13:00", "19:30"],
      ],
    ),
    cal("Europe/London", ["mon", "tue", "wed", "thu", "fri", "sat"], ["2026-12-25"]),
    cal("Australia/Lord_Howe", ALL, [], [["07:00", "21:00"]]), // 30-minute daylight saving
    cal("Asia/Tehran", ["sat", "sun", "mon", "tue", "wed"], [], [["08:30", "16:30"]]),
  ];
  // windows around each zone's changes (2021 for Tehran, which dropped daylight saving in 2022)
  const windows = [t("2026-03-06T00:00:00Z"), t("2026-10-23T00:00:00Z"), t("2026-04-02T00:00:00Z"), t("2021-03-19T00:00:00Z")];
  it("on spans across daylight-saving changes", () => {
    defs.forEach((def, k) => {
      const c = compileCalendar(def);
      for (let i = 0; i < 6; i++) {
        const a = windows[k] + i * 7 * 60 * MIN; // 7-hour steps through the day
        const b = a + (40 + i * 11) * H;
        assert.equal(businessMs(c, a, b), reference(def, a, b), `${def.timezone} ${new Date(a).toISOString()} → ${new Date(b).toISOString()}`);
      }
    });
  });
});

describe("validateCalendar", () => {
  it("refuses a bad calendar with a message that says what to fix", () => {
    const code = { name: "UserError", code: "invalid_calendar" };
    assert.throws(() => compileCalendar({ timezone: "Mars/Olympus", hours: {} }), { ...code, message: /unknown time zone "Mars\/Olympus".*IANA/ });
    assert.throws(() => validateCalendar({ hours: {} } as unknown as CalendarDef), { ...code, message: /timezone is missing/ });
    assert.throws(() => validateCalendar({ timezone: "UTC", hours: { mon: [["17:00", "09:00"]] } }), {
      ...code,
      message: /hours\.mon\[0\].*must be after.*split it/,
    });
    assert.throws(() => validateCalendar({ timezone: "UTC", hours: { mon: [["9:00", "17:00"]] } }), {
      ...code,
      message: /"9:00" is not a time; write "HH:MM"/,
    });
    assert.throws(() => validateCalendar({ timezone: "UTC", hours: { mon: [["09:00", "24:30"]] } }), { ...code, message: /"24:30" is not a time/ });
    assert.throws(() => validateCalendar({ timezone: "UTC", hours: { monday: [["09:00", "17:00"]] } } as unknown as CalendarDef), {
      ...code,
      message: /unknown weekday "monday"/,
    });
    assert.throws(() => validateCalendar({ timezone: "UTC", hours: {}, holidays: ["2026-02-30"] }), {
      ...code,
      message: /holiday "2026-02-30" is not a date; write it as YYYY-MM-DD/,
    });
    assert.throws(() => validateCalendar({ timezone: "UTC", hours: {}, holidays: ["25/12/2026"] }), { ...code, message: /is not a date/ });
    validateCalendar({
      timezone: "Asia/Tehran",
      hours: {
        sat: [
          ["08:00", "12:00"],
          ["13:00", "24:00"],
        ],
      },
      holidays: ["2026-03-21"],
    });
  });
});
