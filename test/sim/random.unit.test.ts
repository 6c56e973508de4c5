// The simulator's seeded randomness: reproducible, in range, and distributions that follow their tables.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Days, Mix, Random } from '../../src/sim/random.ts';
import { FIRST_LEAD, TEST_LEAD, TOLD_AFTER_REPORT } from '../../src/sim/model.ts';

const draws = (seed: number, n: number) => {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe('Random', () => {
  it('repeats a sequence for a seed, and differs between seeds (high bits included)', () => {
    expect(draws(42, 100)).toEqual(draws(42, 100));
    expect(draws(42, 100)).not.toEqual(draws(43, 100));
    expect(draws(1, 100)).not.toEqual(draws(2 ** 32 + 1, 100));
  });

  it('gives a known first value for seed 1, so a change to the generator is noticed', () => {
    // Pinned: published histories (and benchmark files) are reproducible only while these hold.
    expect(draws(1, 3)).toEqual([0.8848201481159776, 0.9539733834099025, 0.9502033526077867]);
  });

  it('stays in range and is roughly uniform', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (seed) => {
        const rng = new Random(seed);
        const buckets = new Array<number>(10).fill(0);
        for (let i = 0; i < 5000; i++) {
          const x = rng.next();
          expect(x >= 0 && x < 1).toBe(true);
          buckets[Math.floor(x * 10)]!++;
          const k = rng.between(3, 7);
          expect(k >= 3 && k <= 7 && Number.isInteger(k)).toBe(true);
        }
        for (const b of buckets) expect(Math.abs(b - 500)).toBeLessThan(120);
      }),
      { numRuns: 20, seed: 7 },
    );
  });

  it('gives each stream of a seed its own sequence, and starts a stream again the same (the pathways of a history)', () => {
    const stream = (seed: number, k: number) => {
      const rng = new Random(1);
      rng.reseed(seed, k);
      return Array.from({ length: 20 }, () => rng.next());
    };
    expect(stream(42, 0)).toEqual(draws(42, 20));
    expect(stream(42, 7)).toEqual(stream(42, 7));
    expect(new Set([0, 1, 2, -1, -2, 1000].map((k) => stream(42, k)[0])).size).toBe(6);
    expect(stream(42, 3)).not.toEqual(stream(43, 3));
  });

  it('refuses a seed that is not a safe integer', () => {
    expect(() => new Random(1.5)).toThrow(RangeError);
    expect(() => new Random(2 ** 53)).toThrow(RangeError);
  });
});

describe('Mix', () => {
  it('picks values in proportion to their weights', () => {
    const mix = new Mix([
      ['a', 3],
      ['b', 1],
    ] as const);
    const rng = new Random(5);
    let a = 0;
    for (let i = 0; i < 20_000; i++) if (mix.pick(rng) === 'a') a++;
    expect(a / 20_000).toBeGreaterThan(0.73);
    expect(a / 20_000).toBeLessThan(0.77);
    expect(mix.share('a')).toBe(0.75);
  });
});

describe('Days', () => {
  it('reads "share done by day N", and samples follow it', () => {
    const table = new Days([
      [-1, 0],
      [0, 0.1],
      [28, 0.75],
      [62, 1],
    ]);
    expect(table.cdf(-1)).toBe(0);
    expect(table.cdf(0)).toBeCloseTo(0.1);
    expect(table.cdf(28)).toBeCloseTo(0.75);
    expect(table.cdf(62)).toBe(1);
    const rng = new Random(9);
    let zero = 0;
    let within28 = 0;
    const n = 40_000;
    for (let i = 0; i < n; i++) {
      const d = table.sample(rng);
      expect(Number.isInteger(d) && d >= 0 && d <= 62).toBe(true);
      if (d === 0) zero++;
      if (d <= 28) within28++;
    }
    expect(zero / n).toBeCloseTo(0.1, 1);
    expect(Math.abs(within28 / n - 0.75)).toBeLessThan(0.01);
  });

  it('the calibration tables say what docs/simulation.md says', () => {
    expect(FIRST_LEAD.cdf(14)).toBeCloseTo(0.95);
    expect(TEST_LEAD.cdf(7)).toBeCloseTo(0.96);
    expect(TOLD_AFTER_REPORT.cdf(7)).toBeCloseTo(0.88);
  });

  it('refuses tables that do not run from 0 to 1 or do not rise', () => {
    expect(
      () =>
        new Days([
          [0, 0.1],
          [10, 1],
        ]),
    ).toThrow(RangeError);
    expect(
      () =>
        new Days([
          [0, 0],
          [10, 0.9],
        ]),
    ).toThrow(RangeError);
    expect(
      () =>
        new Days([
          [0, 0],
          [10, 0.6],
          [5, 1],
        ]),
    ).toThrow(RangeError);
  });
});
