// Where the days go (issue #26): the step statistics on a small history equal a count by hand.
import { describe, expect, it } from 'vitest';
import { pathwayEvent, type PathwayEvent } from '../../src/vocabulary/events.ts';
import { SHIPPED_PATHWAYS } from '../../src/vocabulary/timed-pathways.ts';
import { milestonesOfState, pathwayFromEvents } from '../../src/domain/pathway.ts';
import {
  milestoneInstances,
  nearestRank,
  stepStatistics,
  type PathwayMilestones,
} from '../../src/cwt/timed-statistics.ts';
import type { IsoDate } from '../../src/vocabulary/calendar.ts';

const ev = (type: string, on: string, extra: object = {}) => ({ type, on, ...extra });
const prostate = (on: string) =>
  ev('referral_received', on, {
    route: 'urgent_suspected_cancer',
    tumourSite: 'urological',
    suspectedSite: 'prostate',
    nhsNumber: '9434765919',
  });
const triaged = (on: string) => ev('triaged', on, { outcome: 'straight_to_test' });
const requested = (on: string, test: string, testOn: string) => ev('test_requested', on, { test, testOn });
const reported = (on: string, test: string) => ev('test_reported', on, { test });
const told = (on: string, outcome = 'cancer_confirmed') => ev('diagnosis_communicated', on, { outcome });

const ASOF: IsoDate = '2026-12-01';
// Four prostate referrals of Monday 2 November 2026: triage due on the 5th, the MRI on the 7th, the
// biopsy on the 14th, the patient told on the 30th, all within the 4 weeks to 30 November.
const histories: Record<string, object[]> = {
  A: [
    prostate('2026-11-02'),
    triaged('2026-11-03'), // day 1
    requested('2026-11-03', 'mri_prostate', '2026-11-06'),
    reported('2026-11-07', 'mri_prostate'), // done day 4
    requested('2026-11-07', 'biopsy', '2026-11-12'),
    reported('2026-11-15', 'biopsy'), // done day 10
    told('2026-11-20'), // day 18
  ],
  B: [
    prostate('2026-11-02'),
    triaged('2026-11-06'), // day 4: late
    requested('2026-11-06', 'mri_prostate', '2026-11-10'),
    reported('2026-11-11', 'mri_prostate'), // day 8: late
    requested('2026-11-11', 'biopsy', '2026-11-17'),
    reported('2026-11-20', 'biopsy'), // day 15: late
    told('2026-11-27'), // day 25
  ],
  C: [
    prostate('2026-11-02'),
    triaged('2026-11-04'), // day 2
    requested('2026-11-04', 'mri_prostate', '2026-11-09'),
    reported('2026-11-10', 'mri_prostate'), // day 7: late
    told('2026-11-12', 'cancer_ruled_out'), // day 10: no biopsy needed
  ],
  D: [prostate('2026-11-02'), triaged('2026-11-05')], // day 3, then nothing: still waiting
  // Every milestone due before the period: not counted.
  E: [prostate('2026-10-01'), triaged('2026-10-02')],
  // A consultant upgrade follows no timed pathway.
  F: [
    ev('referral_received', '2026-11-02', { route: 'consultant_upgrade', tumourSite: 'lung', nhsNumber: '9434765919' }),
  ],
};

function read(): PathwayMilestones[] {
  return Object.entries(histories).flatMap(([pathwayId, raw]) => {
    const events: PathwayEvent[] = raw.map((e) => pathwayEvent.parse(e));
    const state = pathwayFromEvents(events, ASOF);
    const { definition, planned } = milestonesOfState(state, SHIPPED_PATHWAYS);
    return definition ? [{ pathwayId, pathway: definition.pathway, start: state.fold.facts.start, planned }] : [];
  });
}

describe('the step statistics of a period', () => {
  const instances = milestoneInstances(read(), SHIPPED_PATHWAYS, '2026-11-03', '2026-11-30', ASOF);
  const [stats] = stepStatistics(instances, SHIPPED_PATHWAYS);

  it('count each milestone due in the period, as counted by hand', () => {
    expect(stats!.pathway).toBe('prostate');
    expect(stats!.patients).toBe(4);
    expect(stats!.steps).toEqual([
      // Triage, 3 days allowed: A 1, B 4 (late), C 2, D 3.
      {
        name: 'Triage',
        day: 3,
        allowed: 3,
        due: 4,
        met: 3,
        metLate: 1,
        late: 0,
        measured: 4,
        metShare: 0.75,
        medianDays: 2,
        p90Days: 4,
        daysBeyond: 1,
      },
      // MRI, 2 days after triage's day: A 3 (triage 3rd to MRI 6th), B 4, C 5, D 26 days so far.
      {
        name: 'MRI of the prostate',
        day: 5,
        allowed: 2,
        due: 4,
        met: 1,
        metLate: 2,
        late: 1,
        measured: 4,
        metShare: 0.25,
        medianDays: 4,
        p90Days: 26,
        daysBeyond: 1 + 2 + 3 + 24,
      },
      // Biopsy, 7 days after the MRI's: A 6, B 7 (but late: the MRI was); D has not had the MRI, so
      // is late here but not in the step's days; C told cancer was ruled out, so none was needed.
      {
        name: 'Biopsy',
        day: 12,
        allowed: 7,
        due: 3,
        met: 1,
        metLate: 1,
        late: 1,
        measured: 2,
        metShare: 1 / 3,
        medianDays: 6,
        p90Days: 7,
        daysBeyond: 0,
      },
      // Told, 16 days after the biopsy's: A 8, B 10, C 3 (from the MRI: 23 allowed); D not reached.
      {
        name: 'Communicate diagnosis',
        day: 28,
        allowed: 16,
        due: 4,
        met: 3,
        metLate: 0,
        late: 1,
        measured: 3,
        metShare: 0.75,
        medianDays: 8,
        p90Days: 10,
        daysBeyond: 0,
      },
    ]);
    expect(stats!.slowestStep).toBe('MRI of the prostate');
  });

  it('lists the patients behind every number', () => {
    const mri = instances.filter((i) => i.milestone === 'MRI of the prostate');
    expect(mri.map((i) => [i.pathwayId, i.outcome, i.metOn, i.stepDays, i.allowed])).toEqual([
      ['A', 'met', '2026-11-06', 3, 2],
      ['B', 'met_late', '2026-11-10', 4, 2],
      ['C', 'met_late', '2026-11-09', 5, 2],
      ['D', 'late', null, 26, 2],
    ]);
    const told = instances.filter((i) => i.milestone === 'Communicate diagnosis');
    expect(told.map((i) => [i.pathwayId, i.stepDays, i.allowed])).toEqual([
      ['A', 8, 16],
      ['B', 10, 16],
      ['C', 3, 23],
      ['D', null, 16],
    ]);
    expect(new Set(instances.map((i) => i.pathwayId))).toEqual(new Set(['A', 'B', 'C', 'D']));
  });

  it('counts nothing for a period with nothing due', () => {
    const none = stepStatistics(
      milestoneInstances(read(), SHIPPED_PATHWAYS, '2026-12-01', '2026-12-31', '2027-01-01'),
      SHIPPED_PATHWAYS,
    )[0]!;
    expect(none.steps.every((s) => s.due === 0 && s.metShare === null && s.medianDays === null)).toBe(true);
    expect(none.slowestStep).toBeNull();
  });

  it('takes percentiles by nearest rank', () => {
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2);
    expect(nearestRank([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(nearestRank([7], 0.9)).toBe(7);
    expect(nearestRank([], 0.5)).toBeNull();
  });
});
