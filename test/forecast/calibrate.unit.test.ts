// Calibration as at a day reads only what was recorded by the end of that day (Europe/London): a
// later event, whatever it says, changes nothing; and it recovers the simulator's referral rates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, endOfLondonDay, type IsoDate } from '../../src/vocabulary/calendar.ts';
import type { PathwayEvent } from '../../src/vocabulary/events.ts';
import { readAsAt, type HistoryRecord } from '../../src/forecast/read.ts';
import { WEEKDAY_WEIGHTS } from '../../src/sim/model.ts';
import { history } from './support.ts';

const end: IsoDate = '2026-07-26';
const asOf: IsoDate = '2026-06-14'; // in British Summer Time: the day ends at 22:59:59.999 UTC
const sim = { referralsPerMonth: 400, months: 6, seed: 3, asOf: end };
const cut = endOfLondonDay(asOf);
const known = (records: HistoryRecord[]) =>
  records
    .map((r) => ({ pathwayId: r.pathwayId, events: r.events.filter((e) => e.recordedAt <= cut) }))
    .filter((r) => r.events.length > 0);

const laterEvent = fc.record({
  minutes: fc.integer({ min: 1, max: 60 * 24 * 60 }),
  type: fc.constantFrom(
    'treatment_started',
    'removed',
    'diagnosis_communicated',
    'test_reported',
    'first_seen',
    'event_voided',
  ),
  daysBack: fc.integer({ min: 0, max: 90 }),
});

describe('calibration as at a past day', () => {
  const all = history(sim);
  const expected = readAsAt(known(all), asOf).input;

  it('is the same whatever was recorded after the end of that day (events added, back-dated, voiding)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(all.length - 1), laterEvent), { maxLength: 25 }), (additions) => {
        const records = known(all).map((r) => ({ pathwayId: r.pathwayId, events: [...r.events] }));
        for (const [i, a] of additions) {
          const r = records[i % records.length]!;
          const at = new Date(Date.parse(cut) + a.minutes * 60_000).toISOString();
          const on = addDays(at.slice(0, 10) as IsoDate, -a.daysBack);
          const fields: Record<string, unknown> = {
            treatment_started: { modality: 'surgery' },
            removed: { reason: 'other' },
            diagnosis_communicated: { outcome: 'cancer_confirmed' },
            test_reported: { test: 'mri_prostate' },
            first_seen: {},
            event_voided: { voids: 'e1', reason: 'a later correction' },
          }[a.type]!;
          r.events.push({ recordedAt: at, event: { type: a.type, on, ...fields } as unknown as PathwayEvent });
        }
        expect(readAsAt(records, asOf).input).toEqual(expected);
      }),
      { numRuns: 8 },
    );
  });

  it('is the whole history read as at that day: the cut is made before anything is read', () => {
    expect(readAsAt(all, asOf).input).toEqual(expected);
  });

  it("takes an event recorded late on that day in London, and not one just after London's midnight", () => {
    const target = expected.open[0]!.id;
    const withEvent = (at: string) =>
      known(all).map((r) =>
        r.pathwayId === target
          ? {
              pathwayId: r.pathwayId,
              events: [
                ...r.events,
                { recordedAt: at, event: { type: 'removed', on: asOf, reason: 'other' } as PathwayEvent },
              ],
            }
          : r,
      );
    const lateThatDay = readAsAt(withEvent(`${asOf}T22:30:00.000Z`), asOf).input; // 23:30 in London
    const nextDay = readAsAt(withEvent(`${asOf}T23:30:00.000Z`), asOf).input; // 00:30 the next day in London
    expect(lateThatDay.open.length).toBe(expected.open.length - 1);
    expect(nextDay).toEqual(expected);
  });

  it("recovers the simulator's referrals a week and its weekday pattern", () => {
    const a = expected.calibration.arrivals;
    const week = a.weekday.reduce((s, w) => s + w, 0);
    const perWeek = a.streams.reduce((s, x) => s + x.perDay, 0) * week;
    expect(perWeek).toBeGreaterThan(((400 * 12) / 52) * 0.95);
    expect(perWeek).toBeLessThan(((400 * 12) / 52) * 1.05);
    const total = WEEKDAY_WEIGHTS.reduce((s, w) => s + w, 0);
    WEEKDAY_WEIGHTS.forEach((w, i) => expect(a.weekday[i]).toBeCloseTo((7 * w) / total, 1));
  });
});

describe('the lead of a treatment whose slots are always full', () => {
  // Surgery cut by 35%: every slot used, so no day has one to spare. The preparation before it
  // (the simulator's: 3 to 28 days, 75% within 14) shows only in the slots given to patients
  // referred later while a patient was not yet ready.
  it("is estimated from the slots given to those referred later, near the simulator's preparation", () => {
    const surgeryEnd: IsoDate = '2026-11-22';
    const surgeryAsOf = addDays(surgeryEnd, -84);
    const cutFrom = addDays(surgeryAsOf, -56);
    const records = history({
      referralsPerMonth: 1500,
      months: 12,
      seed: 1,
      asOf: surgeryEnd,
      scenario: {
        capacity: [
          { resource: 'treatment:surgery', from: cutFrom, change: { by: 'percent', value: -35 }, text: '-35%' },
        ],
        demand: [],
      },
    });
    const surgery = readAsAt(records, surgeryAsOf).input.calibration.resources['treatment:surgery']!;
    expect(surgery.saturated).toBe(true);
    expect(surgery.bookedShare).toBe(0);
    const median = surgery.lead.days[surgery.lead.cum.findIndex((c) => c >= 0.5)];
    expect(median).toBeGreaterThanOrEqual(7);
    expect(median).toBeLessThanOrEqual(21);
  });
});
