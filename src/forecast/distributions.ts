// The forecast's statistics, pure and deterministic: waits with competing outcomes estimated under
// right censoring (patients still waiting on the as-of day), sampling from them given the days
// already waited, percentiles, a least-squares line, and Poisson counts. Only + - * / and sqrt
// (correctly rounded everywhere), so the same seed gives the same bytes on any engine, as in the
// simulator (src/sim/random.ts).

/**
 * How long something takes and how it ends, in whole days: the Aalen-Johansen estimate of the
 * cumulative incidence of each outcome, which lets patients still waiting (censored) count for the
 * days they are known to have waited, up to the day `tailFrom` after which too few are left to
 * estimate day by day; past it, a constant chance a day of leaving (exits over patient-days at risk
 * there), so the long waiters the history shows, stuck or deferred, stay as long as they did. Plain JSON.
 */
export interface ExitTable {
  /** Outcome names; `pick` below indexes them. */
  labels: string[];
  /** Days (from entering the state, at most tailFrom) on which exits were seen, ascending. */
  days: number[];
  /** Cumulative incidence of any exit by each of those days (non-decreasing, at most 1). */
  cum: number[];
  /** For each of those days: cumulative shares of the outcomes exiting that day (label index, share). */
  pick: [number, number][][];
  /** The last day estimated day by day. */
  tailFrom: number;
  /** Past tailFrom: the chance a day of leaving, and the outcomes' cumulative shares. */
  tailHazard: number;
  tailPick: [number, number][];
  /** Entries counted and exits seen. */
  entries: number;
  exits: number;
}

/** Fewer at risk than this and the days after are pooled into the tail. */
export const TAIL_AT_RISK = 20;

/** Counts for one ExitTable, gathered one episode at a time. */
export class ExitCounter {
  private readonly exitsByLabel = new Map<string, number[]>();
  private readonly censored: number[] = [];
  entries = 0;
  exits = 0;

  /** An episode that ended on day `days` (from entry) with `label`. */
  exit(days: number, label: string): void {
    this.entries++;
    this.exits++;
    let a = this.exitsByLabel.get(label);
    if (!a) this.exitsByLabel.set(label, (a = []));
    a[days] = (a[days] ?? 0) + 1;
  }

  /** An episode still under way after `days` days (it is known not to have ended on those days). */
  censor(days: number): void {
    this.entries++;
    this.censored[days] = (this.censored[days] ?? 0) + 1;
  }

  /** Adds another counter's episodes to this one. */
  merge(other: ExitCounter): void {
    this.entries += other.entries;
    this.exits += other.exits;
    for (const [label, a] of other.exitsByLabel) {
      let mine = this.exitsByLabel.get(label);
      if (!mine) this.exitsByLabel.set(label, (mine = []));
      a.forEach((n, d) => (mine[d] = (mine[d] ?? 0) + n));
    }
    other.censored.forEach((n, d) => (this.censored[d] = (this.censored[d] ?? 0) + n));
  }

  /** The table; `enough` patients at risk keep a day in the day-by-day part. */
  table(enough = TAIL_AT_RISK): ExitTable {
    const labels = [...this.exitsByLabel.keys()].sort();
    const series = labels.map((l) => this.exitsByLabel.get(l)!);
    const length = Math.max(this.censored.length, ...series.map((s) => s.length));
    const days: number[] = [];
    const cum: number[] = [];
    const pick: [number, number][][] = [];
    const tailExits = new Array<number>(labels.length).fill(0);
    let atRisk = this.entries;
    let survival = 1;
    let total = 0;
    let exits = 0;
    let tailFrom = -1;
    let tailDays = 0;
    for (let d = 0; d < length && atRisk > 0; d++) {
      let out = 0;
      for (const s of series) out += s[d] ?? 0;
      exits += out;
      if (tailFrom < 0 && atRisk < enough) tailFrom = d - 1;
      if (tailFrom >= 0) {
        // Past the day-by-day part: patient-days at risk and exits, pooled.
        tailDays += atRisk;
        series.forEach((s, i) => (tailExits[i]! += s[d] ?? 0));
      } else if (out > 0) {
        const hazard = out / atRisk;
        total += survival * hazard;
        survival *= 1 - hazard;
        const shares: [number, number][] = [];
        let c = 0;
        series.forEach((s, i) => {
          if (s[d]) shares.push([i, (c += s[d]!) / out]);
        });
        days.push(d);
        cum.push(Math.min(total, 1));
        pick.push(shares);
      }
      atRisk -= out + (this.censored[d] ?? 0);
    }
    if (tailFrom < 0) tailFrom = Math.max(length - 1, 0);
    const tailOut = tailExits.reduce((a, b) => a + b, 0);
    // No exit seen past tailFrom: half an exit over the days watched (or a fortnight), not never.
    const tailHazard = tailOut > 0 ? tailOut / tailDays : 0.5 / Math.max(tailDays, 14);
    const weights = tailOut > 0 ? tailExits : series.map((s) => s.reduce((a, n) => a + (n ?? 0), 0));
    const weightSum = weights.reduce((a, b) => a + b, 0);
    const tailPick: [number, number][] = [];
    let c = 0;
    weights.forEach((w, i) => {
      if (w > 0) tailPick.push([i, (c += w) / weightSum]);
    });
    return { labels, days, cum, pick, tailFrom, tailHazard, tailPick, entries: this.entries, exits };
  }
}

/** The cumulative incidence by day `day` within the day-by-day part (0 before the first exit). */
export function cumulativeBy(t: ExitTable, day: number): number {
  let lo = 0;
  let hi = t.days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.days[mid]! <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : t.cum[lo - 1]!;
}

/**
 * An exit drawn given that `waited` days have passed with none: its day (from entry, > waited) and
 * outcome label index. `u` and `v` are uniforms in [0, 1). Within the day-by-day part it follows the
 * table; past it (or for a wait already past it), a geometric wait with the tail's chance a day. With
 * `tail` 'now', a wait past the day-by-day part ends the next day instead: a lead already served in
 * full (a patient who has waited longer than the notice seen is ready now).
 */
export function sampleExit(
  t: ExitTable,
  waited: number,
  u: number,
  v: number,
  tail: 'geometric' | 'now' = 'geometric',
): { day: number; label: number } {
  const n = t.days.length;
  const last = n === 0 ? 0 : t.cum[n - 1]!;
  if (waited < t.tailFrom) {
    const from = cumulativeBy(t, waited);
    const x = from + u * (1 - from);
    if (x < last) {
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (t.cum[mid]! > x && t.days[mid]! > waited) hi = mid;
        else lo = mid + 1;
      }
      return { day: t.days[lo]!, label: pickLabel(t.pick[lo]!, v) };
    }
    // Into the tail: the rest of u, rescaled, draws the days past tailFrom.
    u = (x - last) / (1 - last);
    waited = t.tailFrom;
  }
  const label = t.tailPick.length ? pickLabel(t.tailPick, v) : -1;
  if (tail === 'now') return { day: waited + 1, label };
  return { day: waited + geometric(t.tailHazard, u), label };
}

/** Days to an event with chance `h` a day: the smallest k >= 1 with 1 - (1 - h)^k > u (inversion, basic arithmetic). */
export function geometric(h: number, u: number): number {
  if (!(h > 0)) return Infinity;
  if (h >= 1) return 1;
  return geometricBy(lnUnit(1 - h), u);
}

/** geometric(h, u) given ln(1 - h) (0 < h < 1): a table's tail takes its log once. */
function geometricBy(lnStay: number, u: number): number {
  return Math.max(1, Math.ceil(lnUnit(1 - u) / lnStay));
}

/**
 * sampleExit's draws from one table, made ready for the forecast, which draws from each table
 * thousands of times a run: the table's columns in typed arrays side by side, the outcomes' shares
 * in one flat array, the tail's log taken once, and no object made per draw. The search for the
 * drawn day starts where a coarse index by the uniform puts it instead of halving the whole table.
 * The same arithmetic on the same numbers, so the same draws (a property test holds it to sampleExit).
 */
export class ExitSampler {
  /** The outcome (label index) of the last draw, -1 for none. */
  label = -1;
  readonly tailFrom: number;
  private readonly n: number;
  private readonly days: Int32Array;
  private readonly cum: Float64Array;
  /** cumulativeBy(t, w) for w = 0 .. tailFrom - 1. */
  private readonly cumBy: Float64Array;
  /** Outcome shares of day i at [pickStart[i], pickStart[i + 1]); the tail's as day n. */
  private readonly pickStart: Int32Array;
  private readonly pickLabel: Int32Array;
  private readonly pickShare: Float64Array;
  /** For x in [b / B, (b + 1) / B): no day before firstAbove[b] has a cumulative incidence above x. */
  private readonly firstAbove: Int32Array;
  private readonly buckets: number;
  private readonly tailHazard: number;
  private readonly lnStay: number;

  constructor(t: ExitTable) {
    const n = t.days.length;
    this.n = n;
    this.tailFrom = t.tailFrom;
    this.tailHazard = t.tailHazard;
    this.lnStay = t.tailHazard > 0 && t.tailHazard < 1 ? lnUnit(1 - t.tailHazard) : NaN;
    this.days = Int32Array.from(t.days);
    this.cum = Float64Array.from(t.cum);
    this.cumBy = new Float64Array(Math.max(t.tailFrom, 0));
    for (let w = 0; w < this.cumBy.length; w++) this.cumBy[w] = cumulativeBy(t, w);
    const picks = [...t.pick, t.tailPick];
    this.pickStart = new Int32Array(picks.length + 1);
    picks.forEach((p, i) => (this.pickStart[i + 1] = this.pickStart[i]! + p.length));
    this.pickLabel = new Int32Array(this.pickStart[picks.length]!);
    this.pickShare = new Float64Array(this.pickLabel.length);
    let k = 0;
    for (const shares of picks)
      for (const [label, share] of shares) {
        this.pickLabel[k] = label;
        this.pickShare[k++] = share;
      }
    // A power of two, so x * B and b / B are exact and b = floor(x * B) has b / B <= x.
    this.buckets = 2 ** Math.ceil(Math.log2(2 * n + 2));
    this.firstAbove = new Int32Array(this.buckets);
    let i = 0;
    for (let b = 0; b < this.buckets; b++) {
      while (i < n && !(this.cum[i]! > b / this.buckets)) i++;
      this.firstAbove[b] = i;
    }
  }

  /** sampleExit(t, waited, u, v, tail).day; the outcome is left in `label`. */
  draw(waited: number, u: number, v: number, tail: 'geometric' | 'now' = 'geometric'): number {
    const n = this.n;
    const last = n === 0 ? 0 : this.cum[n - 1]!;
    if (waited < this.tailFrom) {
      const from = waited < 0 ? 0 : this.cumBy[waited]!;
      const x = from + u * (1 - from);
      if (x < last) {
        // The first day with the incidence above x and after the days waited, as sampleExit's halving finds it.
        let i = this.firstAbove[Math.floor(x * this.buckets)]!;
        while (i < n - 1 && !(this.cum[i]! > x && this.days[i]! > waited)) i++;
        this.label = this.pick(i, v);
        return this.days[i]!;
      }
      u = (x - last) / (1 - last);
      waited = this.tailFrom;
    }
    this.label = this.pickStart[n + 1]! > this.pickStart[n]! ? this.pick(n, v) : -1;
    if (tail === 'now') return waited + 1;
    const h = this.tailHazard;
    return waited + (!(h > 0) ? Infinity : h >= 1 ? 1 : geometricBy(this.lnStay, u));
  }

  /** pickLabel of day i's shares (i = n: the tail's). */
  private pick(i: number, v: number): number {
    const end = this.pickStart[i + 1]! - 1;
    let k = this.pickStart[i]!;
    while (k < end && !(v < this.pickShare[k]!)) k++;
    return this.pickLabel[k]!;
  }
}

function pickLabel(shares: [number, number][], v: number): number {
  // Indexed, not destructured: this runs for every step of every patient of every run.
  const n = shares.length;
  for (let i = 0; i < n - 1; i++) if (v < shares[i]![1]) return shares[i]![0];
  return shares[n - 1]![0];
}

/** The day by which a share `q` of all who enter have left (null if nobody was seen to leave). */
export function exitQuantile(t: ExitTable, q: number): number | null {
  if (t.exits === 0) return null;
  const n = t.days.length;
  for (let i = 0; i < n; i++) if (t.cum[i]! >= q) return t.days[i]!;
  // In the tail: survival past tailFrom falls by (1 - h) a day.
  const left = 1 - (n ? t.cum[n - 1]! : 0);
  return t.tailFrom + geometric(t.tailHazard, (q - (1 - left)) / left);
}

/** Each outcome's share of all exits: the day-by-day incidence, and the rest shared as in the tail. */
export function exitShares(t: ExitTable): Record<string, number> {
  const mass = new Array<number>(t.labels.length).fill(0);
  let previous = 0;
  const share = (shares: [number, number][], amount: number) => {
    let before = 0;
    for (const [label, c] of shares) {
      mass[label]! += amount * (c - before);
      before = c;
    }
  };
  t.cum.forEach((c, i) => {
    share(t.pick[i]!, c - previous);
    previous = c;
  });
  share(t.tailPick, 1 - previous);
  const total = mass.reduce((s, m) => s + m, 0);
  return Object.fromEntries(t.labels.map((l, i) => [l, total > 0 ? round(mass[i]! / total, 4) : 0]));
}

/** Linear-interpolated percentile (type 7) of numbers; null for none. `sorted` must be ascending. */
export function percentile(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The least-squares line through (x, y): slope, intercept, and the slope's standard error (NaN under 3 points). */
export function leastSquares(
  x: readonly number[],
  y: readonly number[],
): { slope: number; intercept: number; se: number } {
  const n = x.length;
  if (n === 0) return { slope: 0, intercept: 0, se: NaN };
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) * (x[i]! - mx);
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  if (n < 3 || sxx === 0) return { slope, intercept, se: NaN };
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i]! - intercept - slope * x[i]!) ** 2;
  return { slope, intercept, se: Math.sqrt(rss / (n - 2) / sxx) };
}

/** e^-x for x >= 0 by halving and a Taylor series: basic arithmetic only, the same bits on every engine. */
export function expNeg(x: number): number {
  if (!(x < 746)) return 0; // below the smallest double (and no endless halving of an infinity)
  let k = 0;
  let r = x;
  while (r > 0.5) {
    r /= 2;
    k++;
  }
  // e^-r for r <= 0.5: 14 terms are beyond double precision.
  let term = 1;
  let sum = 1;
  for (let i = 1; i <= 14; i++) {
    term *= -r / i;
    sum += term;
  }
  for (let i = 0; i < k; i++) sum *= sum;
  return sum;
}

/** A Poisson count with mean `mean`, by inversion of the uniform `u` (the same u gives more for a larger mean). */
export function poisson(mean: number, u: number): number {
  if (!(mean > 0)) return 0;
  if (mean > 500) {
    // A normal approximation far from zero, by a rational inverse of the normal distribution.
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normalQuantile(u)));
  }
  let p = expNeg(mean);
  let c = p;
  let k = 0;
  while (u >= c && k < 10_000) {
    k++;
    p *= mean / k;
    c += p;
    if (p === 0) break;
  }
  return k;
}

/** The standard normal quantile (Acklam's rational approximation, relative error under 1.2e-9; sqrt only). */
export function normalQuantile(u: number): number {
  const p = Math.min(Math.max(u, 1e-12), 1 - 1e-12);
  const a = [
    -39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472, 2.50662827745924,
  ];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = q * q;
    return (
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
    );
  }
  // Tails: rarely reached at these sizes; a coarse but monotone value is enough.
  const t = Math.sqrt(-2 * lnUnit(q < 0 ? p : 1 - p));
  const v = 2.515517 + 0.802853 * t + 0.010328 * t * t;
  const w = 1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t;
  return q < 0 ? -(t - v / w) : t - v / w;
}

/** The standard normal distribution function (Abramowitz and Stegun 26.2.17, error under 7.5e-8; e^-x written out). */
export function normalCdf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.2316419 * z);
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const upper = (expNeg((z * z) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return x >= 0 ? 1 - upper : upper;
}

/** ln(x) for 0 < x <= 1, by halving into [0.5, 1) and an arctanh series: basic arithmetic only. */
export function lnUnit(x: number): number {
  let k = 0;
  let m = x;
  while (m < 0.5) {
    m *= 2;
    k++;
  }
  const z = (m - 1) / (m + 1);
  let term = z;
  let sum = 0;
  for (let i = 1; i < 60; i += 2) {
    const t = term / i;
    // A term under half a unit in the last place of the sum changes nothing, nor do the smaller ones after it.
    if (Math.abs(t) < Math.abs(sum) * 5.551115123125783e-17) break;
    sum += t;
    term *= z * z;
  }
  return 2 * sum - k * 0.6931471805599453;
}

export function round(x: number, places = 2): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}
