// The simulator: deterministic, every pathway valid under the rules (whole and as recorded, event
// by event), recorded in time order, importable, and calibrated like a trust under pressure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  monthsBefore,
  PRESETS,
  simulate,
  weekday,
  type ImportLine,
  type SimulateOptions,
} from '../../src/sim/simulate.ts';
import { isClosed, checkTimeline, stageOf } from '../../src/domain/timeline.ts';
import { restoreSnapshot } from '../../machines/referral.ts';
import { computeClocks } from '../../src/cwt/clocks.ts';
import { backlogPosition } from '../../src/cwt/backlog.ts';
import { addDays, dayNumber, fromDayNumber } from '../../src/cwt/calendar.ts';
import { AppError } from '../../src/errors.ts';
import { rowsMatchReplay, tempStore } from '../support/store.ts';
import { byPathway, checkHistory, eventOf } from './history.ts';
import { RESOURCES } from '../../src/sim/resources.ts';
import { readScenario } from '../../src/sim/scenario.ts';

const asOf = '2026-11-24';
const run = (opts: SimulateOptions) => [...simulate(opts)];
const text = (seed: number, referralsPerMonth = 200, months = 3) =>
  run({ referralsPerMonth, months, seed, asOf })
    .map((l) => JSON.stringify(l))
    .join('\n');

describe('simulate: determinism', () => {
  it('gives the same bytes for the same options, and a different history for a different seed', () => {
    expect(text(7)).toBe(text(7));
    expect(text(7)).not.toBe(text(8));
    // High bits of the seed count.
    expect(text(1)).not.toBe(text(2 ** 32 + 1));
  });

  it('is a stream: taking the first lines gives the start of the full history', () => {
    const full = run({ referralsPerMonth: 300, months: 2, seed: 4, asOf });
    const first: ImportLine[] = [];
    for (const line of simulate({ referralsPerMonth: 300, months: 2, seed: 4, asOf })) {
      first.push(line);
      if (first.length === 500) break;
    }
    expect(first).toEqual(full.slice(0, 500));
  });
});

describe('simulate: bounded memory', () => {
  it('holds only the lines waiting for the days ahead: no more for three years than for one', () => {
    const summary = (months: number) => {
      const lines = simulate({ referralsPerMonth: 1000, months, seed: 6, asOf });
      let next = lines.next();
      let count = 0;
      for (; !next.done; next = lines.next()) count++;
      expect(next.value.lines).toBe(count);
      return next.value;
    };
    const year = summary(12);
    const threeYears = summary(36);
    expect(threeYears.pathways).toBe(36_000);
    expect(threeYears.lines).toBeGreaterThan(2.8 * year.lines);
    // The most held at once depends on the holidays a history spans, not on its length: about a hundred
    // lines for each referral received a day (1,000 a month is about 33 a day).
    expect(threeYears.maxHeldLines).toBeLessThan(1.3 * year.maxHeldLines);
    expect(threeYears.maxHeldLines).toBeLessThan(150 * 33);
  });
});

describe('simulate: every pathway is a valid history', () => {
  const lines = run({ referralsPerMonth: 1000, months: 4, seed: 3, asOf });
  const pathways = byPathway(lines);

  it('passes the rules whole and event by event as recorded, in time order, with valid fields', () => {
    expect(checkHistory(lines, asOf).size).toBe(pathways.size);
  });

  it('starts every pathway with its referral, received in the months before the as-of date', () => {
    const first = addDays(monthsBefore(asOf, 4), 1);
    expect(first).toBe('2026-07-25');
    let weekend = 0;
    for (const [, events] of pathways) {
      const referral = events[0]!;
      expect(referral.on >= first && referral.on <= asOf).toBe(true);
      if ([0, 6].includes(weekday(dayNumber(referral.on)))) weekend++;
    }
    // A referral received in the last days may not be registered yet by the end of the history.
    expect(pathways.size).toBeGreaterThan(3960);
    expect(pathways.size).toBeLessThanOrEqual(4000);
    // Referrals arrive mostly on weekdays.
    expect(weekend / pathways.size).toBeLessThan(0.05);
    expect(weekend).toBeGreaterThan(0);
  });

  it('gives each pathway its own NHS number', () => {
    const numbers = new Set<string>();
    for (const [, events] of pathways) {
      const referral = events[0]!;
      if (referral.type === 'referral_received') numbers.add(referral.nhsNumber);
    }
    expect(numbers.size).toBe(pathways.size);
  });

  it('leaves pathways open part-way at the as-of date, in every early stage', () => {
    const stages = new Set<string>();
    for (const [, events] of pathways) {
      const { stage } = checkTimeline(events.map(eventOf), asOf);
      if (!isClosed(restoreSnapshot(stage))) stages.add(stageOf(stage));
    }
    for (const s of ['awaiting_triage', 'awaiting_first_appointment', 'under_investigation', 'awaiting_treatment'])
      expect(stages).toContain(s);
  });
});

describe('simulate: import', () => {
  it('is accepted event by event by the store, and the PTL rows match a replay', () => {
    const lines = run({ referralsPerMonth: 400, months: 3, seed: 9, asOf });
    const { store, sql } = tempStore('2026-11-25T09:00:00Z');
    const outcomes = store.appendMany(
      lines.map(({ pathwayId, recordedAt, ...event }) => ({ pathwayId, recordedAt, event, actor: 'test' })),
    );
    const refused = outcomes.filter((o) => o instanceof AppError).map((o) => (o as AppError).message);
    expect(refused).toEqual([]);
    expect(outcomes.every((o) => o === 'written')).toBe(true);
    const { checked, mismatches } = rowsMatchReplay(store, sql);
    expect(checked).toBe(byPathway(lines).size);
    expect(mismatches).toEqual([]);
  });
});

describe('simulate: properties', () => {
  it('for any small options and scenario: valid pathways, in time order, nothing after the as-of date or the cut-off, deterministic', () => {
    const day = fc.integer({ min: dayNumber('2019-01-01'), max: dayNumber('2031-12-31') }).map(fromDayNumber);
    const change = (asOf: string) =>
      fc.oneof(
        fc.record({
          resource: fc.constantFrom(...RESOURCES),
          from: fc.integer({ min: -150, max: 30 }).map((d) => addDays(asOf, d)),
          capacity: fc.constantFrom('-100%', '-50%', '+30%', '0/week', '+3/week', '-200/week', '2/week'),
        }),
        fc.record({
          demand: fc.constantFrom('urological', 'breast', 'lower_gi', 'skin'),
          from: fc.integer({ min: -150, max: 0 }).map((d) => addDays(asOf, d)),
          change: fc.constantFrom('-100%', '+50%', '+300%'),
        }),
      );
    const options = fc
      .record({
        referralsPerMonth: fc.integer({ min: 0, max: 60 }),
        months: fc.integer({ min: 0, max: 4 }),
        seed: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        asOf: fc.oneof(day, fc.constantFrom('2024-02-29', '2024-03-31', '2026-03-29', '2026-10-25', '2027-01-01')),
        capacityScale: fc.option(fc.constantFrom(0.2, 1, 3), { nil: undefined }),
        // A cut-off during the as-of day (the command's "now"), or none.
        cutOff: fc.option(fc.integer({ min: 0, max: 24 * 3600 - 1 }), { nil: undefined }),
      })
      .chain((o) => fc.record({ o: fc.constant(o), changes: fc.array(change(o.asOf), { maxLength: 3 }) }));
    fc.assert(
      fc.property(options, ({ o: { cutOff, ...o }, changes }) => {
        const recordedUntil =
          cutOff === undefined ? undefined : new Date(Date.parse(`${o.asOf}T00:00:00Z`) + cutOff * 1000).toISOString();
        const opts: SimulateOptions = { ...o, scenario: readScenario({ changes }, RESOURCES), recordedUntil };
        const lines = run(opts);
        const pathways = checkHistory(lines, opts.asOf, recordedUntil);
        const made = changes.some((c) => 'demand' in c) ? Infinity : Math.round(opts.referralsPerMonth * opts.months);
        expect(pathways.size).toBeLessThanOrEqual(made);
        expect(JSON.stringify(run(opts))).toBe(JSON.stringify(lines));
      }),
      { numRuns: 40, seed: 20261124 },
    );
  });

  it('refuses options it cannot honour', () => {
    expect(() => run({ referralsPerMonth: -1, months: 1, seed: 1, asOf })).toThrow(/referralsPerMonth/);
    expect(() => run({ referralsPerMonth: 10, months: 1.5, seed: 1, asOf })).toThrow(/months/);
    expect(() => run({ referralsPerMonth: 10, months: 1, seed: 0.5, asOf })).toThrow(/seed/);
    expect(() => run({ referralsPerMonth: 10, months: 1, seed: 1, asOf: '2026-02-30' })).toThrow(/asOf/);
    expect(() => run({ referralsPerMonth: 10, months: 1, seed: 1, asOf: '1999-12-31' })).toThrow(/from 2000-01-01/);
  });

  it('starts no history before 2000 (R18): a longer one begins on 1 January 2000', () => {
    const lines = run({ referralsPerMonth: 30, months: 6, seed: 2, asOf: '2000-02-15' });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.on >= '2000-01-01')).toBe(true);
    expect(checkHistory(lines, '2000-02-15').size).toBeGreaterThan(0);
  });

  it('counts months back on the calendar', () => {
    expect(monthsBefore('2026-11-24', 12)).toBe('2025-11-24');
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(monthsBefore('2024-03-31', 1)).toBe('2024-02-29');
    expect(monthsBefore('2026-01-15', 13)).toBe('2024-12-15');
    expect(monthsBefore('2026-05-31', 0)).toBe('2026-05-31');
  });

  it('has the presets the benchmarks and the demo use', () => {
    expect(PRESETS).toEqual({
      trust: { referralsPerMonth: 5500, months: 12 },
      england: { referralsPerMonth: 253000, months: 12 },
      demo: { referralsPerMonth: 350, months: 12 },
    });
  });
});

// A larger history for rare cases and for the calibration figures.
const big = run({ referralsPerMonth: 3000, months: 6, seed: 11, asOf });
const bigPathways = byPathway(big);

describe('simulate: the awkward cases, in a larger history', () => {
  const lines = big;
  const pathways = bigPathways;

  it('includes every kind of event and the awkward cases', () => {
    const count = (pred: (l: ImportLine) => boolean) => lines.filter(pred).length;
    const types = new Set(lines.map((l) => l.type));
    for (const t of [
      'triaged',
      'appointment_booked',
      'dna',
      'patient_cancelled',
      'first_seen',
      'test_requested',
      'test_reported',
      'mdt_discussed',
      'diagnosis_communicated',
      'referred_onward',
      'decision_to_treat',
      'treatment_offer_declined',
      'treatment_started',
      'transferred',
      'removed',
      'event_voided',
    ]) {
      expect(types).toContain(t);
    }
    expect(count((l) => l.type === 'dna' && l.appointment === 'first')).toBeGreaterThan(0);
    expect(count((l) => l.type === 'dna' && l.appointment === 'subsequent')).toBeGreaterThan(0);
    expect(count((l) => l.type === 'transferred' && ['RGT', 'RAL'].includes(l.toProvider))).toBeGreaterThan(0);
    expect(count((l) => l.type === 'transferred' && ['RAJ', 'RQ8', 'RDD'].includes(l.toProvider))).toBeGreaterThan(0);
    expect(count((l) => l.type === 'referral_received' && l.route === 'consultant_upgrade')).toBeGreaterThan(0);
    expect(count((l) => l.type === 'triaged' && l.outcome === 'rapid_diagnostic_centre')).toBeGreaterThan(0);
    expect(count((l) => l.type === 'removed' && l.reason === 'returned_to_gp')).toBeGreaterThan(0);
    const recordedLate = count((l) => l.recordedAt.slice(0, 10) > l.on);
    expect(recordedLate / lines.length).toBeGreaterThan(0.02);

    let backDated = 0;
    let closedThenBackDated = 0;
    let decidedBeforeTold = 0;
    for (const [, events] of pathways) {
      for (let k = 1; k < events.length; k++) {
        if (events.slice(0, k).some((e) => e.on > events[k]!.on)) {
          backDated++;
          if (
            events
              .slice(0, k)
              .some(
                (e) => e.type === 'treatment_started' || e.type === 'removed' || e.type === 'diagnosis_communicated',
              )
          )
            closedThenBackDated++;
        }
      }
      const dtt = events.find((e) => e.type === 'decision_to_treat');
      const told = events.find((e) => e.type === 'diagnosis_communicated');
      if (dtt && told && dtt.on < told.on) decidedBeforeTold++;
    }
    expect(backDated).toBeGreaterThan(20);
    expect(closedThenBackDated).toBeGreaterThan(0);
    expect(decidedBeforeTold).toBeGreaterThan(0);
  });

  it('voids only a duplicate entry, and the pathway stands without it', () => {
    let voids = 0;
    for (const [, events] of pathways) {
      events.forEach((line, k) => {
        if (line.type !== 'event_voided') return;
        voids++;
        const target = events.slice(0, k).find((e) => e.id === line.voids);
        expect(target?.type).toBe('test_requested');
        const duplicates = events.filter(
          (e) =>
            e.type === 'test_requested' &&
            target?.type === 'test_requested' &&
            e.test === target.test &&
            e.on === target.on,
        );
        expect(duplicates.length).toBeGreaterThanOrEqual(2);
      });
    }
    expect(voids).toBeGreaterThan(0);
  });

  it('declined offers pause the clocks in both settings, by the same days on d31 and d62 (R7)', () => {
    const paused = { admitted: 0, non_admitted: 0 };
    for (const [, events] of pathways) {
      const declined = events.find((e) => e.type === 'treatment_offer_declined');
      if (declined?.type !== 'treatment_offer_declined') continue;
      const clocks = computeClocks(events.map(eventOf), asOf);
      if (clocks.d62.state !== 'stopped') continue;
      expect(clocks.d62.adjustmentDays).toBeGreaterThan(0);
      expect(clocks.d31.adjustmentDays).toBe(clocks.d62.adjustmentDays);
      paused[declined.setting]++;
    }
    expect(paused.admitted).toBeGreaterThan(0);
    expect(paused.non_admitted).toBeGreaterThan(0);
  });

  it('exercises the other rules of version 2: interval scans, and missed first appointments awaiting or restarted by a rebooking (R5, R9)', () => {
    let intervalScans = 0;
    let awaitingRebooking = 0;
    let restarted = 0;
    for (const [, recorded] of pathways) {
      const events = recorded.map(eventOf);
      if (events.some((e) => e.type === 'diagnosis_communicated' && e.outcome === 'interval_scan')) {
        intervalScans++;
        expect(computeClocks(events, asOf)).toMatchObject({ status: 'closed', d62: { state: 'not_applicable' } });
      }
      const { stage } = checkTimeline(events, asOf);
      const clocks = computeClocks(events, asOf);
      if (stageOf(stage) === 'first_appointment_missed') {
        awaitingRebooking++;
        // Nothing moves until the rebooking: the clocks are those without the missed appointment.
        const lastDna = events.map((e) => e.type).lastIndexOf('dna');
        expect(clocks).toEqual(
          computeClocks(
            events.filter((_, k) => k !== lastDna),
            asOf,
          ),
        );
      }
      if (clocks.d62.start !== null && clocks.d62.start !== events[0]!.on) restarted++;
    }
    expect(intervalScans).toBeGreaterThan(10);
    expect(awaitingRebooking).toBeGreaterThan(0);
    expect(restarted).toBeGreaterThan(10);
  });
});

describe('simulate: calibration (a trust under pressure)', () => {
  const lines = big;
  const pathways = bigPathways;
  let fds = 0,
    fdsMet = 0,
    d62 = 0,
    d62Met = 0,
    d31 = 0,
    d31Met = 0,
    open = 0,
    over62 = 0,
    told = 0,
    cancers = 0;
  const routes: Record<string, number> = {};
  const sites: Record<string, number> = {};
  for (const [, recorded] of pathways) {
    const events = recorded.map(eventOf);
    const referral = events[0]!;
    if (referral.type === 'referral_received') {
      routes[referral.route] = (routes[referral.route] ?? 0) + 1;
      if (referral.route === 'urgent_suspected_cancer')
        sites[referral.tumourSite] = (sites[referral.tumourSite] ?? 0) + 1;
    }
    const outcome = events.find((e) => e.type === 'diagnosis_communicated');
    if (outcome?.type === 'diagnosis_communicated') {
      told++;
      if (outcome.outcome === 'cancer_confirmed') cancers++;
    }
    const clocks = computeClocks(events, asOf);
    if (clocks.fds.state === 'stopped') {
      fds++;
      if (!clocks.fds.breached) fdsMet++;
    }
    if (clocks.d62.state === 'stopped') {
      d62++;
      if (!clocks.d62.breached) d62Met++;
    }
    if (clocks.d31.state === 'stopped') {
      d31++;
      if (!clocks.d31.breached) d31Met++;
    }
    const position = backlogPosition(clocks);
    if (position) {
      open++;
      if (position.over62) over62++;
    }
  }

  it('meets the faster diagnosis standard about 75% of the time', () => {
    expect(fds).toBeGreaterThan(10_000);
    expect(fdsMet / fds).toBeGreaterThan(0.65);
    expect(fdsMet / fds).toBeLessThan(0.85);
  });

  it('treats about two thirds within 62 days, and nearly all within 31 days of the decision', () => {
    expect(d62).toBeGreaterThan(500);
    expect(d62Met / d62).toBeGreaterThan(0.55);
    expect(d62Met / d62).toBeLessThan(0.8);
    expect(d31Met / d31).toBeGreaterThan(0.85);
    expect(d31Met / d31).toBeLessThan(0.98);
  });

  it('has a backlog over 62 days of a few per cent of open pathways', () => {
    expect(open).toBeGreaterThan(1000);
    expect(over62 / open).toBeGreaterThan(0.005);
    expect(over62 / open).toBeLessThan(0.15);
  });

  it('finds cancer in about 6-8% of patients told, mostly urgent suspected cancer referrals by site', () => {
    expect(cancers / told).toBeGreaterThan(0.05);
    expect(cancers / told).toBeLessThan(0.09);
    const n = pathways.size;
    expect(routes.urgent_suspected_cancer! / n).toBeGreaterThan(0.8);
    expect(routes.screening! / n).toBeGreaterThan(0.06);
    expect(routes.breast_symptomatic! / n).toBeGreaterThan(0.03);
    expect(routes.consultant_upgrade! / n).toBeGreaterThan(0.01);
    const usc = routes.urgent_suspected_cancer!;
    for (const site of ['skin', 'lower_gi', 'breast']) expect(sites[site]! / usc).toBeGreaterThan(0.12);
    expect(sites.non_specific_symptoms! / usc).toBeGreaterThan(0.01);
    expect(sites.non_specific_symptoms! / usc).toBeLessThan(0.05);
  });

  it('misses a few per cent of first appointments, and rebooks most of them', () => {
    const dnas = lines.filter((l) => l.type === 'dna' && l.appointment === 'first').length;
    const firstBookings = lines.filter((l) => l.type === 'appointment_booked' && l.appointment === 'first').length;
    expect(dnas / firstBookings).toBeGreaterThan(0.02);
    expect(dnas / firstBookings).toBeLessThan(0.08);
  });
});
