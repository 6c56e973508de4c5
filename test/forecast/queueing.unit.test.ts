// The resource table's figures: the queueing relations of Fong et al. (2022) as the NHSRwaitinglist
// package gives them, checked on the package's own worked examples, and the table built from them.
import { describe, expect, it } from 'vitest';
import {
  queueLoad,
  reliefCapacity,
  resourceLabel,
  resourceRow,
  resourceTable,
  STEP_TARGET_DAYS,
  targetCapacity,
  targetMeanWait,
  targetQueueSize,
  waitingListPressure,
  weeksToClear,
} from '../../src/forecast/queueing.ts';
import type { Calibration, ResourceModel } from '../../src/forecast/calibrate.ts';

describe('the queueing relations (NHSRwaitinglist worked examples)', () => {
  it('target queue size: 30 a week with a 52-week target, a quarter of it as the mean wait, is 390', () => {
    expect(targetMeanWait(52)).toBe(13);
    expect(targetQueueSize(30, 52)).toBe(390);
    expect(targetQueueSize(30, 52, 6)).toBe(260);
  });

  it('relief capacity: 30 a week, 1,200 waiting, 390 the target, in 26 weeks: 61.15 a week', () => {
    expect(reliefCapacity(30, 1200, 390, 26)).toBeCloseTo(61.1538, 4);
  });

  it("target capacity (Kingman's formula): 4 a week, 52 weeks, coefficients of variation 1: 4.077 a week", () => {
    expect(targetCapacity(4, 52)).toBeCloseTo(4 + 4 / 52, 12);
    expect(targetCapacity(4, 52, 4, 0, 0)).toBe(4); // no variability, no margin
    expect(targetCapacity(4, 52, 4, 2, 0)).toBeCloseTo(4 + 2 * (4 / 52), 12);
  });

  it('load and pressure: 48 wanted of 40 is 1.2; a mean wait of 63 weeks against 52 is 2.42', () => {
    expect(queueLoad(48, 40)).toBe(1.2);
    expect(waitingListPressure(63, 52)).toBeCloseTo(2.4231, 4);
  });

  it('weeks to clear down to the target queue: the excess over the spare capacity; never when none is spare', () => {
    expect(weeksToClear(100, 20, 30, 40)).toBe(8);
    expect(weeksToClear(100, 20, 40, 40)).toBeNull();
    expect(weeksToClear(10, 20, 40, 30)).toBe(0);
  });
});

const model = (over: Partial<ResourceModel> & { name: string }): ResourceModel => ({
  kind: over.name.startsWith('first:') ? 'first' : over.name.startsWith('test:') ? 'test' : 'treatment',
  demandPerWeek: 10,
  throughputPerWeek: 10,
  queue: 5,
  queueGrowthPerWeek: 0,
  queueGrowthSe: 0,
  capacityPerWeek: 12,
  capacitySe: 0,
  basis: 'lower bound: busiest recent week',
  saturated: false,
  dispersion: 1,
  weekdayShare: [0, 0.2, 0.2, 0.2, 0.2, 0.2, 0],
  lead: { labels: [], days: [], cum: [], pick: [], tailFrom: 0, tailHazard: 0, tailPick: [], entries: 0, exits: 0 },
  leadByBand: [],
  wait: { labels: [], days: [], cum: [], pick: [], tailFrom: 0, tailHazard: 0, tailPick: [], entries: 0, exits: 0 },
  bookedShare: 1,
  waitDays: { median: 5, p90: 9 },
  outcomes: {},
  report: null,
  removalPerDay: 0,
  ...over,
});

describe('the resource table', () => {
  it("gives each step its share of the 62-day target from the next action's due dates", () => {
    expect(STEP_TARGET_DAYS).toEqual({ first: 11, test: 14, treatment: 24 });
  });

  it('names resources in plain words', () => {
    expect(resourceLabel('test:mri_prostate')).toBe('MRI (prostate)');
    expect(resourceLabel('test:ct_chest_abdomen_pelvis')).toBe('CT (chest abdomen pelvis)');
    expect(resourceLabel('test:colonoscopy')).toBe('Colonoscopy');
    expect(resourceLabel('first:urological')).toBe('First appointment (urological)');
    expect(resourceLabel('first:lower_gi')).toBe('First appointment (lower GI)');
    expect(resourceLabel('treatment:surgery')).toBe('Surgery (first treatment)');
  });

  it('works a saturated MRI: 48 a week wanted, 40 available, 120 waiting', () => {
    const row = resourceRow(
      model({
        name: 'test:mri_prostate',
        demandPerWeek: 48,
        capacityPerWeek: 40,
        queue: 120,
        saturated: true,
        basis: 'throughput while saturated',
      }),
    );
    // A 14-day (2-week) share: target queue 48 x 2 / 4 = 24; relief 48 + (120 - 24) / 26 = 51.7; Kingman 48 + 4 / 2 = 50.
    expect(row.targetWaitDays).toBe(14);
    expect(row.targetQueue).toBe(24);
    expect(row.reliefCapacityPerWeek).toBe(51.7);
    expect(row.targetCapacityPerWeek).toBe(50);
    expect(row.utilisation).toBe(1.2);
    expect(row.weeksToClear).toBeNull();
    expect(row.plain).toBe('MRI (prostate): 52 a week needed, 40 available');
  });

  it('lists bottlenecks first: saturated, then by load, then by queue over its target', () => {
    const cal = {
      resources: Object.fromEntries(
        [
          model({ name: 'test:colonoscopy', demandPerWeek: 50, capacityPerWeek: 60 }),
          model({ name: 'test:mri_prostate', demandPerWeek: 48, capacityPerWeek: 40, saturated: true }),
          model({ name: 'first:skin', demandPerWeek: 58, capacityPerWeek: 60 }),
          model({ name: 'treatment:surgery', demandPerWeek: 30, capacityPerWeek: 31, saturated: true }),
        ].map((m) => [m.name, m]),
      ),
    } as unknown as Calibration;
    expect(resourceTable(cal).map((r) => r.resource)).toEqual([
      'test:mri_prostate',
      'treatment:surgery',
      'first:skin',
      'test:colonoscopy',
    ]);
  });
});
