// The nightly report and treatments after the first (issue #14): the 31-day standard counts first
// and subsequent treatments together and shows both parts (palliative care and active monitoring
// left out of the subsequent measure), breached subsequent stops are listed, and the 31-day PTL of
// treatments awaited is in the HTML, the CSV and the JSON.
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/report.ts';
import { renderCsv, renderHtml } from '../../src/report/render.ts';
import { tempStore } from '../support/store.ts';
import { ev, nhsNumber, record } from '../support/national.ts';
import type { IsoDate } from '../../src/vocabulary/calendar.ts';

describe('the nightly report and treatments after the first', () => {
  const { store } = tempStore('2026-04-01T09:00:00Z');
  const referral = (on: IsoDate, i: number) =>
    ev('referral_received', on, {
      route: 'urgent_suspected_cancer',
      tumourSite: 'breast',
      nhsNumber: nhsNumber(i),
      provider: 'RAJ',
    });
  const treat = (on: IsoDate, modality = 'surgery') => ev('treatment_started', on, { modality });
  record(
    store,
    'P1',
    referral('2026-01-10', 1),
    ev('decision_to_treat', '2026-02-01'),
    treat('2026-03-02'), // first: 29 days
    ev('decision_to_treat', '2026-03-05'),
    treat('2026-03-20', 'chemotherapy'), // second: 15 days
    ev('decision_to_treat', '2026-03-21'),
    treat('2026-03-25', 'palliative_care'),
  ); // not in the subsequent measure
  record(
    store,
    'P2',
    referral('2026-01-20', 2),
    ev('decision_to_treat', '2026-02-20'),
    treat('2026-03-10'),
    ev('decision_to_treat', '2026-03-11'),
  ); // second awaited
  record(store, 'P3', referral('2026-01-05', 3), ev('decision_to_treat', '2026-02-01'), treat('2026-03-15')); // first: 42 days, breached
  record(
    store,
    'P4',
    referral('2025-11-10', 4),
    ev('decision_to_treat', '2025-12-10'),
    treat('2026-01-05'),
    ev('decision_to_treat', '2026-02-10'),
    treat('2026-03-20', 'chemotherapy'),
  ); // second: 38 days, breached
  const report = buildReport(store, '2026-03-31');

  it('counts first and subsequent treatments together on the 31-day standard, and shows both parts', () => {
    const mtd = report.performance.monthToDate;
    expect(mtd.d31Parts.first.all).toEqual({ stopped: 3, met: 2, rate: 2 / 3 });
    expect(mtd.d31Parts.subsequent.all).toEqual({ stopped: 2, met: 1, rate: 0.5 });
    expect(mtd.standards.d31.all).toEqual({ stopped: 5, met: 3, rate: 0.6 });
    expect(mtd.standards.d31.breast).toEqual(mtd.standards.d31.all);
    expect(renderHtml(report)).toContain(
      'First and subsequent treatments together (the national measure)</td><td class="n miss">60.0% <small>(3/5)</small>',
    );
  });
  it('lists the breached stops of later treatments, and the treatments awaited', () => {
    expect(
      report.breachedStops.monthToDate
        .filter((s) => s.clock === 'd31')
        .map((s) => [s.pathwayId, s.treatment ?? 1, s.days]),
    ).toEqual([
      ['P3', 1, 42],
      ['P4', 2, 38],
    ]);
    expect(report.subsequentAwaited).toEqual([
      {
        pathwayId: 'P2',
        nhsNumber: nhsNumber(2),
        patientName: null,
        tumourSite: 'breast',
        provider: 'RAJ',
        treatment: 2,
        start: '2026-03-11',
        daysWaiting: 20,
        breachDate: '2026-04-12',
        breached: false,
      },
    ]);
    expect(renderHtml(report)).toContain('31-day PTL: treatments after the first awaited (1)');
    expect(renderCsv(report).split('\n')).toContain(
      `subsequent_treatment_awaited,P2,${nhsNumber(2)},,breast,RAJ,treatment 2,d31,20,2026-04-12,,,,,,,`,
    );
  });
});
