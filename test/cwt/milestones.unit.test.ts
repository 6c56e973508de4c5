// Timed pathways (issue #26) in the pure core: which definition a referral takes, each shipped
// definition's milestones met, due, at risk or late on the right day, a prostate pathway day by
// day from referral to diagnosis, and the milestone facts folded one event at a time as a replay.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, daysBetween, withinWorkingDaysFrom, type IsoDate } from '../../src/vocabulary/calendar.ts';
import { pathwayEvent, type PathwayEvent } from '../../src/vocabulary/events.ts';
import {
  definitionFor,
  SHIPPED_PATHWAYS,
  type MilestoneDefinition,
  type TimedPathwayDefinition,
} from '../../src/vocabulary/timed-pathways.ts';
import { latestDueAtRiskOn, milestoneView, nextMilestone, statusOn } from '../../src/cwt/milestones.ts';
import { nextAction } from '../../src/cwt/next-action.ts';
import { advancePathway, milestonesOfState, pathwayFromEvents, stageOfState } from '../../src/domain/pathway.ts';
import { pathwayArb } from '../support/timelines.ts';

const NHS = '9434765919';
const ev = (type: string, on: string, extra: object = {}) => ({ type, on, ...extra });
const parsed = (...raw: object[]): PathwayEvent[] => raw.map((e) => pathwayEvent.parse(e));
const referralFor = (d: TimedPathwayDefinition, on: string, route = 'urgent_suspected_cancer') =>
  ev('referral_received', on, {
    route,
    tumourSite: d.appliesTo.tumourSite ?? 'haematological',
    nhsNumber: NHS,
    ...(d.appliesTo.suspectedSite ? { suspectedSite: d.appliesTo.suspectedSite } : {}),
  });

/** Each milestone's status on `asOf`, by name (left-out milestones are absent). */
function statuses(events: PathwayEvent[], asOf: IsoDate): Record<string, string> {
  const state = pathwayFromEvents(events, asOf);
  const { planned } = milestonesOfState(state, SHIPPED_PATHWAYS);
  return Object.fromEntries(planned.map((m) => [m.name, statusOn(m, asOf)]));
}

/** The events that meet a milestone on `on` (a treatment needs its decision first). */
function meeting(m: MilestoneDefinition, on: IsoDate): object[] {
  switch (m.event) {
    case 'triaged':
      return [ev('triaged', on, { outcome: 'outpatient' })];
    case 'test_requested':
    case 'test_reported':
      return [ev(m.event, on, { test: m.tests?.[0] ?? 'ct_scan' })];
    case 'diagnosis_communicated':
      return [ev(m.event, on, { outcome: 'cancer_confirmed' })];
    case 'treatment_started':
      return [ev('decision_to_treat', on), ev(m.event, on, { modality: 'surgery' })];
    default:
      return [ev(m.event, on)];
  }
}

const START: IsoDate = '2026-11-02'; // a Monday

describe('which timed pathway a referral takes', () => {
  const take = (referral: { route: string; tumourSite: string; suspectedSite: string | null }) =>
    definitionFor(SHIPPED_PATHWAYS, referral)?.pathway ?? null;
  it('by its suspected site, then its tumour site, then the default; none for a consultant upgrade', () => {
    expect(take({ route: 'urgent_suspected_cancer', tumourSite: 'urological', suspectedSite: 'prostate' })).toBe(
      'prostate',
    );
    expect(take({ route: 'urgent_suspected_cancer', tumourSite: 'urological', suspectedSite: 'bladder' })).toBe(
      'default',
    );
    expect(take({ route: 'urgent_suspected_cancer', tumourSite: 'urological', suspectedSite: null })).toBe('default');
    expect(take({ route: 'screening', tumourSite: 'lower_gi', suspectedSite: null })).toBe('lower_gi');
    expect(take({ route: 'urgent_suspected_cancer', tumourSite: 'upper_gi', suspectedSite: null })).toBe(
      'oesophago_gastric',
    );
    expect(take({ route: 'consultant_upgrade', tumourSite: 'lung', suspectedSite: null })).toBeNull();
  });
  it('keeps the pathway it started on after a referral onward (R12)', () => {
    const rdc = SHIPPED_PATHWAYS.find((d) => d.pathway === 'non_specific_symptoms')!;
    const events = parsed(
      referralFor(rdc, START),
      ev('triaged', START, { outcome: 'rapid_diagnostic_centre' }),
      ev('referred_onward', '2026-11-10', { toTumourSite: 'lung' }),
    );
    const state = pathwayFromEvents(events, '2026-11-12');
    expect(state.details.tumourSite).toBe('lung');
    expect(milestonesOfState(state, SHIPPED_PATHWAYS).definition?.pathway).toBe('non_specific_symptoms');
  });
  it('ships every pathway the issue names, prostate first, each milestone with its source', () => {
    expect(SHIPPED_PATHWAYS.map((d) => d.pathway)).toEqual([
      'prostate',
      'lung',
      'lower_gi',
      'oesophago_gastric',
      'head_and_neck',
      'gynaecology',
      'skin',
      'breast',
      'non_specific_symptoms',
      'default',
    ]);
    for (const d of SHIPPED_PATHWAYS)
      for (const m of d.milestones) {
        expect(m.source.length, `${d.pathway}: ${m.name}`).toBeGreaterThan(20);
        // A day no national document gives says so in its source.
        if (!m.confirmed) expect(m.source, `${d.pathway}: ${m.name}`).toMatch(/^Not confirmed: a trust sets it\./);
      }
  });
});

describe("each shipped definition's milestones on the right day", () => {
  for (const d of SHIPPED_PATHWAYS) {
    describe(d.pathway, () => {
      const referral = parsed(referralFor(d, START));
      for (const m of d.milestones) {
        const due = addDays(START, m.day);
        it(`${m.name}: due by day ${m.day}, at risk within two working days, late the day after`, () => {
          const within = withinWorkingDaysFrom(due, 2);
          const riskFrom = within > START ? within : START;
          if (within > START) expect(statuses(referral, addDays(within, -1))[m.name]).toBe('due');
          expect(statuses(referral, riskFrom)[m.name]).toBe('at_risk');
          expect(statuses(referral, due)[m.name]).toBe('at_risk');
          expect(statuses(referral, addDays(due, 1))[m.name]).toBe('late');
        });
        it(`${m.name}: met on day ${m.day}, met late on day ${m.day + 1}`, () => {
          const onTime = [...referral, ...parsed(...meeting(m, due))];
          expect(statuses(onTime, addDays(due, 30))[m.name]).toBe('met');
          const late = [...referral, ...parsed(...meeting(m, addDays(due, 1)))];
          expect(statuses(late, addDays(due, 30))[m.name]).toBe('met_late');
          const state = pathwayFromEvents(late, addDays(due, 30));
          const planned = milestonesOfState(state, SHIPPED_PATHWAYS).planned.find((p) => p.name === m.name)!;
          expect(milestoneView(planned, START, addDays(due, 30))).toMatchObject({
            dueOn: due,
            metOn: addDays(due, 1),
            metDay: m.day + 1,
          });
        });
      }
    });
  }
});

describe('a prostate pathway day by day, from referral to diagnosis', () => {
  // Referred Monday 2 November 2026, MRI first: triaged on the 4th (due Thursday 5th), after a day
  // at risk; the MRI booked for the 6th, done then and reported on the 8th; the biopsy booked for
  // the 16th, after its day (Saturday 14th), so at risk, then late, then met late; told on day 23
  // at a results clinic booked for the 25th.
  const prostate = SHIPPED_PATHWAYS.find((d) => d.pathway === 'prostate')!;
  const events = parsed(
    referralFor(prostate, START),
    ev('triaged', '2026-11-04', { outcome: 'straight_to_test' }),
    ev('test_requested', '2026-11-04', { test: 'MRI prostate', testOn: '2026-11-06' }),
    ev('test_reported', '2026-11-08', { test: 'mri_prostate' }),
    ev('test_requested', '2026-11-09', { test: 'biopsy', testOn: '2026-11-16' }),
    ev('test_reported', '2026-11-20', { test: 'biopsy' }),
    ev('appointment_booked', '2026-11-20', { appointmentOn: '2026-11-25', appointment: 'subsequent' }),
    ev('diagnosis_communicated', '2026-11-25', { outcome: 'cancer_confirmed' }),
  );
  // Status of [triage, MRI, biopsy, told], as recorded by the end of each day.
  const S = { d: 'due', r: 'at_risk', l: 'late', m: 'met', x: 'met_late' } as const;
  const byDay: [IsoDate, string][] = [
    ['2026-11-02', 'dddd'], // triage due Thursday 5th, MRI Saturday 7th, biopsy Saturday 14th, told Monday 30th
    ['2026-11-03', 'rddd'], // triage within two working days, nothing to book for it
    ['2026-11-04', 'mddd'], // triaged; the MRI booked for the 6th, on or before its day: not at risk
    ['2026-11-05', 'mddd'],
    ['2026-11-06', 'mddd'],
    ['2026-11-07', 'mrdd'], // the MRI's booked day passed with no report
    ['2026-11-08', 'mmdd'], // reported: met on the day it was done
    ['2026-11-09', 'mmdd'], // the biopsy booked for the 16th, after its day: no help
    ['2026-11-10', 'mmdd'],
    ['2026-11-11', 'mmrd'], // two working days before Saturday 14th: Thursday and Friday
    ['2026-11-14', 'mmrd'],
    ['2026-11-15', 'mmld'],
    ['2026-11-19', 'mmld'], // done on the 16th, not reported yet
    ['2026-11-20', 'mmxd'], // reported: met late, on day 14
    ['2026-11-24', 'mmxd'], // the results clinic on the 25th, before the 26th, when it would be at risk
    ['2026-11-25', 'mmxm'], // told on day 23
  ];
  const names = prostate.milestones.map((m) => m.name);
  it.each(byDay)('%s', (day, codes) => {
    const known = events.filter((e) => e.on <= day);
    const expected = Object.fromEntries(names.map((n, i) => [n, S[codes[i] as keyof typeof S]]));
    expect(statuses(known, day)).toEqual(expected);
  });
  it('gives the days each was met on, and the next milestone each day', () => {
    const state = pathwayFromEvents(events, '2026-11-25');
    const { planned } = milestonesOfState(state, SHIPPED_PATHWAYS);
    expect(planned.map((m) => milestoneView(m, START, '2026-11-25'))).toEqual([
      { name: 'Triage', day: 3, dueOn: '2026-11-05', status: 'met', metOn: '2026-11-04', metDay: 2 },
      { name: 'MRI of the prostate', day: 5, dueOn: '2026-11-07', status: 'met', metOn: '2026-11-06', metDay: 4 },
      { name: 'Biopsy', day: 12, dueOn: '2026-11-14', status: 'met_late', metOn: '2026-11-16', metDay: 14 },
      { name: 'Communicate diagnosis', day: 28, dueOn: '2026-11-30', status: 'met', metOn: '2026-11-25', metDay: 23 },
    ]);
    expect(nextMilestone(planned)).toBeNull();
    const on10th = milestonesOfState(pathwayFromEvents(events.slice(0, 5), '2026-11-10'), SHIPPED_PATHWAYS);
    expect(nextMilestone(on10th.planned)?.name).toBe('Biopsy');
  });
  it('leaves out the biopsy once the patient is told cancer is ruled out after a clear MRI', () => {
    const clear = [
      ...events.slice(0, 4),
      ...parsed(ev('diagnosis_communicated', '2026-11-10', { outcome: 'cancer_ruled_out' })),
    ];
    expect(statuses(clear, '2026-11-20')).toEqual({
      Triage: 'met',
      'MRI of the prostate': 'met',
      'Communicate diagnosis': 'met',
    });
  });
  it('moves the next action to the milestone where it is due earlier than the stage milestone', () => {
    const state = pathwayFromEvents(events.slice(0, 1), START);
    const next = nextMilestone(milestonesOfState(state, SHIPPED_PATHWAYS).planned);
    expect(nextAction(stageOfState(state), START, null, state.tracking, next)).toEqual({
      action: 'triage',
      due: '2026-11-05',
      kind: 'milestone',
    });
    const tested = pathwayFromEvents(events.slice(0, 2), '2026-11-04');
    const mri = nextMilestone(milestonesOfState(tested, SHIPPED_PATHWAYS).planned);
    // Straight to test: the stage's first appointment or test by day 14; the MRI by day 5 comes first.
    expect(nextAction(stageOfState(tested), START, null, tested.tracking, mri)).toEqual({
      action: 'MRI of the prostate',
      due: '2026-11-07',
      kind: 'milestone',
    });
  });
});

describe('the milestone facts', () => {
  it('come out the same folded one event at a time as from a full replay', () => {
    fc.assert(
      fc.property(pathwayArb, ({ events, lastOn }) => {
        let state = pathwayFromEvents(events.slice(0, 1), lastOn);
        for (let i = 1; i < events.length; i++) {
          const next = advancePathway(state, events[i]!, i, lastOn);
          state = next ?? pathwayFromEvents(events.slice(0, i + 1), lastOn);
        }
        expect(state.timed).toEqual(pathwayFromEvents(events, lastOn).timed);
      }),
      { numRuns: 200 },
    );
  });
  it('count the patient told at a decision to treat before it, as the faster diagnosis clock stops (R8)', () => {
    const skin = SHIPPED_PATHWAYS.find((d) => d.pathway === 'skin')!;
    const excision = parsed(
      referralFor(skin, START),
      ev('first_seen', '2026-11-09'),
      ev('decision_to_treat', '2026-11-09'),
    );
    // Triage was never recorded: not needed once a later milestone was met, so left out.
    expect(statuses(excision, '2026-12-20')).toEqual({
      'First appointment or test': 'met',
      'Communicate diagnosis': 'met',
    });
  });
  it('count a test on the day it was booked for once reported, and first seen by the first test', () => {
    const events = parsed(
      ev('referral_received', START, { route: 'urgent_suspected_cancer', tumourSite: 'lung', nhsNumber: NHS }),
      ev('test_requested', START, { test: 'CT chest', testOn: '2026-11-04' }),
      ev('test_reported', '2026-11-09', { test: 'ct_chest' }),
    );
    const { firsts } = pathwayFromEvents(events, '2026-11-09').timed;
    expect(firsts).toMatchObject({
      test_reported: '2026-11-04',
      'test_reported:ctchest': '2026-11-04',
      first_seen: '2026-11-04',
    });
    expect(statuses(events, '2026-11-09')).toMatchObject({ 'CT of the chest': 'met', 'First clinic': 'met' });
    expect(daysBetween(START, '2026-11-04')).toBe(2);
  });
});

describe("the PTL's at-risk window (latestDueAtRiskOn)", () => {
  const day = fc.integer({ min: 0, max: 365 * 6 }).map((n) => addDays('2024-01-01', n));
  it('reaches every milestone at risk on the day, and no day further than one could be', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 12 }), (asOf, ahead) => {
        const due = addDays(asOf, ahead);
        const atRisk = statusOn({ dueOn: due, metOn: null, atRiskFrom: withinWorkingDaysFrom(due, 2) }, asOf);
        const last = latestDueAtRiskOn(asOf);
        if (atRisk === 'at_risk') expect(due <= last).toBe(true);
        // The last day itself can be at risk on asOf: the window is no wider than the rule.
        expect(withinWorkingDaysFrom(last, 2) <= asOf).toBe(true);
      }),
    );
  });
  it('spans a weekend and the Christmas bank holidays', () => {
    expect(latestDueAtRiskOn('2026-12-04')).toBe('2026-12-08'); // Friday: Mon and Tue are the two working days
    expect(latestDueAtRiskOn('2026-12-23')).toBe('2026-12-29'); // 24th, then 25th-28th closed, 29th
  });
});
