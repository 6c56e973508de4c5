// The referral corrected (issue #28; cwt-rules R13 for the referral): the clocks, the stage and the
// patient's details recompute from the corrected date, route and tumour site; history is kept.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeClocks } from '../../src/cwt/clocks.ts';
import { addDays } from '../../src/vocabulary/calendar.ts';
import { pathwayEvent, ROUTES, TUMOUR_SITES, type PathwayEvent } from '../../src/vocabulary/events.ts';
import { advancePathway, pathwayFromEvents, stageOfState } from '../../src/domain/pathway.ts';
import { TimelineError } from '../../src/domain/timeline.ts';
import { pathwayArb } from '../support/timelines.ts';

const runs = { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) };

// E1's shape: referred 5 January, treated 10 March (day 64 of 62).
const treated: PathwayEvent[] = [
  {
    type: 'referral_received',
    id: 'r',
    on: '2026-01-05',
    route: 'urgent_suspected_cancer',
    tumourSite: 'lung',
    nhsNumber: '9434765919',
  },
  { type: 'first_seen', on: '2026-01-20' },
  { type: 'diagnosis_communicated', on: '2026-02-10', outcome: 'cancer_confirmed' },
  { type: 'decision_to_treat', on: '2026-02-20' },
  { type: 'treatment_started', on: '2026-03-10', modality: 'surgery' },
];
const asOf = '2026-04-01';
const correction = (fields: Partial<Record<'receivedOn' | 'route' | 'tumourSite', string>>, id = 'c1') =>
  pathwayEvent.parse({ type: 'referral_corrected', id, on: '2026-03-20', reason: 'keyed wrongly', ...fields });

describe('referral_corrected: worked examples', () => {
  it('an earlier date received moves the 28-day and 62-day clock starts, and the days with them', () => {
    expect(computeClocks(treated, asOf).d62).toMatchObject({ start: '2026-01-05', days: 64 });
    const c = computeClocks([...treated, correction({ receivedOn: '2026-01-02' })], asOf);
    expect(c.fds).toMatchObject({
      state: 'stopped',
      start: '2026-01-02',
      stop: '2026-02-10',
      days: 39,
      breached: true,
    });
    expect(c.d62).toMatchObject({ state: 'stopped', start: '2026-01-02', days: 67, breached: true });
    expect(c.d31).toMatchObject({ start: '2026-02-20', days: 18 }); // the 31-day clock does not start at the referral
  });

  it('a later date received (still before every other event) shortens the wait', () => {
    const c = computeClocks([...treated, correction({ receivedOn: '2026-01-09' })], asOf);
    expect(c.d62).toMatchObject({ start: '2026-01-09', days: 60, breached: false });
  });

  it('a corrected route changes which standards apply (R3)', () => {
    const upgrade = computeClocks([...treated, correction({ route: 'consultant_upgrade' })], asOf);
    expect(upgrade.fds.state).toBe('not_applicable');
    expect(upgrade.d62.state).toBe('stopped');
    const only31 = computeClocks([...treated, correction({ route: 'thirty_one_day_only' })], asOf);
    expect(only31.d62.state).toBe('not_applicable');
    expect(only31.d31).toMatchObject({ state: 'stopped', days: 18 });
  });

  it('the latest correction of each field wins; what none gives stays as first recorded', () => {
    const events = [
      ...treated,
      correction({ receivedOn: '2026-01-02', tumourSite: 'breast' }, 'c1'),
      correction({ receivedOn: '2026-01-03' }, 'c2'),
    ];
    const state = pathwayFromEvents(events, asOf);
    expect(state.details).toMatchObject({
      referralOn: '2026-01-03',
      tumourSite: 'breast',
      route: 'urgent_suspected_cancer',
    });
    expect(computeClocks(events, asOf).d62.start).toBe('2026-01-03');
  });

  it('a voided correction counts as never made: the original values are back', () => {
    const events = [
      ...treated,
      correction({ receivedOn: '2026-01-02' }),
      pathwayEvent.parse({ type: 'event_voided', on: '2026-03-21', voids: 'c1', reason: 'the first date was right' }),
    ];
    expect(computeClocks(events, asOf)).toEqual(computeClocks(treated, asOf));
  });

  it('a correction of the tumour site is the site referred to; an onward referral still moves it on (R12)', () => {
    const onward: PathwayEvent[] = [
      ...treated.slice(0, 2),
      { type: 'referred_onward', on: '2026-01-25', toTumourSite: 'upper_gi' },
    ];
    expect(pathwayFromEvents([...onward, correction({ tumourSite: 'lower_gi' })], asOf).details.tumourSite).toBe(
      'upper_gi',
    );
    expect(pathwayFromEvents([...treated, correction({ tumourSite: 'lower_gi' })], asOf).details.tumourSite).toBe(
      'lower_gi',
    );
  });

  it('a corrected date after another event is refused, naming receivedOn', () => {
    const run = () => pathwayFromEvents([...treated, correction({ receivedOn: '2026-01-21' })], asOf);
    expect(run).toThrow(TimelineError);
    expect(run).toThrow(/corrected referral date \(21 Jan 2026\) is after the first seen of 20 Jan 2026/);
    try {
      run();
    } catch (err) {
      expect((err as TimelineError).field).toBe('receivedOn');
      expect((err as TimelineError).index).toBe(treated.length);
    }
  });

  it('a corrected date more than two years before today is refused when entered', () => {
    const run = (today: string) =>
      pathwayFromEvents([...treated, correction({ receivedOn: '2026-01-02' })], asOf, { today: today as '2026-04-01' });
    expect(() => run('2026-04-01')).not.toThrow();
    expect(() => run('2028-02-01')).toThrow(/more than two years before today/);
  });

  it('reopens a decision the route no longer allows: the stage is the machine replayed over the corrected referral', () => {
    const open = treated.slice(0, 2);
    const state = pathwayFromEvents([...open, correction({ route: 'screening' })], asOf);
    expect(stageOfState(state)).toBe(stageOfState(pathwayFromEvents(open, asOf)));
    expect(state.details.route).toBe('screening');
  });

  it('is never folded one event at a time: it needs the whole timeline', () => {
    const state = pathwayFromEvents(treated, asOf);
    expect(advancePathway(state, correction({ route: 'screening' }), treated.length, asOf)).toBeNull();
  });

  it('must give at least one of receivedOn, route, tumourSite, and a reason', () => {
    expect(pathwayEvent.safeParse({ type: 'referral_corrected', on: '2026-03-20', reason: 'x' }).success).toBe(false);
    expect(pathwayEvent.safeParse({ type: 'referral_corrected', on: '2026-03-20', route: 'screening' }).success).toBe(
      false,
    );
  });
});

describe('referral_corrected: properties', () => {
  const corrected = fc.record({
    earlier: fc.integer({ min: 0, max: 30 }),
    route: fc.option(fc.constantFrom(...ROUTES), { nil: undefined }),
    tumourSite: fc.option(fc.constantFrom(...TUMOUR_SITES), { nil: undefined }),
  });

  it('correcting then correcting back gives the original clocks', () => {
    fc.assert(
      fc.property(pathwayArb, corrected, fc.integer({ min: 0, max: 200 }), ({ events, lastOn }, c, extra) => {
        const referral = events[0]!;
        if (referral.type !== 'referral_received') throw new Error('generated pathways start with the referral');
        const on = addDays(lastOn, extra);
        const there = pathwayEvent.parse({
          type: 'referral_corrected',
          on,
          reason: 'wrong',
          receivedOn: addDays(referral.on, -c.earlier),
          route: c.route,
          tumourSite: c.tumourSite,
        });
        const back = pathwayEvent.parse({
          type: 'referral_corrected',
          on,
          reason: 'right after all',
          receivedOn: referral.on,
          route: referral.route,
          tumourSite: referral.tumourSite,
        });
        const asOf = addDays(on, 1);
        expect(computeClocks([...events, there, back], asOf)).toEqual(computeClocks(events, asOf));
      }),
      runs,
    );
  });

  it('a corrected history gives the clocks of the same history recorded right the first time', () => {
    fc.assert(
      fc.property(pathwayArb, corrected, ({ events, lastOn }, c) => {
        const referral = events[0]!;
        if (referral.type !== 'referral_received') throw new Error('generated pathways start with the referral');
        const receivedOn = addDays(referral.on, -c.earlier);
        const fix = pathwayEvent.parse({
          type: 'referral_corrected',
          on: lastOn,
          reason: 'wrong',
          receivedOn,
          route: c.route,
          tumourSite: c.tumourSite,
        });
        const right: PathwayEvent = {
          ...referral,
          on: receivedOn,
          route: c.route ?? referral.route,
          tumourSite: c.tumourSite ?? referral.tumourSite,
        };
        expect(computeClocks([...events, fix], lastOn)).toEqual(computeClocks([right, ...events.slice(1)], lastOn));
      }),
      runs,
    );
  });
});
