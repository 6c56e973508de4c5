// The forecast's statistics: competing outcomes under censoring (a worked example), the long-wait
// tail, sampling given the days already waited, Poisson counts, and the arithmetic kept to + - * /
// for the same bytes everywhere.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cumulativeBy,
  ExitCounter,
  ExitSampler,
  exitQuantile,
  exitShares,
  expNeg,
  geometric,
  leastSquares,
  lnUnit,
  percentile,
  poisson,
  sampleExit,
} from '../../src/forecast/distributions.ts';

/** Five patients: one leaves on day 1 (a), one on day 2 (b), one is still waiting after 2 days, one leaves on day 3 (a), one is still waiting after 5. */
function counter() {
  const c = new ExitCounter();
  c.exit(1, 'a');
  c.exit(2, 'b');
  c.censor(2);
  c.exit(3, 'a');
  c.censor(5);
  return c;
}
/** Day by day while one patient is at risk. */
const worked = () => counter().table(1);

describe('the Aalen-Johansen table', () => {
  it('counts a censored patient for the days it is known to have waited (worked by hand)', () => {
    // Day 1: 5 at risk, 1 leaves: incidence 1/5. Day 2: 4 at risk, 1 leaves: + 0.8 x 1/4 = 0.4; one is
    // censored after day 2. Day 3: 2 at risk, 1 leaves: + 0.6 x 1/2 = 0.7. Survival past day 3: 0.3.
    const t = worked();
    expect(t.days).toEqual([1, 2, 3]);
    expect(t.cum.map((c) => Math.round(c * 1e9) / 1e9)).toEqual([0.2, 0.4, 0.7]);
    expect(t.entries).toBe(5);
    expect(t.exits).toBe(3);
    // One patient is at risk to day 5, the last day estimated day by day; none is watched past it:
    // half an exit a fortnight.
    expect(t.tailFrom).toBe(5);
    expect(t.tailHazard).toBeCloseTo(0.5 / 14, 12);
    // Outcome a: 0.2 + 0.3 of 0.7, plus two thirds of the 0.3 left (shared as all exits were); b the rest.
    expect(exitShares(t)).toEqual({ a: 0.7, b: 0.3 });
    expect(cumulativeBy(t, 0)).toBe(0);
    expect(cumulativeBy(t, 2)).toBeCloseTo(0.4, 12);
    expect(exitQuantile(t, 0.3)).toBe(2);
  });

  it('reads a naive share wrongly without censoring: the patients still waiting are not leavers', () => {
    // Dropping the censored ones would give day 1 a third of the exits; with them it is 0.2 / 0.7 = 0.286.
    const t = worked();
    expect(t.cum[0]! / t.cum[2]!).toBeCloseTo(0.2 / 0.7, 12);
  });

  it('pools the days with few patients left into a tail: exits over patient-days at risk', () => {
    // 100 patients: 90 leave on day 1; of the 10 left, one leaves on each of days 10, 20, ..., 50 and
    // five are still waiting at day 60. With 20 needed at risk, the tail starts after day 1.
    const c = new ExitCounter();
    for (let i = 0; i < 90; i++) c.exit(1, 'a');
    for (const d of [10, 20, 30, 40, 50]) c.exit(d, 'b');
    for (let i = 0; i < 5; i++) c.censor(60);
    const t = c.table();
    expect(t.tailFrom).toBe(1);
    // Patient-days from day 2: 10 + 10 + ... the five who left waited to their day, five waited to day 60.
    const days = [10, 20, 30, 40, 50].reduce((s, d) => s + d - 1, 0) + 5 * 59;
    expect(t.tailHazard).toBeCloseTo(5 / days, 12);
    expect(t.labels[t.tailPick[0]![0]]).toBe('b');
  });

  it('merges counters as if their episodes had been counted together', () => {
    const a = new ExitCounter();
    a.exit(1, 'a');
    a.censor(2);
    const b = new ExitCounter();
    b.exit(2, 'b');
    b.exit(3, 'a');
    b.censor(5);
    a.merge(b);
    expect(a.table(1)).toEqual(worked());
  });
});

describe('sampling a wait given the days already waited', () => {
  const t = worked();
  const grid = (n: number) => Array.from({ length: n }, (_, i) => (i + 0.5) / n);

  it('never draws a day already waited through, and gives the same draw for the same numbers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1, max: 40 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (waited, u, v) => {
          const a = sampleExit(t, waited, u, v);
          expect(a.day).toBeGreaterThan(waited);
          expect(sampleExit(t, waited, u, v)).toEqual(a);
          expect(['a', 'b']).toContain(t.labels[a.label]);
        },
      ),
    );
  });

  it('draws from the distribution conditional on having waited (shares over an even grid of uniforms)', () => {
    // Given more than 1 day: P(day 2) = 0.2 / 0.8, P(day 3) = 0.3 / 0.8, and 0.3 / 0.8 past day 5, geometrically.
    const days = grid(8000).map((u) => sampleExit(t, 1, u, 0.5).day);
    const share = (f: (d: number) => boolean) => days.filter(f).length / days.length;
    expect(share((d) => d === 2)).toBeCloseTo(0.25, 3);
    expect(share((d) => d === 3)).toBeCloseTo(0.375, 3);
    expect(share((d) => d === 4 || d === 5)).toBe(0);
    expect(share((d) => d === 6)).toBeCloseTo(0.375 * t.tailHazard, 3);
    // A wait already in the tail is memoryless: the same chance of leaving the next day at 10 days or at 100.
    const next = (waited: number) => grid(4000).filter((u) => sampleExit(t, waited, u, 0.5).day === waited + 1).length;
    expect(next(10)).toBe(next(100));
    // Outcome a on day 3 always (only a left that day).
    expect(grid(100).map((v) => t.labels[sampleExit(t, 2, 0.3, v).label])).toEqual(new Array(100).fill('a'));
  });

  it("with 'now', a wait past the day-by-day part ends the next day", () => {
    expect(sampleExit(t, 10, 0.99, 0.5, 'now').day).toBe(11);
    expect(sampleExit(t, 10, 0.99, 0.5).day).toBeGreaterThan(11);
  });

  it('makes the same draws ready-made (ExitSampler) as sampleExit, on any table', () => {
    const episode = fc.record({
      days: fc.integer({ min: 0, max: 120 }),
      label: fc.constantFrom('a', 'b', 'c', null), // null: still waiting
    });
    fc.assert(
      fc.property(
        fc.array(episode, { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: -1, max: 150 }),
            fc.double({ min: 0, max: 0.999999, noNaN: true }),
            fc.double({ min: 0, max: 0.999999, noNaN: true }),
            fc.boolean(),
          ),
          { minLength: 1, maxLength: 50 },
        ),
        (episodes, enough, draws) => {
          const c = new ExitCounter();
          for (const e of episodes) {
            if (e.label === null) c.censor(e.days);
            else c.exit(e.days, e.label);
          }
          const t = c.table(enough);
          const sampler = new ExitSampler(t);
          for (const [waited, u, v, now] of draws) {
            const tail = now ? 'now' : 'geometric';
            const day = sampler.draw(waited, u, v, tail);
            expect({ day, label: sampler.label }).toEqual(sampleExit(t, waited, u, v, tail));
          }
        },
      ),
    );
  });

  it('draws geometric days by inversion: 1 - (1 - h)^k passes u at the k given', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.9, noNaN: true }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (h, u) => {
          const k = geometric(h, u);
          expect(1 - (1 - h) ** k).toBeGreaterThan(u - 1e-9);
          if (k > 1) expect(1 - (1 - h) ** (k - 1)).toBeLessThanOrEqual(u + 1e-9);
        },
      ),
    );
  });
});

describe('counts and arithmetic', () => {
  it('draws Poisson counts with the mean asked, more for a larger mean from the same uniform', () => {
    for (const mean of [0.3, 4, 35, 800]) {
      const n = 20000;
      const total = Array.from({ length: n }, (_, i) => poisson(mean, (i + 0.5) / n)).reduce((s, k) => s + k, 0);
      expect(total / n).toBeCloseTo(mean, mean < 10 ? 2 : 0);
    }
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 900, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (m, extra, u) => {
          expect(poisson(m + extra, u)).toBeGreaterThanOrEqual(poisson(m, u));
        },
      ),
    );
  });

  it('computes e^-x and ln x with basic arithmetic, to a relative 1e-12', () => {
    for (const x of [0, 1e-9, 0.1, 0.5, 1, 2.5, 7, 30, 200])
      expect(Math.abs(expNeg(x) / Math.exp(-x) - 1)).toBeLessThan(1e-12);
    for (const x of [1e-12, 0.001, 0.3, 0.5, 0.75, 0.999999])
      expect(Math.abs(lnUnit(x) / Math.log(x) - 1)).toBeLessThan(1e-12);
    expect(lnUnit(1)).toBe(0);
  });

  it('interpolates percentiles (type 7) and fits a least-squares line', () => {
    expect(percentile([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 12);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([], 0.5)).toBeNull();
    const fit = leastSquares([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(fit.slope).toBe(2);
    expect(fit.intercept).toBe(1);
    expect(fit.se).toBe(0);
  });
});
