// The patient's details corrected by an event (issue #17): the latest correction recorded wins,
// a voided one counts as never recorded, nothing a clock or the machine reads moves, and folding a
// correction on its own gives the state of a full replay.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pathwayEvent, type PathwayEvent } from '../../src/vocabulary/events.ts';
import {
  advancePathway,
  allowedNextOf,
  pathwayFromEvents,
  startPathway,
  type PathwayState,
} from '../../src/domain/pathway.ts';
import { TimelineError } from '../../src/domain/timeline.ts';
import { addDays } from '../../src/vocabulary/calendar.ts';
import { pathwayArb } from '../support/timelines.ts';

const referral = {
  type: 'referral_received',
  on: '2026-03-02',
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: '9434765919',
  patientName: 'Ann Smith',
  localPatientId: 'RAJ1001',
} as const;
const update = (on: string, fields: Record<string, string>, id?: string): PathwayEvent =>
  ({ type: 'patient_details_updated', on, reason: 'correction', ...fields, ...(id ? { id } : {}) }) as PathwayEvent;

describe('patient_details_updated', () => {
  it('replaces the details it gives, keeps the others, and moves no clock or stage', () => {
    const events: PathwayEvent[] = [
      referral,
      { type: 'triaged', on: '2026-03-03', outcome: 'outpatient' },
      update('2026-03-04', { patientName: 'Ann Jones', dateOfBirth: '1950-05-06' }),
    ];
    const before = pathwayFromEvents(events.slice(0, 2), '2026-03-10');
    const after = pathwayFromEvents(events, '2026-03-10');
    expect(after.details).toEqual({ ...before.details, patientName: 'Ann Jones', dateOfBirth: '1950-05-06' });
    expect(after.machine).toEqual(before.machine);
    expect(after.fold).toEqual(before.fold);
    expect(after.details.lastOn).toBe('2026-03-03'); // not a clinical event
  });

  it('the latest correction recorded wins, whatever its date; a voided one counts as never recorded', () => {
    const events: PathwayEvent[] = [
      referral,
      update('2026-03-09', { nhsNumber: '9990000018' }, 'u1'),
      update('2026-03-05', { nhsNumber: '9990000026', localPatientId: 'RAJ2002' }, 'u2'),
    ];
    expect(pathwayFromEvents(events, '2026-03-10').details).toMatchObject({
      nhsNumber: '9990000026',
      localPatientId: 'RAJ2002',
    });
    const voided = [
      ...events,
      { type: 'event_voided', on: '2026-03-10', voids: 'u2', reason: 'wrong patient' } as PathwayEvent,
    ];
    expect(pathwayFromEvents(voided, '2026-03-10').details).toMatchObject({
      nhsNumber: '9990000018',
      localPatientId: 'RAJ1001',
    });
  });

  it('a closed pathway still takes a correction, and it is always allowed', () => {
    const events: PathwayEvent[] = [referral, { type: 'removed', on: '2026-03-04', reason: 'moved_away' }];
    const closed = pathwayFromEvents(events, '2026-03-10');
    expect(allowedNextOf(closed)).toContain('patient_details_updated');
    expect(
      pathwayFromEvents([...events, update('2026-03-09', { patientName: 'Ann Jones' })], '2026-03-10').details
        .patientName,
    ).toBe('Ann Jones');
    expect(
      advancePathway(closed, update('2026-03-09', { patientName: 'Ann Jones' }), 2, '2026-03-10')!.details.patientName,
    ).toBe('Ann Jones');
  });

  it('is dated within the pathway: not before its referral, not after the as-of date', () => {
    const state = startPathway(referral);
    expect(() => advancePathway(state, update('2026-03-01', { patientName: 'X' }), 1, '2026-03-10')).toThrow(
      TimelineError,
    );
    expect(() => pathwayFromEvents([referral, update('2026-03-11', { patientName: 'X' })], '2026-03-10')).toThrow(
      /after the as-of date/,
    );
  });

  it('the vocabulary wants at least one detail, a real NHS number and a birth date not after the update', () => {
    const problem = (e: object) => pathwayEvent.safeParse(e).error?.issues[0]?.message ?? null;
    expect(problem({ type: 'patient_details_updated', on: '2026-03-04', reason: 'correction' })).toMatch(
      /at least one of nhsNumber/,
    );
    expect(
      problem({ type: 'patient_details_updated', on: '2026-03-04', reason: 'correction', nhsNumber: '9434765918' }),
    ).toMatch(/not a valid NHS number/);
    expect(
      problem({ type: 'patient_details_updated', on: '2026-03-04', reason: 'merge', dateOfBirth: '2026-03-05' }),
    ).toMatch(/must not be after/);
    expect(
      problem({ type: 'patient_details_updated', on: '2026-03-04', reason: 'merge', localPatientId: 'RAJ 1' }),
    ).toMatch(/hospital number/);
    expect(
      problem({ type: 'patient_details_updated', on: '2026-03-04', reason: 'merge', localPatientId: 'RAJ/1-2' }),
    ).toBeNull();
  });

  it('property: corrections anywhere in a timeline, folded one at a time, give the state of a full replay', () => {
    const names = ['Ann Jones', 'Ann Smith-Jones', 'A Jones'];
    fc.assert(
      fc.property(
        pathwayArb,
        fc.array(fc.record({ at: fc.nat(), name: fc.nat(), late: fc.nat({ max: 5 }) }), { maxLength: 4 }),
        ({ events, lastOn }, corrections) => {
          const recorded = [...events];
          for (const c of corrections) {
            const at = 1 + (c.at % recorded.length);
            const on = addDays(recorded[0]!.on, c.late);
            recorded.splice(at, 0, update(on, { patientName: names[c.name % names.length]! }));
          }
          const asOf = addDays(lastOn, 6);
          let state: PathwayState = startPathway(recorded[0] as Extract<PathwayEvent, { type: 'referral_received' }>);
          recorded.slice(1).forEach((event, i) => {
            state = advancePathway(state, event, i + 1, asOf) ?? pathwayFromEvents(recorded.slice(0, i + 2), asOf);
          });
          const replayed = pathwayFromEvents(recorded, asOf);
          expect(state).toEqual(replayed);
          // The machine and the clocks are as if no correction had been recorded.
          const without = pathwayFromEvents(events, asOf);
          expect([replayed.machine, replayed.fold]).toEqual([without.machine, without.fold]);
          const last = recorded.filter((e) => e.type === 'patient_details_updated').at(-1);
          expect(replayed.details.patientName).toBe(last ? (last as { patientName: string }).patientName : null);
        },
      ),
      { numRuns: 300 },
    );
  });
});
