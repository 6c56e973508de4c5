// The simulator's resources and scenarios: slots by weekday and holiday, the next free one taken,
// capacity by date range as a scenario changes it, and scenario files read or refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber, fromDayNumber } from '../../src/cwt/calendar.ts';
import { TUMOUR_SITES } from '../../src/domain/events.ts';
import * as M from '../../src/sim/model.ts';
import {
  capacitySchedule,
  clinicShare,
  defaultCapacityScale,
  RESOURCES,
  SlotCalendar,
  type CapacityRange,
} from '../../src/sim/resources.ts';
import { NO_SCENARIO, readScenario, ScenarioError } from '../../src/sim/scenario.ts';
import { demandRanges, REFERRALS } from '../../src/sim/demand.ts';

const day = (date: string) => dayNumber(date);
const calendar = (from: string, to: string, ranges: CapacityRange[], booked = 0) => {
  const shares = Float64Array.from({ length: day(to) - day(from) + 1 }, (_, i) => clinicShare(day(from) + i));
  return new SlotCalendar(day(from), day(to), ranges, shares, booked);
};
/** Every slot of a calendar, taken one by one: the day of each. */
const allSlots = (cal: SlotCalendar, from: string, to: string) => {
  const days: string[] = [];
  for (let d = cal.take(day(from), day(to)); d >= 0; d = cal.take(day(from), day(to))) days.push(fromDayNumber(d));
  return days;
};
const perDay = (days: string[]) => days.reduce((m, d) => m.set(d, (m.get(d) ?? 0) + 1), new Map<string, number>());

describe('resources', () => {
  it('names a first appointment for every site, every test the simulator asks for, and the treatments that need a slot, each with a capacity', () => {
    for (const site of TUMOUR_SITES) expect(RESOURCES).toContain(`first:${site}`);
    for (const test of [...Object.values(M.TESTS), M.BIOPSY, M.STAGING_TEST, M.FURTHER_IMAGING_TEST])
      expect(RESOURCES).toContain(`test:${test}`);
    expect(RESOURCES).toEqual(expect.arrayContaining(['treatment:surgery', 'treatment:radiotherapy']));
    expect(RESOURCES).not.toContain('treatment:hormone_therapy');
    expect(Object.keys(M.TRUST_CAPACITY).sort()).toEqual([...RESOURCES].sort());
  });

  it('gives a smaller trust more room per referral, and the trust and England presets none', () => {
    expect(defaultCapacityScale(5500)).toBe(1);
    expect(defaultCapacityScale(253_000)).toBe(1);
    expect(defaultCapacityScale(350)).toBeCloseTo(1.296, 3);
    expect(defaultCapacityScale(1500)).toBeGreaterThan(1);
    expect(defaultCapacityScale(1500)).toBeLessThan(defaultCapacityScale(350));
  });
});

describe('SlotCalendar', () => {
  it('runs slots Monday to Friday, none at weekends or on bank holidays, half over Christmas', () => {
    // 50 a week: 10 a weekday. Week of Monday 24 August 2026, then the week of the August bank holiday.
    const cal = calendar('2026-08-24', '2026-09-06', [{ from: -Infinity, perWeek: 50 }]);
    const days = perDay(allSlots(cal, '2026-08-24', '2026-09-06'));
    expect([...days]).toEqual([
      ['2026-08-24', 10],
      ['2026-08-25', 10],
      ['2026-08-26', 10],
      ['2026-08-27', 10],
      ['2026-08-28', 10],
      // Monday 31 August is the summer bank holiday.
      ['2026-09-01', 10],
      ['2026-09-02', 10],
      ['2026-09-03', 10],
      ['2026-09-04', 10],
    ]);
    const christmas = perDay(
      allSlots(calendar('2026-12-21', '2027-01-08', [{ from: -Infinity, perWeek: 50 }]), '2026-12-21', '2027-01-08'),
    );
    expect(christmas.get('2026-12-23')).toBe(10);
    expect(christmas.get('2026-12-24')).toBe(5);
    expect(christmas.has('2026-12-25')).toBe(false);
    expect(christmas.has('2026-12-28')).toBe(false); // Boxing Day's substitute
    expect(christmas.get('2026-12-29')).toBe(5);
    expect(christmas.has('2027-01-01')).toBe(false);
    expect(christmas.get('2027-01-04')).toBe(10);
  });

  it('for any capacity and span: the slots of any run of days are their capacity to within one, on clinic days only', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 400, noNaN: true }),
        fc.integer({ min: day('2024-01-01'), max: day('2028-12-31') }),
        fc.integer({ min: 1, max: 120 }),
        (perWeek, start, length) => {
          const from = fromDayNumber(start);
          const to = fromDayNumber(start + length - 1);
          const slots = allSlots(calendar(from, to, [{ from: -Infinity, perWeek }]), from, to);
          let capacity = 0;
          for (let d = start; d < start + length; d++) capacity += (perWeek / 5) * clinicShare(d);
          expect(Math.abs(slots.length - capacity)).toBeLessThanOrEqual(1);
          for (const s of slots) expect(clinicShare(day(s))).toBeGreaterThan(0);
        },
      ),
      { numRuns: 100, seed: 22 },
    );
  });

  it('takes the first free slot from a day and within a limit, and takes a slot given back again', () => {
    const cal = calendar('2026-06-01', '2026-06-30', [{ from: -Infinity, perWeek: 5 }]); // one a weekday
    expect(fromDayNumber(cal.take(day('2026-06-06'), day('2026-06-30')))).toBe('2026-06-08'); // Saturday asked: Monday
    expect(fromDayNumber(cal.take(day('2026-06-08'), day('2026-06-30')))).toBe('2026-06-09'); // Monday's taken
    expect(cal.take(day('2026-06-08'), day('2026-06-09'))).toBe(-1); // none by Tuesday
    cal.giveBack(day('2026-06-08'));
    expect(fromDayNumber(cal.take(day('2026-06-01'), day('2026-06-30')))).toBe('2026-06-01');
    expect(fromDayNumber(cal.take(day('2026-06-02'), day('2026-06-30')))).toBe('2026-06-02');
    expect(fromDayNumber(cal.take(day('2026-06-05'), day('2026-06-30')))).toBe('2026-06-05');
    expect(fromDayNumber(cal.take(day('2026-06-05'), day('2026-06-30')))).toBe('2026-06-08');
  });

  it('keeps the first days for patients referred before the history', () => {
    const cal = calendar('2026-06-01', '2026-06-30', [{ from: -Infinity, perWeek: 5 }], 7);
    expect(fromDayNumber(cal.take(day('2026-06-01'), day('2026-06-30')))).toBe('2026-06-08');
  });
});

describe('capacity schedule and scenarios', () => {
  const scenario = readScenario(
    {
      changes: [
        { resource: 'test:mri_prostate', from: '2026-09-01', capacity: '+10/week' },
        { resource: 'test:mri_prostate', from: '2026-08-03', capacity: '-30%' },
        { resource: 'test:mri_prostate', from: '2026-09-01', capacity: '-500/week' },
        { resource: 'first:urological', from: '2026-09-07', capacity: '40/week' },
        { demand: 'urological', from: '2026-06-01', change: '+20%' },
        { demand: 'urological', from: '2026-07-01', change: '-50%' },
      ],
    },
    RESOURCES,
  );

  it('applies changes in date order, those of a day in the order written, each to the capacity in force, never below zero', () => {
    const schedule = capacitySchedule(5500, 1, scenario);
    const mri = schedule[RESOURCES.indexOf('test:mri_prostate')]!;
    const base = M.TRUST_CAPACITY['test:mri_prostate']!;
    expect(mri).toEqual([
      { from: -Infinity, perWeek: base },
      { from: day('2026-08-03'), perWeek: base * 0.7 },
      { from: day('2026-09-01'), perWeek: 0 },
    ]);
    expect(schedule[RESOURCES.indexOf('first:urological')]!.at(-1)).toEqual({ from: day('2026-09-07'), perWeek: 40 });
    // Scaled by the referrals a month and the capacity scale.
    expect(capacitySchedule(2750, 2, NO_SCENARIO)[RESOURCES.indexOf('test:mri_prostate')]).toEqual([
      { from: -Infinity, perWeek: base },
    ]);
  });

  it("changes one site's referrals and leaves the others' mix as it was", () => {
    const ranges = demandRanges(scenario);
    expect(ranges.map((r) => r.from)).toEqual([-Infinity, day('2026-06-01'), day('2026-07-01')]);
    expect(ranges[0]!.multiplier).toBe(1);
    expect(ranges[2]!.factors.urological).toBeCloseTo(0.6);
    const urological = REFERRALS.filter((r) => r.site === 'urological').reduce((s, r) => s + r.share, 0);
    expect(ranges[1]!.multiplier).toBeCloseTo(1 + 0.2 * urological, 10);
    expect(
      demandRanges(readScenario({ changes: [{ demand: 'skin', from: '2026-01-01', change: '-100%' }] }, RESOURCES))[1]!
        .mix,
    ).not.toBeNull();
  });

  it('refuses a file that is not a scenario, naming the entry and field', () => {
    const refusal = (value: unknown) => {
      try {
        readScenario(value, RESOURCES);
      } catch (err) {
        expect(err).toBeInstanceOf(ScenarioError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refusal([])).toMatch(/^must be a JSON object/);
    expect(refusal({ changes: {} })).toBe('changes: must be a list of changes');
    expect(refusal({ changes: [1] })).toBe('changes[0]: must be an object');
    expect(refusal({ changes: [{ resource: 'test:mri_prostate', from: 20260801, capacity: '-1%' }] })).toBe(
      'changes[0].from: must be a string (got 20260801)',
    );
    expect(refusal({ changes: [{ demand: 'skin', from: '2026-08-01' }] })).toBe('changes[0].change: is required');
    expect(refusal({ changes: [{ demand: 'skin', from: '2026-08-01', change: '-101%' }] })).toMatch(
      /^changes\[0\]\.change: cannot take away more than all referrals/,
    );
    expect(
      refusal({
        changes: [
          { resource: 'first:skin', from: '2026-08-01', capacity: '+1%' },
          { resource: 'first:skin', from: '2026-08-01', capacity: '1.5.2/week' },
        ],
      }),
    ).toMatch(/^changes\[1\]\.capacity: must be/);
    expect(readScenario({ changes: [] }, RESOURCES)).toEqual(NO_SCENARIO);
  });
});
