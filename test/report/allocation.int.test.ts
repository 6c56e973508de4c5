// Breach allocation between providers (cwt-rules.md, "Breach allocation between providers"), on
// its pure input: the 62-day clock facts and who held the patient when. No store.
import { describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../../src/vocabulary/calendar.ts';
import { clockFold, type Pause } from '../../src/cwt/clocks.ts';
import { pathwayEvent } from '../../src/vocabulary/events.ts';
import { allocateBreach, holdingsOf, type Holding } from '../../src/report/allocation.ts';

const START: IsoDate = '2026-01-01';
const day = (n: number) => addDays(START, n);
const facts = (treatedDay: number, pauses: Pause[] = [], start = START) => ({
  start,
  treated: day(treatedDay),
  pauses,
});
const held = (...steps: [string | null, number][]): Holding[] =>
  steps.map(([provider, n]) => ({ provider, from: day(n) }));

describe('breach allocation between providers', () => {
  it('gives the breach to the only provider when the patient was not transferred', () => {
    expect(allocateBreach({ facts: facts(70), holdings: held(['RAJ', 0]) })).toEqual({
      rule: 'no_transfer',
      shares: [{ provider: 'RAJ', share: 1 }],
    });
    expect(allocateBreach({ facts: facts(70), holdings: held([null, 0]) })).toEqual({
      rule: 'no_transfer',
      shares: [{ provider: 'unknown', share: 1 }],
    });
    // A transfer to the same provider, or one after the treatment, is no transfer.
    expect(allocateBreach({ facts: facts(70), holdings: held(['RAJ', 0], ['RAJ', 40]) }).rule).toBe('no_transfer');
    expect(allocateBreach({ facts: facts(70), holdings: held(['RAJ', 0], ['RGT', 71]) })).toEqual({
      rule: 'no_transfer',
      shares: [{ provider: 'RAJ', share: 1 }],
    });
  });

  it('gives it to the treating provider when it received the patient by day 38', () => {
    expect(allocateBreach({ facts: facts(90), holdings: held(['RAJ', 0], ['RGT', 38]) })).toEqual({
      rule: 'treating_provider',
      shares: [{ provider: 'RGT', share: 1 }],
    });
  });

  it('gives it to the referring provider when the treating one received the patient after day 38 and treated within 24 days', () => {
    expect(allocateBreach({ facts: facts(39 + 24), holdings: held(['RAJ', 0], ['RGT', 39]) })).toEqual({
      rule: 'referring_provider',
      shares: [{ provider: 'RAJ', share: 1 }],
    });
  });

  it('shares it half each otherwise', () => {
    expect(allocateBreach({ facts: facts(39 + 25), holdings: held(['RAJ', 0], ['RGT', 39]) })).toEqual({
      rule: 'shared',
      shares: [
        { provider: 'RAJ', share: 0.5 },
        { provider: 'RGT', share: 0.5 },
      ],
    });
  });

  it('counts the days to the transfer from the clock start after a DNA restart (R5)', () => {
    // Referred 1 Jan, rebooked after a missed first appointment on 11 Jan: a transfer on day 48 from
    // the referral is day 38 of the restarted clock.
    expect(allocateBreach({ facts: facts(90, [], day(10)), holdings: held(['RAJ', 0], ['RGT', 48]) }).rule).toBe(
      'treating_provider',
    );
    expect(allocateBreach({ facts: facts(90), holdings: held(['RAJ', 0], ['RGT', 48]) }).rule).toBe('shared');
    // Transferred before the restart: day 0.
    expect(allocateBreach({ facts: facts(90, [], day(10)), holdings: held(['RAJ', 0], ['RGT', 5]) }).rule).toBe(
      'treating_provider',
    );
  });

  it('counts the days from the transfer to the treatment less the treatment adjustment (R7)', () => {
    const pause = { from: day(50), until: day(60) };
    expect(allocateBreach({ facts: facts(40 + 30, [pause]), holdings: held(['RAJ', 0], ['RGT', 40]) }).rule).toBe(
      'referring_provider',
    );
    expect(allocateBreach({ facts: facts(40 + 30), holdings: held(['RAJ', 0], ['RGT', 40]) }).rule).toBe('shared');
  });

  it('with more than two providers, allocates between the one holding the patient at day 38 and the treating provider', () => {
    expect(allocateBreach({ facts: facts(100), holdings: held(['RAJ', 0], ['RQ8', 10], ['RGT', 45]) })).toEqual({
      rule: 'shared',
      shares: [
        { provider: 'RQ8', share: 0.5 },
        { provider: 'RGT', share: 0.5 },
      ],
    });
    expect(allocateBreach({ facts: facts(60), holdings: held(['RAJ', 0], ['RQ8', 39], ['RGT', 45]) })).toEqual({
      rule: 'referring_provider',
      shares: [{ provider: 'RAJ', share: 1 }],
    });
    // The treating provider held the patient at day 38, and took them back later: the breach is its own.
    expect(allocateBreach({ facts: facts(100), holdings: held(['RAJ', 0], ['RGT', 40], ['RAJ', 50]) })).toEqual({
      rule: 'treating_provider',
      shares: [{ provider: 'RAJ', share: 1 }],
    });
  });

  it('reads the facts and the holdings from a pathway (E20: RAJ to RGT on day 35)', () => {
    const events = [
      {
        type: 'referral_received',
        on: '2026-06-01',
        route: 'urgent_suspected_cancer',
        tumourSite: 'head_and_neck',
        nhsNumber: '9434765919',
        provider: 'RAJ',
      },
      { type: 'first_seen', on: '2026-06-08' },
      { type: 'diagnosis_communicated', on: '2026-06-26', outcome: 'cancer_confirmed' },
      { type: 'transferred', on: '2026-07-06', toProvider: 'RGT' },
      { type: 'decision_to_treat', on: '2026-07-20' },
      { type: 'treatment_started', on: '2026-08-10', modality: 'surgery' },
    ].map((e) => pathwayEvent.parse(e));
    expect(holdingsOf(events)).toEqual([
      { provider: 'RAJ', from: '2026-06-01' },
      { provider: 'RGT', from: '2026-07-06' },
    ]);
    expect(allocateBreach({ facts: clockFold(events)!.facts, holdings: holdingsOf(events) })).toEqual({
      rule: 'treating_provider',
      shares: [{ provider: 'RGT', share: 1 }],
    });
  });
});
