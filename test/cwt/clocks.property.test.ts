// Properties of the clocks over generated timelines the machine accepts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeClocks, type Clock } from '../../src/cwt/clocks.ts';
import { addDays } from '../../src/cwt/calendar.ts';
import { replay } from '../../src/domain/timeline.ts';
import type { PathwayEvent } from '../../src/domain/events.ts';
import { pathwayArb } from '../support/timelines.ts';

const clocksOf = (c: ReturnType<typeof computeClocks>): Clock[] => [c.fds, c.d31, c.d62];
const later = fc.integer({ min: 0, max: 400 });
const runs = { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) };

function isValid(events: PathwayEvent[], asOf: string): boolean {
  try {
    replay(events, asOf);
    return true;
  } catch {
    return false;
  }
}

describe('clock properties', () => {
  it('days are never negative', () => {
    fc.assert(fc.property(pathwayArb, later, ({ events, lastOn }, extra) => {
      for (const c of clocksOf(computeClocks(events, addDays(lastOn, extra)))) {
        if (c.days !== null) expect(c.days).toBeGreaterThanOrEqual(0);
      }
    }), runs);
  });

  it('breached agrees with days > target, and a running clock is breached from its breach date on', () => {
    fc.assert(fc.property(pathwayArb, later, ({ events, lastOn }, extra) => {
      const asOf = addDays(lastOn, extra);
      for (const c of clocksOf(computeClocks(events, asOf))) {
        if (c.state === 'not_applicable') expect(c.breached).toBe(false);
        else expect(c.breached).toBe(c.days! > c.target);
        if (c.state === 'running') expect(c.breached).toBe(asOf >= c.breachDate!);
        if (c.state === 'stopped') expect(c.breachDate !== null).toBe(c.breached);
      }
    }), runs);
  });

  it('adjustments never increase a wait', () => {
    fc.assert(fc.property(pathwayArb, later, ({ events, lastOn }, extra) => {
      const asOf = addDays(lastOn, extra);
      const withPauses = computeClocks(events, asOf);
      const withoutPauses = computeClocks(events.filter((e) => e.type !== 'treatment_offer_declined'), asOf);
      for (const name of ['d31', 'd62'] as const) {
        if (withPauses[name].days !== null) expect(withPauses[name].days!).toBeLessThanOrEqual(withoutPauses[name].days!);
      }
    }), runs);
  });

  it('a stopped clock does not change as the as-of date moves on', () => {
    fc.assert(fc.property(pathwayArb, later, later, ({ events, lastOn }, a, b) => {
      const first = computeClocks(events, addDays(lastOn, a));
      const second = computeClocks(events, addDays(lastOn, a + b));
      for (const name of ['fds', 'd31', 'd62'] as const) {
        if (first[name].state === 'stopped') expect(second[name]).toEqual(first[name]);
      }
    }), runs);
  });

  it('a running wait never goes backwards from one day to the next', () => {
    fc.assert(fc.property(pathwayArb, later, ({ events, lastOn }, extra) => {
      const today = computeClocks(events, addDays(lastOn, extra));
      const tomorrow = computeClocks(events, addDays(lastOn, extra + 1));
      for (const name of ['fds', 'd31', 'd62'] as const) {
        if (today[name].state === 'running') expect(tomorrow[name].days! - today[name].days!).toBeOneOf([0, 1]);
      }
    }), runs);
  });

  it('voiding an event gives the same clocks as never having recorded it', () => {
    fc.assert(fc.property(pathwayArb, fc.nat(), later, ({ events, lastOn }, pick, extra) => {
      const asOf = addDays(lastOn, extra);
      const candidates = events.slice(1); // the referral itself is not voidable
      fc.pre(candidates.length > 0);
      const target = candidates[pick % candidates.length]!;
      const never = events.filter((e) => e !== target);
      const voided: PathwayEvent[] = [...events, { type: 'event_voided', on: lastOn, voids: target.id!, reason: 'test' }];
      fc.pre(isValid(never, asOf));
      expect(isValid(voided, asOf)).toBe(true);
      expect(computeClocks(voided, asOf)).toEqual(computeClocks(never, asOf));
    }), runs);
  });

  it('the order of recording does not change the clocks when clinical dates are the same', () => {
    fc.assert(fc.property(pathwayArb, fc.nat(), later, ({ events, lastOn }, seed, extra) => {
      const asOf = addDays(lastOn, extra);
      // Recorded order: a rotation of the same-date groups, keeping those the machine accepts.
      const shuffled = [...events].sort((a, b) => (a.on === b.on ? ((seed % 7) - 3) * (events.indexOf(a) - events.indexOf(b)) : 0));
      fc.pre(isValid(shuffled, asOf));
      expect(computeClocks(shuffled, asOf)).toEqual(computeClocks(events, asOf));
    }), runs);
  });

  it('recording a back-dated event out of order gives the same clocks as recording it in order', () => {
    fc.assert(fc.property(pathwayArb, fc.nat(), later, ({ events, lastOn }, pick, extra) => {
      const asOf = addDays(lastOn, extra);
      fc.pre(events.length > 2);
      const i = 1 + (pick % (events.length - 1));
      const late = [...events.slice(0, i), ...events.slice(i + 1), events[i]!]; // recorded last, dated as before
      fc.pre(isValid(late, asOf));
      expect(computeClocks(late, asOf)).toEqual(computeClocks(events, asOf));
    }), runs);
  });
});
