import { tzOffset } from "./tz.js";

const DAY = 86_400_000;

/**
 * The zone's offset over [from, to) as pieces: `offsets[i]` holds before `cuts[i]` (and from
 * `cuts[i − 1]`). Found by stepping a day at a time and bisecting to the second, so two
 * transitions less than a day apart would merge (no zone has had such since the 1940s).
 */
export function offsetPieces(tz: string, from: number, to: number, cache = true): { cuts: number[]; offsets: number[] } {
  const key = `${tz}|${from}|${to}`;
  const hit = cache ? pieceCache.get(key) : undefined;
  if (hit) return hit;
  const cuts: number[] = [];
  const offsets = [tzOffset(from, tz)];
  if (tz !== "UTC") {
    for (let t = from; t < to; t += DAY) {
      const next = Math.min(t + DAY, to - 1);
      if (next <= t || tzOffset(next, tz) === offsets[offsets.length - 1]) continue;
      // the first whole second in (t, next] whose offset differs (offsets change on whole seconds)
      let lo = Math.floor(t / 1000);
      let hi = Math.ceil(next / 1000);
      const o = offsets[offsets.length - 1];
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (tzOffset(mid * 1000, tz) === o) lo = mid;
        else hi = mid;
      }
      cuts.push(hi * 1000);
      offsets.push(tzOffset(hi * 1000, tz));
    }
  }
  const out = { cuts, offsets };
  if (cache) {
    if (pieceCache.size > 200) pieceCache.clear();
    pieceCache.set(key, out);
  }
  return out;
}
const pieceCache = new Map<string, { cuts: number[]; offsets: number[] }>();

/** Per zone and UTC year, its offset pieces: `zoneOffset` is then a binary search, not an Intl call. */
const yearPieces = new Map<string, { cuts: number[]; offsets: number[] }>();
let last = { tz: "", from: 0, to: 0, p: { cuts: [] as number[], offsets: [0] } };

/**
 * The zone's offset at `ms`, as `tzOffset` gives it, from the offset pieces of the UTC year of
 * `ms` (worked out once per zone and year): bucket lists of hourly years call it ~40,000 times.
 */
export function zoneOffset(ms: number, tz: string): number {
  if (tz === "UTC") return 0;
  let p: { cuts: number[]; offsets: number[] } | undefined;
  // most calls in a row ask about the same zone and year
  if (tz === last.tz && ms >= last.from && ms < last.to) p = last.p;
  else {
    const y = new Date(ms).getUTCFullYear();
    const key = `${tz}|${y}`;
    p = yearPieces.get(key);
    if (!p) {
      p = offsetPieces(tz, Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1), false);
      if (yearPieces.size > 1000) yearPieces.clear();
      yearPieces.set(key, p);
    }
    last = { tz, from: Date.UTC(y, 0, 1), to: Date.UTC(y + 1, 0, 1), p };
  }
  let lo = 0;
  let hi = p.cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms < p.cuts[mid]) hi = mid;
    else lo = mid + 1;
  }
  return p.offsets[lo];
}
