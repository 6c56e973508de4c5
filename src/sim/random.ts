// Seeded randomness for the simulator. Everything here uses only integer and IEEE-754 basic
// arithmetic (no Math.random, no Math.log/exp/cos, whose last bits may differ between engines),
// so the same seed gives the same history on any platform.

/** A 32-bit integer mixer (the finaliser of MurmurHash3 after a golden-ratio step). */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes
 * PractRand, and is a handful of integer operations per number.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Any safe integer seed; its high bits count too (seed 1 and seed 2^32 + 1 differ). */
  constructor(seed: number, stream = 0) {
    this.a = this.b = this.c = this.d = 0;
    this.reseed(seed, stream);
  }

  /**
   * Starts again from a seed and a stream number: each stream of a seed is its own sequence (the
   * simulator gives each pathway one, so a change to one pathway's waits leaves the others' draws alone).
   */
  reseed(seed: number, stream = 0): void {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer (got ${seed})`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    this.a = mix32(lo);
    this.b = mix32(hi ^ 0x1b873593 ^ Math.imul(stream, 0x2545f491));
    this.c = mix32(lo ^ mix32(hi));
    this.d = 1;
    for (let i = 0; i < 16; i++) this.next();
  }

  /** A uniform number in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A whole number in [min, max], both included. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  item<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/** A weighted choice: entries are [value, weight]; weights need not sum to 1. */
export class Mix<T> {
  private readonly values: T[];
  private readonly cumulative: Float64Array;

  constructor(readonly entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new RangeError('a mix needs at least one entry');
    const total = entries.reduce((s, [, w]) => s + w, 0);
    this.values = entries.map(([v]) => v);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, w], i) => {
      sum += w;
      this.cumulative[i] = sum / total;
    });
  }

  pick(rng: Random): T {
    const u = rng.next();
    const c = this.cumulative;
    for (let i = 0; i < c.length - 1; i++) if (u < c[i]!) return this.values[i]!;
    return this.values[this.values.length - 1]!;
  }

  /** The share of one value (for documentation and tests). */
  share(value: T): number {
    const total = this.entries.reduce((s, [, w]) => s + w, 0);
    return this.entries.filter(([v]) => v === value).reduce((s, [, w]) => s + w, 0) / total;
  }
}

/**
 * A distribution of whole days given by its cumulative shares: knots [day, share] read
 * "share of cases done by that day (inclusive)", linear between knots. The first knot has share 0
 * (its day is one before the smallest possible value); the last has share 1. So the calibration is
 * readable: [28, 0.79] means 79% within 28 days.
 */
export class Days {
  private readonly days: Float64Array;
  private readonly shares: Float64Array;

  constructor(readonly knots: readonly (readonly [day: number, share: number])[]) {
    const first = knots[0];
    const last = knots[knots.length - 1];
    if (!first || !last || first[1] !== 0 || last[1] !== 1)
      throw new RangeError('knots must run from share 0 to share 1');
    for (let i = 1; i < knots.length; i++) {
      if (!(knots[i]![0] > knots[i - 1]![0]) || knots[i]![1] < knots[i - 1]![1])
        throw new RangeError('knots must rise');
    }
    this.days = Float64Array.from(knots, ([d]) => d);
    this.shares = Float64Array.from(knots, ([, s]) => s);
  }

  sample(rng: Random): number {
    const u = rng.next();
    const s = this.shares;
    let i = 1;
    while (i < s.length - 1 && u >= s[i]!) i++;
    const d0 = this.days[i - 1]!;
    const d1 = this.days[i]!;
    const s0 = s[i - 1]!;
    const s1 = s[i]!;
    // The days d0+1 .. d1 share the mass s1 - s0 equally.
    const k = s1 > s0 ? Math.floor(((u - s0) / (s1 - s0)) * (d1 - d0)) : 0;
    return d0 + 1 + Math.min(Math.max(k, 0), d1 - d0 - 1);
  }

  /** P(value <= day), for documentation and tests. */
  cdf(day: number): number {
    const d = this.days;
    if (day <= d[0]!) return 0;
    for (let i = 1; i < d.length; i++) {
      if (day <= d[i]!) {
        const s0 = this.shares[i - 1]!;
        return s0 + ((this.shares[i]! - s0) * (Math.floor(day) - d[i - 1]!)) / (d[i]! - d[i - 1]!);
      }
    }
    return 1;
  }
}
