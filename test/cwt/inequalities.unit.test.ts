// Issue #27: the splits (counts add up to the totals), the rate ratios against a hand calculation,
// and the small-number suppression (no count from 1 to 7 left, none recoverable from a total).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rateRatio, suppress } from '../../src/cwt/disclosure.ts';
import {
  equalityRecord,
  inequalities,
  MEASURES,
  percentile,
  suppressFigures,
  type EqualityRecord,
  type GroupFigures,
  type Inequalities,
} from '../../src/cwt/inequalities.ts';
import { BANDS } from '../../src/cwt/backlog.ts';
import { computeClocks } from '../../src/cwt/clocks.ts';
import { startTracking } from '../../src/cwt/tracking.ts';
import { GROUPS, SPLITS, type Split } from '../../src/vocabulary/equality.ts';
import type { PathwayEvent } from '../../src/vocabulary/events.ts';

const PERIOD = { from: '2026-01-01', to: '2026-06-30' } as const;
const AS_OF = '2026-06-30';

const recordArb = (split: Split): fc.Arbitrary<EqualityRecord> =>
  fc.record({
    group: fc.constantFrom(...GROUPS[split]),
    daysWaiting: fc.option(fc.integer({ min: 0, max: 200 })),
    stops: fc.record({ fds: fc.boolean(), d31: fc.boolean(), d62: fc.boolean() }, { requiredKeys: [] }),
    firstDna: fc.option(fc.boolean()),
    early: fc.option(fc.boolean()),
  });

const splitArb = fc
  .constantFrom(...SPLITS)
  .chain((split) => fc.tuple(fc.constant(split), fc.array(recordArb(split), { maxLength: 120 })));

/** Every count a split shows, by name, for one group. */
function counts(g: GroupFigures): Record<string, number | null> {
  const out: Record<string, number | null> = { open: g.open, over62: g.over62, over104: g.over104 };
  for (const b of BANDS) out[b] = g.bands[b];
  for (const m of MEASURES) {
    out[`${m}.count`] = g.rates[m].count;
    out[`${m}.of`] = g.rates[m].of;
  }
  return out;
}

describe('the rate ratio and its 95% interval (Katz log method)', () => {
  it('matches the hand calculation: 30/200 against 15/200 is 2.00 (1.111 to 3.601)', () => {
    const rr = rateRatio(30, 200, 15, 200)!;
    expect(rr.ratio).toBeCloseTo(2, 10);
    // SE = sqrt(1/30 - 1/200 + 1/15 - 1/200) = sqrt(0.09) = 0.3; exp(ln 2 -+ 1.96 x 0.3)
    expect(rr.lower).toBeCloseTo(1.111, 3);
    expect(rr.upper).toBeCloseTo(3.601, 3);
  });

  it('is not calculable with a zero count or denominator', () => {
    expect(rateRatio(0, 200, 15, 200)).toBeNull();
    expect(rateRatio(3, 200, 0, 200)).toBeNull();
    expect(rateRatio(3, 0, 1, 10)).toBeNull();
  });

  it('the interval holds the ratio, and swapping the groups inverts both', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), (a, b) => {
        const [n1, n2] = [a + 50, b + 80];
        const rr = rateRatio(a, n1, b, n2)!;
        const back = rateRatio(b, n2, a, n1)!;
        expect(rr.lower).toBeLessThanOrEqual(rr.ratio);
        expect(rr.upper).toBeGreaterThanOrEqual(rr.ratio);
        expect(back.ratio).toBeCloseTo(1 / rr.ratio, 9);
        expect(back.lower).toBeCloseTo(1 / rr.upper, 9);
      }),
    );
  });
});

describe('the splits', () => {
  it("each split's counts add up to the totals (before suppression)", () => {
    fc.assert(
      fc.property(splitArb, ([split, records]) => {
        const s = inequalities(split, AS_OF, PERIOD, records);
        expect(s.groups.map((g) => g.group)).toEqual(GROUPS[split]);
        const total = counts(s.total);
        for (const [name, value] of Object.entries(total)) {
          expect(
            s.groups.reduce((sum, g) => sum + (counts(g)[name] ?? 0), 0),
            name,
          ).toBe(value);
        }
        for (const g of [...s.groups, s.total]) {
          expect(BANDS.reduce((sum, b) => sum + g.bands[b]!, 0)).toBe(g.open);
          expect(g.over62).toBe(g.bands['63-104']! + g.bands['105+']!);
          expect(g.rates.over62).toMatchObject({ count: g.over62, of: g.open });
        }
        expect(s.total.open).toBe(records.filter((r) => r.daysWaiting !== null).length);
      }),
    );
  });

  it('rates are against the least deprived quintile (Core20 marked), the reference at 1', () => {
    const make = (group: string, n: number, over: number): EqualityRecord[] =>
      Array.from({ length: n }, (_, i) => ({
        group,
        daysWaiting: i < over ? 70 : 10,
        stops: {},
        firstDna: null,
        early: null,
      }));
    const s = inequalities('deprivation', AS_OF, PERIOD, [
      ...make('1', 200, 30),
      ...make('5', 200, 15),
      ...make('3', 9, 0),
    ]);
    expect(s.reference).toBe('5');
    const q1 = s.groups.find((g) => g.group === '1')!;
    expect(q1).toMatchObject({ core20: true, reference: false, open: 200, over62: 30 });
    expect(q1.rates.over62.rate).toBeCloseTo(0.15, 10);
    expect(q1.rates.over62.ratio).toBeCloseTo(2, 10);
    expect(q1.rates.over62.lower).toBeCloseTo(1.111, 3);
    expect(q1.rates.over62.upper).toBeCloseTo(3.601, 3);
    expect(s.groups.find((g) => g.group === '5')!).toMatchObject({ reference: true, core20: false });
    expect(s.groups.find((g) => g.group === '5')!.rates.over62.ratio).toBe(1);
    expect(s.groups.find((g) => g.group === '3')!.rates.over62.ratio).toBeNull(); // 0 of 9: not calculable
    // Other splits: the largest known group.
    const bySex = inequalities('sex', AS_OF, PERIOD, [
      ...make('1', 5, 0),
      ...make('2', 7, 0),
      ...make('not_known', 50, 0),
    ]);
    expect(bySex.reference).toBe('2');
  });

  it('a median and 90th percentile by nearest rank', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('reads a pathway: open days, stops in the period, a missed first appointment, the stage', () => {
    const events: PathwayEvent[] = [
      {
        type: 'referral_received',
        on: '2026-02-02',
        route: 'urgent_suspected_cancer',
        tumourSite: 'lung',
        nhsNumber: '9434765919',
      },
      { type: 'diagnosis_communicated', on: '2026-02-20', outcome: 'cancer_confirmed', stage: '2' },
    ];
    const clocks = computeClocks(events, AS_OF);
    const tracking = {
      ...startTracking(),
      firstDnas: 1,
      diagnosis: { on: '2026-02-20' as const, stage: '2' as const },
    };
    const r = equalityRecord('1', clocks, tracking, '2026-02-02', PERIOD);
    expect(r).toEqual({ group: '1', daysWaiting: 148, stops: { fds: true }, firstDna: true, early: true });
    // Referred before the period: its missed appointment does not count in it.
    expect(equalityRecord('1', clocks, tracking, '2025-12-01', PERIOD).firstDna).toBeNull();
  });
});

describe('small numbers', () => {
  it('suppress: no count from 1 to 7 left, and no relation with exactly one suppressed cell', () => {
    const table = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).chain(([rows, cols]) =>
      fc.array(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 300 })), {
          minLength: cols,
          maxLength: cols,
        }),
        {
          minLength: rows,
          maxLength: rows,
        },
      ),
    );
    fc.assert(
      fc.property(table, (cells) => {
        // The table with its row totals, column totals and grand total, as one flat list of cells.
        const rows = cells.length;
        const cols = cells[0]!.length;
        const grid = [...cells.map((r) => [...r, r.reduce((a, b) => a + b, 0)])];
        grid.push(Array.from({ length: cols + 1 }, (_, c) => grid.reduce((a, r) => a + r[c]!, 0)));
        const at = (r: number, c: number) => r * (cols + 1) + c;
        const relations = [
          ...grid.map((_, r) => grid[r]!.map((__, c) => at(r, c))),
          ...Array.from({ length: cols + 1 }, (_, c) => grid.map((__, r) => at(r, c))),
        ];
        const values = grid.flat();
        const hidden = suppress(values, relations);
        values.forEach((v, i) => {
          if (v >= 1 && v <= 7) expect(hidden[i]).toBe(true);
        });
        for (const relation of relations) expect(relation.filter((i) => hidden[i]).length).not.toBe(1);
        // Nothing is hidden that need not be, when nothing is small.
        if (values.every((v) => v === 0 || v >= 8)) expect(hidden.every((h) => !h)).toBe(true);
        expect(rows).toBeGreaterThan(0);
      }),
    );
  });

  it("the viewers' copy: no count from 1 to 7, none recoverable from a total, and what is shown is unchanged", () => {
    fc.assert(
      fc.property(splitArb, ([split, records]) => {
        const raw = inequalities(split, AS_OF, PERIOD, records);
        const shown = suppressFigures(raw);
        expect(shown.suppressed).toBe(true);
        const rows = (s: Inequalities) => [s.total, ...s.groups].map(counts);
        const [before, after] = [rows(raw), rows(shown)];
        for (const [r, row] of after.entries()) {
          for (const [name, value] of Object.entries(row)) {
            if (value !== null) {
              expect(value).toBe(before[r]![name]);
              expect(value === 0 || value >= 8, `${name} = ${value}`).toBe(true);
            }
          }
        }
        // A column (groups and total) never has exactly one hidden count: its total cannot give it back.
        for (const name of Object.keys(after[0]!)) {
          expect(after.filter((row) => row[name] === null).length, name).not.toBe(1);
        }
        // Nor a group's bands and its open count.
        for (const row of after) {
          expect([row.open, ...BANDS.map((b) => row[b])].filter((v) => v === null).length).not.toBe(1);
        }
        for (const g of [shown.total, ...shown.groups]) {
          for (const m of MEASURES) {
            const p = g.rates[m];
            if (p.count === null || p.of === null) expect(p.rate).toBeNull();
          }
          if (g.open !== null && g.open >= 1 && g.open <= 7) expect(g.medianDays).toBeNull();
        }
      }),
    );
  });

  it('a worked case: a group of 5 is hidden, and the next smallest with it so the total cannot give it back', () => {
    const make = (group: string, n: number): EqualityRecord[] =>
      Array.from({ length: n }, () => ({ group, daysWaiting: 10, stops: {}, firstDna: null, early: null }));
    const s = suppressFigures(
      inequalities('sex', AS_OF, PERIOD, [...make('1', 40), ...make('2', 60), ...make('9', 5)]),
    );
    expect(s.groups.map((g) => g.open)).toEqual([null, 60, null, 0]);
    expect(s.total.open).toBe(105);
    expect(s.groups[0]!.rates.over62).toMatchObject({ count: 0, of: null, rate: null, ratio: null });
  });
});
