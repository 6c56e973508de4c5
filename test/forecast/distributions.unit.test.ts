// The forecast's statistics: competing outcomes under censoring (a worked example), sampling given
// the days already waited, Poisson counts, and the arithmetic kept to + - * / for the same bytes everywhere.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cumulativeBy,
  ExitCounter,
  exitQuantile,
  exitShares,
  expNeg,
  leastSquares,
  percentile,
  poisson,
  sampleExit,
  TAIL_DAYS,
} from '../../src/forecast/distributions.ts';

/** Five patients: one leaves on day 1 (a), one on day 2 (b), one is still waiting after 2 days, one leaves on day 3 (a), one is still waiting after 5. */
function worked() {
  const c = new ExitCounter();
  c.exit(1, 'a');
  c.exit(2, 'b');
  c.censor(2);
  c.exit(3, 'a');
  c.censor(5);
  return c.table();
}

describe('the Aalen-Johansen table', () => {
  it('counts a censored patient for the days it is known to have waited (worked by hand)', () => {
    // Day 1: 5 at risk, 1 leaves: incidence 1/5. Day 2: 4 at risk, 1 leaves: + 0.8 x 1/4 = 0.4; one is
    // censored after day 2. Day 3: 2 at risk, 1 leaves: + 0.6 x 1/2 = 0.7. Survival past day 3: 0.3.
    const t = worked();
    expect(t.days).toEqual([1, 2, 3]);
    expect(t.cum.map((c) => Math.round(c * 1e9) / 1e9)).toEqual([0.2, 0.4, 0.7]);
    expect(t.entries).toBe(5);
    expect(t.exits).toBe(3);
    // Outcome a: 0.2 + 0.3 of 0.7; b: 0.2 of 0.7.
    expect(exitShares(t)).toEqual({ a: 0.7143, b: 0.2857 });
    expect(cumulativeBy(t, 0)).toBe(0);
    expect(cumulativeBy(t, 2)).toBeCloseTo(0.4, 12);
    expect(exitQuantile(t, 0.5)).toBe(2); // half of the 0.7 that left had left by day 2
  });

  it('reads a naive share wrongly without censoring: the patients still waiting are not leavers', () => {
    // Dropping the censored ones would give day 1 a third of the exits; with them it is 0.2 / 0.7 = 0.286.
    const t = worked();
    expect(t.cum[0]! / t.cum[2]!).toBeCloseTo(0.2 / 0.7, 12);
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
    expect(a.table()).toEqual(worked());
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
    // Given more than 1 day: P(day 2) = 0.2 / 0.8, P(day 3) = 0.3 / 0.8, and the 0.3 / 0.8 beyond day 3
    // comes within TAIL_DAYS after it.
    const days = grid(8000).map((u) => sampleExit(t, 1, u, 0.5).day);
    const share = (f: (d: number) => boolean) => days.filter(f).length / days.length;
    expect(share((d) => d === 2)).toBeCloseTo(0.25, 3);
    expect(share((d) => d === 3)).toBeCloseTo(0.375, 3);
    expect(share((d) => d > 3 && d <= 3 + TAIL_DAYS)).toBeCloseTo(0.375, 3);
    // Outcome a on day 3 always (only a left that day).
    expect(grid(100).map((v) => t.labels[sampleExit(t, 2, 0.3, v).label])).toEqual(new Array(100).fill('a'));
  });

  it("with 'now', a wait longer than any seen ends the next day", () => {
    expect(sampleExit(t, 10, 0.99, 0.5, 'now').day).toBe(11);
    expect(sampleExit(t, 10, 0.99, 0.5).day).toBeGreaterThan(10);
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

  it('computes e^-x with basic arithmetic, to a relative 1e-12 (each halving squared back doubles the error)', () => {
    for (const x of [0, 1e-9, 0.1, 0.5, 1, 2.5, 7, 30, 200])
      expect(Math.abs(expNeg(x) / Math.exp(-x) - 1)).toBeLessThan(1e-12);
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
