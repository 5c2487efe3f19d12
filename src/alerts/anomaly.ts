/**
 * A seasonal baseline for hourly series (ticket volume, first response time, abandonment): the
 * same local weekday × hour of earlier weeks, summarised robustly as median ± k·MAD so one past
 * storm does not widen the band for ever. A usual Monday 10:00 is not news; three times it is.
 */
export interface AnomalyOptions {
  /** band half-width in scaled MADs (default 4) */
  k: number;
  /** fewest earlier weeks with data for a verdict (default 4) */
  minWeeks: number;
  /** the smallest absolute difference that counts (quiet hours with 0–2 tickets never alarm) */
  minDelta: number;
  direction: "above" | "below" | "both";
  /** counts (ticket volume): the spread is at least √median, the noise of a Poisson count, so 8 lucky-quiet weeks do not make a normal hour look wild */
  counts?: boolean;
}

export interface Verdict {
  anomalous: boolean;
  value: number;
  median: number;
  /** 1.4826 × MAD: the standard deviation a normal series with this MAD would have */
  spread: number;
  lower: number;
  upper: number;
  samples: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

const WEEKDAY = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 } as Record<string, number>;

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const FORMATS = new Map<string, Intl.DateTimeFormat>();

/** Local weekday × hour of an instant in `tz`, 0..167 (Sunday 00:00 is 0). DST-safe: it reads the local clock. */
export function weekSlot(ms: number, tz: string): number {
  let f = FORMATS.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, weekday: "short", hour: "numeric", hourCycle: "h23" });
    FORMATS.set(tz, f);
  }
  const parts = f.formatToParts(new Date(ms));
  const wd = WEEKDAY[parts.find((p) => p.type === "weekday")!.value];
  return wd * 24 + Number(parts.find((p) => p.type === "hour")!.value);
}

/**
 * Judges `value` of the hour starting at `at` against the same slot's values in `history`
 * (hour start → value, only hours before `at`; hours without data are absent). A spread of at
 * least 1 keeps a perfectly regular history (MAD 0) from alarming on any change.
 */
export function judge(at: number, value: number, history: Map<number, number>, tz: string, opts: AnomalyOptions): Verdict {
  const slot = weekSlot(at, tz);
  const samples: number[] = [];
  // The same local slot is a whole number of weeks back, give or take the hour a DST change moves it.
  const oldest = Math.min(...history.keys());
  for (let back = at - WEEK; back + HOUR >= oldest; back -= WEEK) {
    const t = [back, back - HOUR, back + HOUR].find((c) => c < at && history.has(c) && weekSlot(c, tz) === slot);
    if (t !== undefined) samples.push(history.get(t)!);
  }
  const m = median(samples);
  const spread = Math.max(1.4826 * median(samples.map((x) => Math.abs(x - m))), opts.counts ? Math.sqrt(m) : 0, 1);
  const lower = m - opts.k * spread;
  const upper = m + opts.k * spread;
  const high = value > upper && value - m >= opts.minDelta;
  const low = value < lower && m - value >= opts.minDelta;
  const anomalous = samples.length >= opts.minWeeks && (opts.direction === "above" ? high : opts.direction === "below" ? low : high || low);
  return { anomalous, value, median: m, spread, lower, upper, samples: samples.length };
}
