import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { findSurvey, isLow, parseSurvey, questionsOf } from "../../src/surveys/definitions.js";
import { parseScores } from "../../src/surveys/invitations.js";
import { type LinkClaims, signLink, verifyLink } from "../../src/surveys/links.js";
import { candidatesOf } from "../../src/surveys/triggers.js";
import { langOf, negotiateLang, WORDS } from "../../src/surveys/wording.js";

const SECRET = Buffer.alloc(32, 7);
const OTHER = Buffer.alloc(32, 8);
const NOW = Date.UTC(2026, 10, 25, 12);
const claims: LinkClaims = { w: "acme", s: "csat", i: "csat:T1", t: "T1", c: "C1", l: "fa", e: NOW + 3_600_000 };

describe("signed survey links", () => {
  it("verify what was signed, until it expires", () => {
    const token = signLink(claims, SECRET);
    assert.deepEqual(verifyLink(token, SECRET, NOW), { ok: true, claims });
    assert.equal(verifyLink(token, SECRET, claims.e).ok, false);
    assert.deepEqual(verifyLink(token, SECRET, claims.e + 1), { ok: false, reason: "expired", claims });
  });

  it("another workspace's secret does not verify the link", () => {
    assert.deepEqual(verifyLink(signLink(claims, SECRET), OTHER, NOW), { ok: false, reason: "invalid" });
  });

  it("any change of one character anywhere in the token is refused", () => {
    const token = signLink(claims, SECRET);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...alphabet), (at, ch) => {
        fc.pre(token[at] !== ch);
        const bad = token.slice(0, at) + ch + token.slice(at + 1);
        assert.equal(verifyLink(bad, SECRET, NOW).ok, false, bad);
      }),
      { numRuns: 500 },
    );
  });

  it("claims rewritten and re-encoded with the old signature are refused (another ticket, a later expiry)", () => {
    const token = signLink(claims, SECRET);
    const sig = token.split(".")[1];
    for (const forged of [
      { ...claims, t: "T2", i: "csat:T2" },
      { ...claims, e: claims.e + 86_400_000 },
      { ...claims, w: "other" },
    ]) {
      const payload = Buffer.from(JSON.stringify(forged)).toString("base64url");
      assert.deepEqual(verifyLink(`${payload}.${sig}`, SECRET, NOW), { ok: false, reason: "invalid" });
    }
    assert.equal(verifyLink("not-a-token", SECRET, NOW).ok, false);
    assert.equal(verifyLink(`${token}.x`, SECRET, NOW).ok, false);
  });
});

describe("survey definitions", () => {
  it("fill defaults and name the field that is wrong", () => {
    const d = parseSurvey({ id: "after-solve", kind: "csat", trigger: { on: "solved" } });
    assert.equal(d.fatigue_days, 30);
    assert.deepEqual(d.trigger, { on: "solved", delay_minutes: 0 });
    assert.throws(() => parseSurvey({ id: "Bad Id", kind: "csat" }), /id: use 1–63 lowercase/);
    assert.throws(() => parseSurvey({ id: "x", kind: "nps", fatigue_days: -1 }), /fatigue_days/);
    assert.throws(() => parseSurvey({ id: "x", kind: "stars" }), /kind/);
  });

  it("scales per kind: csat 1–5 or thumbs 0–1, nps 0–10, ces 1–7, enps with the two S4 questions, custom as CX", () => {
    const scale = (input: Record<string, unknown>) => questionsOf(parseSurvey({ id: "x", ...input })).map((q) => [q.id, q.kind, q.min, q.max]);
    assert.deepEqual(scale({ kind: "csat" }), [["", "csat", 1, 5]]);
    assert.deepEqual(scale({ kind: "csat", csat_style: "thumbs" }), [["", "csat", 0, 1]]);
    assert.deepEqual(scale({ kind: "nps" }), [["", "nps", 0, 10]]);
    assert.deepEqual(scale({ kind: "ces" }), [["", "ces", 1, 7]]);
    assert.deepEqual(scale({ kind: "enps" }), [
      ["", "enps", 0, 10],
      ["targets_understood", "enps", 1, 5],
      ["targets_accepted", "enps", 1, 5],
    ]);
    assert.deepEqual(scale({ kind: "custom", custom_max: 4 }), [["x", "cx", 1, 4]]);
  });

  it("low scores get the 'what could we do better' follow-up; on an effort question a high score is the low one", () => {
    const csat = parseSurvey({ id: "c", kind: "csat" });
    const effort = parseSurvey({ id: "e", kind: "ces", ces_lower_is_better: true });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((s) => isLow(questionsOf(csat)[0], s, csat)),
      [true, true, false, false, false],
    );
    assert.deepEqual(
      [1, 4, 5, 7].map((s) => isLow(questionsOf(effort)[0], s, effort)),
      [false, false, true, true],
    );
  });

  it("a kind without a definition gets the defaults; an unknown name is a 404", () => {
    assert.equal(findSurvey([], "nps").kind, "nps");
    assert.throws(
      () => findSurvey([], "nope"),
      (e: Error & { status?: number }) => e.status === 404,
    );
  });

  it("form scores must be whole numbers on the scale", () => {
    const nps = parseSurvey({ id: "n", kind: "nps" });
    assert.deepEqual(parseScores(nps, { score: "0" }), new Map([["", 0]]));
    assert.deepEqual(parseScores(nps, { score: "10" }), new Map([["", 10]]));
    for (const bad of ["11", "-1", "4.5", "", "x", undefined]) assert.equal(parseScores(nps, { score: bad }), null, String(bad));
    const enps = parseSurvey({ id: "e", kind: "enps" });
    assert.equal(parseScores(enps, { score: "9", score_targets_understood: "4" }), null);
    assert.deepEqual(
      parseScores(enps, { score: "9", score_targets_understood: "4", score_targets_accepted: "2" }),
      new Map([
        ["", 9],
        ["targets_understood", 4],
        ["targets_accepted", 2],
      ]),
    );
  });
});

describe("wording and languages", () => {
  it("Accept-Language picks our language by q-value; simplified Chinese is not Traditional", () => {
    assert.equal(negotiateLang("fa-IR,fa;q=0.9,en;q=0.5"), "fa");
    assert.equal(negotiateLang("de-DE, ar;q=0.8, en;q=0.9"), "en");
    assert.equal(negotiateLang("zh-TW"), "zh-Hant");
    assert.equal(negotiateLang("zh-CN, ar;q=0.5"), "ar");
    assert.equal(negotiateLang(undefined), "en");
    assert.equal(langOf("zh-Hant-HK"), "zh-Hant");
  });

  it("every language has every string, in its own words", () => {
    const keys = (o: object): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === "object" ? keys(v).map((s) => `${k}.${s}`) : [k]));
    for (const l of ["ar", "fa", "zh-Hant"] as const) assert.deepEqual(keys(WORDS[l]).sort(), keys(WORDS.en).sort(), l);
    assert.match(WORDS.fa.ticket, /تیکت/);
    assert.match(WORDS.ar.ticket, /التذكرة/);
    assert.match(WORDS["zh-Hant"].ticket, /工單/);
    // a few simplified forms that must not appear in Traditional text
    const zh = JSON.stringify(WORDS["zh-Hant"]);
    for (const simplified of ["单", "务", "满", "这", "问", "过", "还", "们", "链", "调"]) assert.ok(!zh.includes(simplified), simplified);
  });
});

describe("triggers", () => {
  const now = Date.UTC(2026, 10, 25, 12);
  const def = parseSurvey({ id: "after-solve", kind: "csat", trigger: { on: "solved", delay_minutes: 30, channels: ["email"] } });
  const ticket = (over: Record<string, unknown>) => ({
    ticket_id: "T1",
    status: "solved",
    customer_id: "C1",
    channel: "email",
    team_id: "t1",
    last_solved_at: now - 60_000,
    ...over,
  });

  it("fire for tickets solved just now on the survey's channels, after its delay", () => {
    const facts = {
      contact_facts: [],
      ticket_facts: [
        ticket({}),
        ticket({ ticket_id: "T2", channel: "chat" }),
        ticket({ ticket_id: "T3", status: "open" }),
        ticket({ ticket_id: "T4", customer_id: null }),
      ],
    };
    assert.deepEqual(candidatesOf([def], facts, now), [{ c: { def, ticket_id: "T1", customer_id: "C1" }, delayMs: 30 * 60_000 }]);
  });

  it("never for history: a ticket solved more than a day ago (an import) surveys nobody", () => {
    assert.deepEqual(candidatesOf([def], { contact_facts: [], ticket_facts: [ticket({ last_solved_at: now - 25 * 3_600_000 })] }, now), []);
  });

  it("after a chat or call that was answered and has ended", () => {
    const chat = parseSurvey({ id: "after-chat", kind: "ces", trigger: { on: "contact", channels: ["chat"] } });
    const contact = (over: Record<string, unknown>) => ({
      contact_id: "K1",
      ticket_id: null,
      customer_id: "C1",
      channel: "chat",
      answered: true,
      ended_at: now - 1000,
      ...over,
    });
    const facts = {
      ticket_facts: [],
      contact_facts: [
        contact({}),
        contact({ contact_id: "K2", ended_at: null }),
        contact({ contact_id: "K3", answered: false }),
        contact({ contact_id: "K4", channel: "phone" }),
      ],
    };
    assert.deepEqual(candidatesOf([chat], facts, now), [{ c: { def: chat, contact_id: "K1", ticket_id: undefined, customer_id: "C1" }, delayMs: 0 }]);
  });
});
