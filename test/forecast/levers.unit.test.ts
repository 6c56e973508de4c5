// The levers and the target as a steward writes them, and each mistake refused naming the option.
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/vocabulary/calendar.ts';
import {
  ForecastOptionError,
  parseCapacity,
  parseConfidence,
  parseDemand,
  parseTarget,
} from '../../src/forecast/levers.ts';

const asOf = '2026-11-22';
const refused = (f: () => unknown, option: string, reason: RegExp) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ForecastOptionError);
    expect((err as ForecastOptionError).option).toBe(option);
    expect((err as Error).message).toMatch(new RegExp(`^${option}: `));
    expect((err as Error).message).toMatch(reason);
    return;
  }
  throw new Error('not refused');
};

describe('levers', () => {
  it('reads a capacity change as a share or as slots a week, from the day after the as-of day or a date given', () => {
    expect(parseCapacity('test:mri_prostate=+20%', asOf)).toEqual({
      kind: 'capacity',
      resource: 'test:mri_prostate',
      percent: 0.2,
      from: dayNumber('2026-11-23'),
    });
    expect(parseCapacity('first:urological=+15/week@2027-01-04', asOf)).toEqual({
      kind: 'capacity',
      resource: 'first:urological',
      perWeek: 15,
      from: dayNumber('2027-01-04'),
    });
    expect(parseCapacity('treatment:surgery=-30%', asOf).percent).toBeCloseTo(-0.3, 12);
    expect(parseDemand('urological=+10%@2027-02-01', asOf)).toEqual({
      kind: 'demand',
      site: 'urological',
      percent: 0.1,
      from: dayNumber('2027-02-01'),
    });
  });

  it('refuses what it cannot read, naming the option', () => {
    refused(() => parseCapacity('mri_prostate=+20%', asOf), '--capacity', /"mri_prostate" is not a resource/);
    refused(() => parseCapacity('first:kidney=+20%', asOf), '--capacity', /not a resource/);
    refused(() => parseCapacity('test:mri_prostate', asOf), '--capacity', /RESOURCE=CHANGE/);
    refused(() => parseCapacity('test:mri_prostate=lots', asOf), '--capacity', /is not a change/);
    refused(() => parseCapacity('test:mri_prostate=-100%', asOf), '--capacity', /no capacity at all/);
    refused(() => parseCapacity('test:mri_prostate=+20%@2026-02-30', asOf), '--capacity', /not a real calendar date/);
    refused(() => parseCapacity('test:mri_prostate=+20%@2026-11-22', asOf), '--capacity', /not after the as-of day/);
    refused(() => parseDemand('kidney=+10%', asOf), '--demand', /not a tumour site/);
    refused(() => parseDemand('urological=+10/week', asOf), '--demand', /a percentage/);
  });
});

describe('the target', () => {
  it('reads METRIC<N@DATE, and <= as below N + 1', () => {
    expect(parseTarget('over62<100@2027-03-31', asOf)).toEqual({ metric: 'over62', below: 100, on: '2027-03-31' });
    expect(parseTarget('over104<=10@2027-03-31', asOf)).toEqual({ metric: 'over104', below: 11, on: '2027-03-31' });
    expect(parseConfidence('0.8')).toBe(0.8);
  });

  it('refuses a target it cannot read, a past date and a confidence outside 0..1', () => {
    refused(() => parseTarget('over62 under 100', asOf), '--target', /METRIC<N@YYYY-MM-DD/);
    refused(() => parseTarget('over63<100@2027-03-31', asOf), '--target', /METRIC/);
    refused(() => parseTarget('over62<100@2026-11-01', asOf), '--target', /not after the as-of day/);
    refused(() => parseTarget('over62<0@2027-03-31', asOf), '--target', /fewer than 0 can never be met/);
    expect(parseTarget('over62<=0@2027-03-31', asOf).below).toBe(1); // none at all
    refused(() => parseConfidence('80%'), '--confidence', /between 0 and 1/);
    refused(() => parseConfidence('1'), '--confidence', /between 0 and 1/);
  });
});
