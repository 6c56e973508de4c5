// England's bank holidays (src/cwt/calendar.ts): the usual eight, substitute days for a weekend,
// Easter from the Gregorian computus, and the days moved or added by proclamation. Dates from
// GOV.UK's published lists.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek, easterSunday, englandBankHolidays, isEnglandBankHoliday } from '../../src/cwt/calendar.ts';

describe('englandBankHolidays', () => {
  it('gives the published days, substitutes for a weekend included', () => {
    expect(englandBankHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-28', // Boxing Day is a Saturday
    ]);
    // Christmas on a Saturday, Boxing Day on a Sunday: Monday 27 and Tuesday 28 December.
    expect(englandBankHolidays(2027)).toEqual([
      '2027-01-01',
      '2027-03-26',
      '2027-03-29',
      '2027-05-03',
      '2027-05-31',
      '2027-08-30',
      '2027-12-27',
      '2027-12-28',
    ]);
    // New Year's Day on a Sunday: Monday 2 January; Christmas on a Monday.
    expect(englandBankHolidays(2023)).toEqual([
      '2023-01-02',
      '2023-04-07',
      '2023-04-10',
      '2023-05-01',
      '2023-05-08', // the coronation
      '2023-05-29',
      '2023-08-28',
      '2023-12-25',
      '2023-12-26',
    ]);
  });

  it('moves and adds the days set by proclamation', () => {
    // Platinum Jubilee (spring bank holiday moved to Thursday 2 June, Friday 3 June added), the state funeral;
    // Christmas on a Sunday: Boxing Day on Monday 26, Christmas made up on Tuesday 27 December.
    expect(englandBankHolidays(2022)).toEqual([
      '2022-01-03',
      '2022-04-15',
      '2022-04-18',
      '2022-05-02',
      '2022-06-02',
      '2022-06-03',
      '2022-08-29',
      '2022-09-19',
      '2022-12-26',
      '2022-12-27',
    ]);
    expect(englandBankHolidays(2020)).toContain('2020-05-08'); // VE Day, not Monday 4 May
    expect(englandBankHolidays(2020)).not.toContain('2020-05-04');
    expect(englandBankHolidays(2011)).toContain('2011-04-29'); // a royal wedding
    expect(englandBankHolidays(2012)).toEqual(expect.arrayContaining(['2012-06-04', '2012-06-05']));
    expect(englandBankHolidays(2012)).not.toContain('2012-05-28');
  });

  it('finds Easter by the Gregorian computus', () => {
    const known: Record<number, string> = {
      1999: '1999-04-04',
      2000: '2000-04-23',
      2008: '2008-03-23',
      2011: '2011-04-24',
      2019: '2019-04-21',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2038: '2038-04-25',
      2285: '2285-03-22',
    };
    for (const [year, date] of Object.entries(known)) expect(easterSunday(Number(year))).toBe(date);
  });

  it('for any year: every day a weekday, in order, Good Friday two days before Easter Monday three after', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2200 }), (year) => {
        const days = englandBankHolidays(year);
        expect(days.length).toBeGreaterThanOrEqual(8);
        expect([...days].sort()).toEqual(days);
        expect(new Set(days).size).toBe(days.length);
        for (const d of days) {
          expect(d.startsWith(`${year}-`)).toBe(true);
          expect([0, 6]).not.toContain(dayOfWeek(d));
          expect(isEnglandBankHoliday(d)).toBe(true);
        }
        const easter = easterSunday(year);
        expect(dayOfWeek(easter)).toBe(0);
        expect(easter >= `${year}-03-22` && easter <= `${year}-04-25`).toBe(true);
        expect(days).toContain(addDays(easter, -2));
        expect(days).toContain(addDays(easter, 1));
        expect(isEnglandBankHoliday(addDays(easter, -1))).toBe(false);
      }),
      { numRuns: 200, seed: 22 },
    );
  });
});
